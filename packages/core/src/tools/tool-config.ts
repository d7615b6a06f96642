import { z } from 'zod';
import { durationSchema, formatDuration } from '../shared/duration.js';

/** How the executor treats a failed tool call. */
export type ToolErrorHandling = 'continue' | 'abort' | 'retry';

/** Retry policy of the executor (used when `tool_error_handling` is `retry`). */
export interface RetryConfig {
  max_retries: number;
  /** Milliseconds before the first retry. */
  backoff_base_ms: number;
  backoff_factor: number;
}

/**
 * Tool policy of one inference. Stored on `Turn.data` under `geppetto.tool_config@v1` with the
 * reference's JSON field names; durations are held in milliseconds and persisted as strings (`"30s"`).
 */
export interface ToolConfig {
  /** Whether tools are advertised to the model at all. */
  enabled: boolean;
  tool_choice: 'auto' | 'none' | 'required';
  max_iterations: number;
  /** Per-call execution timeout in milliseconds, enforced by the executor (0 = none). */
  execution_timeout_ms: number;
  max_parallel_tools: number;
  /** Names of tools that may be advertised and executed; `null` = every registered tool. */
  allowed_tools: string[] | null;
  tool_error_handling: ToolErrorHandling;
  retry_config: RetryConfig;
}

/** Defaults: enabled, `auto`, 20 iterations, 30 s timeout, 3 in parallel, all tools, `continue`, 2 retries from 1 s ×2. */
export const defaultToolConfig: Readonly<ToolConfig> = Object.freeze({
  enabled: true,
  tool_choice: 'auto',
  max_iterations: 20,
  execution_timeout_ms: 30_000,
  max_parallel_tools: 3,
  allowed_tools: null,
  tool_error_handling: 'continue',
  retry_config: Object.freeze({ max_retries: 2, backoff_base_ms: 1000, backoff_factor: 2 }),
});

/** Merges a partial policy over the defaults. */
export function createToolConfig(overrides: Partial<ToolConfig> = {}): ToolConfig {
  return {
    ...defaultToolConfig,
    ...overrides,
    retry_config: { ...defaultToolConfig.retry_config, ...overrides.retry_config },
  };
}

const retryWireSchema = z.object({
  max_retries: z.number().int().nonnegative().optional(),
  backoff_base: durationSchema.optional(),
  backoff_factor: z.number().positive().optional(),
});

/** Decodes the persisted JSON/YAML shape (reference field names) into a {@link ToolConfig}. */
export const toolConfigSchema: z.ZodType<ToolConfig> = z
  .object({
    enabled: z.boolean().optional(),
    tool_choice: z.enum(['auto', 'none', 'required']).optional(),
    max_iterations: z.number().int().nonnegative().optional(),
    execution_timeout: durationSchema.optional(),
    max_parallel_tools: z.number().int().nonnegative().optional(),
    allowed_tools: z.array(z.string()).nullable().optional(),
    tool_error_handling: z.enum(['continue', 'abort', 'retry']).optional(),
    retry_config: retryWireSchema.optional(),
  })
  .transform((wire) => {
    const retry = wire.retry_config ?? {};
    return createToolConfig({
      ...(wire.enabled === undefined ? {} : { enabled: wire.enabled }),
      ...(wire.tool_choice === undefined ? {} : { tool_choice: wire.tool_choice }),
      ...(wire.max_iterations === undefined ? {} : { max_iterations: wire.max_iterations }),
      ...(wire.execution_timeout === undefined ? {} : { execution_timeout_ms: wire.execution_timeout }),
      ...(wire.max_parallel_tools === undefined ? {} : { max_parallel_tools: wire.max_parallel_tools }),
      ...(wire.allowed_tools === undefined ? {} : { allowed_tools: wire.allowed_tools }),
      ...(wire.tool_error_handling === undefined ? {} : { tool_error_handling: wire.tool_error_handling }),
      retry_config: {
        max_retries: retry.max_retries ?? defaultToolConfig.retry_config.max_retries,
        backoff_base_ms: retry.backoff_base ?? defaultToolConfig.retry_config.backoff_base_ms,
        backoff_factor: retry.backoff_factor ?? defaultToolConfig.retry_config.backoff_factor,
      },
    });
  });

/** Encodes a {@link ToolConfig} with the reference's JSON field names and duration strings. */
export function encodeToolConfig(config: ToolConfig): Record<string, unknown> {
  return {
    enabled: config.enabled,
    tool_choice: config.tool_choice,
    max_iterations: config.max_iterations,
    execution_timeout: formatDuration(config.execution_timeout_ms),
    max_parallel_tools: config.max_parallel_tools,
    allowed_tools: config.allowed_tools,
    tool_error_handling: config.tool_error_handling,
    retry_config: {
      max_retries: config.retry_config.max_retries,
      backoff_base: formatDuration(config.retry_config.backoff_base_ms),
      backoff_factor: config.retry_config.backoff_factor,
    },
  };
}
