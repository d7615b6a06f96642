import { ConfigurationError } from '@cricket/core';
import { z } from 'zod';
import { parseConfiguration } from '../shared/parse-configuration.js';

const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** One agent mode as written in a profile (`extensions.agent_modes.modes[]` or the middleware config). */
export const agentModeSchema = z.strictObject({
  /** Unique (case-insensitively) within the configuration. */
  name: z.string().trim().min(1, 'mode name must not be blank'),
  /** Text injected in `<currentMode>` tags while the mode is active (may be empty). */
  prompt: z.string().default(''),
  /**
   * Tools the model may see and call while the mode is active. Absent: no restriction (every tool the
   * profile offers). `[]`: no tools at all.
   */
  allowed_tools: z
    .array(z.string().regex(toolNamePattern, 'expected a tool name ([A-Za-z0-9_-], 1-64 characters)'))
    .optional(),
});

/** Configuration of the agent-mode middleware. */
export const agentModeConfigSchema = z.strictObject({
  modes: z.array(agentModeSchema).min(1, 'at least one mode is required'),
  /** The mode of a session that has none yet; must name one of `modes` (case-insensitively). */
  default_mode: z.string().trim().min(1, 'default_mode must not be blank'),
});

/** A parsed mode. */
export type AgentMode = z.output<typeof agentModeSchema>;
/** A parsed configuration (input shape: {@link AgentModeConfigInput}). */
export type AgentModeConfig = z.output<typeof agentModeConfigSchema>;
/** The configuration as written. */
export type AgentModeConfigInput = z.input<typeof agentModeConfigSchema>;

/**
 * The validated mode catalogue: look-ups are case-insensitive and return the mode with its configured
 * spelling. Build with {@link parseAgentModeConfig}.
 */
export class AgentModeCatalog {
  readonly #modes = new Map<string, AgentMode>();
  /** The default mode (always known). */
  readonly defaultMode: AgentMode;

  constructor(config: AgentModeConfig, source = 'agent mode configuration') {
    for (const mode of config.modes) {
      const key = mode.name.toLowerCase();
      if (this.#modes.has(key)) throw new ConfigurationError(`${source}: duplicate mode ${JSON.stringify(mode.name)}`);
      this.#modes.set(key, {
        ...mode,
        ...(mode.allowed_tools ? { allowed_tools: [...new Set(mode.allowed_tools)] } : {}),
      });
    }
    const fallback = this.#modes.get(config.default_mode.toLowerCase());
    if (!fallback) {
      throw new ConfigurationError(
        `${source}: default_mode ${JSON.stringify(config.default_mode)} is not one of the modes (${this.names().join(', ')})`,
      );
    }
    this.defaultMode = fallback;
  }

  /** The mode named `name` (case-insensitive), or `undefined`. */
  get(name: string): AgentMode | undefined {
    return this.#modes.get(name.trim().toLowerCase());
  }

  /** Mode names as configured, sorted. */
  names(): string[] {
    return [...this.#modes.values()].map((mode) => mode.name).sort((a, b) => a.localeCompare(b));
  }
}

/**
 * Validates a configuration object; throws `ConfigurationError` naming `source` and each offending path
 * (e.g. `profile "agent": agentmode: modes.0.name: mode name must not be blank`), and for duplicate modes or
 * a `default_mode` that is not one of the modes.
 */
export function parseAgentModeConfig(value: unknown, source = 'agent mode configuration'): AgentModeCatalog {
  return new AgentModeCatalog(parseConfiguration(agentModeConfigSchema, value, source), source);
}
