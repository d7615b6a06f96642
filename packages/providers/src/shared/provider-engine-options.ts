import type { EngineEnv, EngineSettings } from '../engine-settings.js';
import type { PostJsonStreamOptions } from './post-json-stream.js';
import type { SseReadOptions } from './sse-stream.js';

/**
 * Transport options every provider engine accepts besides its {@link EngineSettings}: things a
 * deployment or a test tunes, not a profile.
 */
export interface ProviderEngineOptions {
  /** Environment for API-key and base-URL fallbacks (default `process.env`). */
  env?: EngineEnv;
  /** `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Delay before the first retry (default 500 ms; tests use a few ms). */
  retryBaseDelayMs?: number;
  /** Cap on any single retry wait, including `retry-after` (default 30 s). */
  maxRetryDelayMs?: number;
  /** Cap on one SSE event / NDJSON line in characters (default 1 MiB). */
  maxLineLength?: number;
}

/** The settings and options that shape requests and stream reads. */
type TuningSettings = Pick<EngineSettings, 'maxRetries' | 'idleTimeoutMs'>;

/**
 * The `postJsonStream` options an engine derives from its settings and options: retries and
 * backoff, `fetch`, and the idle timeout reused as the wait for response headers. Only values that
 * are set are included, so the helpers' defaults apply otherwise. Spread it into the call.
 */
export function requestTuning(
  settings: TuningSettings,
  options: ProviderEngineOptions,
): Pick<PostJsonStreamOptions, 'maxRetries' | 'responseTimeoutMs' | 'baseDelayMs' | 'maxDelayMs' | 'fetch'> {
  const tuning: ReturnType<typeof requestTuning> = {};
  if (settings.maxRetries !== undefined) tuning.maxRetries = settings.maxRetries;
  if (settings.idleTimeoutMs !== undefined) tuning.responseTimeoutMs = settings.idleTimeoutMs;
  if (options.retryBaseDelayMs !== undefined) tuning.baseDelayMs = options.retryBaseDelayMs;
  if (options.maxRetryDelayMs !== undefined) tuning.maxDelayMs = options.maxRetryDelayMs;
  if (options.fetch) tuning.fetch = options.fetch;
  return tuning;
}

/**
 * The `readSseStream` / `readNdjsonStream` options an engine derives from its settings and options
 * (idle timeout, line cap); spread it next to `provider` and `signal`.
 */
export function streamTuning(
  settings: TuningSettings,
  options: ProviderEngineOptions,
): Pick<SseReadOptions, 'idleTimeoutMs' | 'maxLineLength'> {
  const tuning: ReturnType<typeof streamTuning> = {};
  if (settings.idleTimeoutMs !== undefined) tuning.idleTimeoutMs = settings.idleTimeoutMs;
  if (options.maxLineLength !== undefined) tuning.maxLineLength = options.maxLineLength;
  return tuning;
}
