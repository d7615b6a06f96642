import type { Engine, Middleware, Script, ToolConfig, ToolDefinition } from '@cricket/core';
import type { EngineSettings } from '@cricket/providers';

/** A middleware requested by a profile, by registered name. */
export interface MiddlewareSpec {
  name: string;
  config?: Record<string, unknown>;
}

/**
 * A chat profile: which engine answers, with which system prompt, middlewares and tools. Selected per
 * request (`POST /chat/{profile}`, the `chat_profile` cookie, or the conversation's own profile).
 */
export interface Profile {
  slug: string;
  description?: string;
  engine: EngineSettings;
  /** Script for the scripted engine (provider `scripted`); without one the demo rules answer. */
  script?: Script;
  systemPrompt: string;
  /** Applied in order, inside the tool-result reorder and outside the system-prompt middleware. */
  middlewares: MiddlewareSpec[];
  /** Names of the tools to offer; `null` = every registered tool. */
  tools: string[] | null;
  /** Whether `/chat` requests may override `system_prompt`, `middlewares` and `tools`. */
  allowOverrides: boolean;
  /** Tool policy (timeouts, parallelism, ...). */
  toolConfig?: Partial<ToolConfig>;
  /** Engine calls per inference (default 20). */
  maxIterations?: number;
  /** Extra, middleware-specific configuration (e.g. agent modes), passed to middleware factories. */
  extensions?: Record<string, unknown>;
}

/** Whether a profile's engine can be created (e.g. its API key is set). */
export type ProfileAvailability = { available: true } | { available: false; reason: string };

/** The profiles a server offers. */
export interface ProfileRegistry {
  /** The profile used when a request names none. */
  readonly defaultSlug: string;
  get(slug: string): Profile | undefined;
  /** Default first, then by slug. */
  list(): Profile[];
  /** Availability of a profile; `undefined` for an unknown slug. */
  availability(slug: string): ProfileAvailability | undefined;
}

/** What a middleware factory receives. */
export interface MiddlewareContext {
  convId: string;
  sessionId: string;
  profile: Profile;
}

/** Creates a middleware instance from its configuration; throws a `ConfigurationError` on bad config. */
export type MiddlewareFactory = (config: Record<string, unknown>, context: MiddlewareContext) => Middleware;

/** Creates the engine of a profile. */
export type EngineFactory = (profile: Profile) => Engine;

/** Creates the tools a server offers (a fresh list per call). */
export type ToolCatalog = () => ToolDefinition[];
