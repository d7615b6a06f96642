import type { StepController, ToolDefinition } from '@cricket/core';
import type { EngineFactory, MiddlewareFactory, ProfileRegistry } from '../profiles/profile.js';
import type { ConversationStore } from '../stores/conversation-store.js';
import type { EventLog } from '../stores/event-log.js';
import type { RequestStore } from '../stores/request-store.js';
import type { TimelineStore } from '../stores/timeline-store.js';
import type { TurnStore } from '../stores/turn-store.js';
import type { FramePipeline } from '../streaming/frame-pipeline.js';

/** Minimal structured logger (pino-compatible subset). */
export interface ServerLogger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** Limits applied to conversations. */
export interface ConversationLimits {
  /** Prompts waiting behind the active inference before `/chat` answers 429. */
  maxQueueDepth: number;
  /** Longest accepted prompt, in characters. */
  maxPromptChars: number;
}

/** Everything a conversation runtime depends on, created once by the server. */
export interface ServerServices {
  profiles: ProfileRegistry;
  createEngine: EngineFactory;
  middlewares: Readonly<Record<string, MiddlewareFactory>>;
  tools: () => ToolDefinition[];
  pipeline: FramePipeline;
  conversations: ConversationStore;
  requests: RequestStore;
  turns: TurnStore;
  timeline: TimelineStore;
  eventLog: EventLog;
  stepController: StepController;
  limits: ConversationLimits;
  logger: ServerLogger;
  now: () => number;
  /** Runs `work` in one database transaction (nested calls join the outer one). */
  transaction: <T>(work: () => T) => T;
}
