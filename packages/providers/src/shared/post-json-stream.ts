import { cancelledError, errorMessage, sleep } from '@cricket/core';
import { ProviderError } from './provider-error.js';
import { describeProviderErrorBody, readErrorBody } from './provider-error-body.js';
import { defaultIdleTimeoutMs } from './read-byte-chunks.js';

/** Default number of retries after the first attempt. */
export const defaultMaxRetries = 2;
/** Default delay before the first retry; doubles per retry. */
export const defaultRetryBaseDelayMs = 500;
/** Default cap on any single wait, including a server's `retry-after`. */
export const defaultMaxRetryDelayMs = 30_000;

/** Told to the caller before each retry (engines turn it into a `log` event). */
export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  maxRetries: number;
  delayMs: number;
  /** Why the previous attempt failed. */
  error: ProviderError;
}

/** Options of {@link postJsonStream}. */
export interface PostJsonStreamOptions {
  /** Provider id used in error messages and on {@link ProviderError}. */
  provider: string;
  url: string;
  /** Request body; serialised once with `JSON.stringify`. */
  body: unknown;
  /** Extra headers (auth, `accept`, versions). `content-type: application/json` is always set. */
  headers?: Readonly<Record<string, string>>;
  /** Cancels the request, a pending backoff, and later the body stream. */
  signal?: AbortSignal;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Delay before the first retry, doubled per retry, with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on any single wait, including `retry-after` (default 30 s). */
  maxDelayMs?: number;
  /**
   * Longest wait for the response headers (and an error body) per attempt before giving up with
   * `stream-idle-timeout`, which is retried like a network error (default 60 s; 0 disables).
   */
  responseTimeoutMs?: number;
  /** `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Called before each retry's wait. */
  onRetry?: (notice: RetryNotice) => void;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/** A 2xx streaming response whose body has not been read yet. */
export interface StreamingResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
  /** How many requests were sent (1 + retries). */
  attempts: number;
}

/**
 * POSTs a JSON body and resolves once a 2xx response's headers arrive, leaving the body for the
 * SSE / NDJSON readers.
 *
 * - Non-2xx → {@link ProviderError} `http-error` with `status`, the parsed (capped) `body`, and the
 *   provider's message and code extracted from any of the five providers' error shapes.
 * - Network failure before a response → `network-error`; no headers within `responseTimeoutMs` →
 *   `stream-idle-timeout` (a provider that accepts the connection and then hangs).
 * - Both are retried (status 408/409/429/5xx, or `x-should-retry: true`; never when the server says
 *   `x-should-retry: false`) up to `maxRetries` times with exponential backoff and jitter, honouring
 *   `retry-after-ms` / `retry-after` (seconds or HTTP date), else Google's `RetryInfo.retryDelay`
 *   in the JSON error body (see {@link parseRetryInfoDelay}), capped at `maxDelayMs`. Retries only
 *   ever happen before the first byte of a successful response: a stream that fails later is never
 *   replayed, because its events have already been published.
 * - Abort (before, during the request, or during a backoff) → `InferenceError('cancelled')` promptly.
 */
export async function postJsonStream(options: PostJsonStreamOptions): Promise<StreamingResponse> {
  const { provider, signal } = options;
  const fetchImpl = options.fetch ?? fetch;
  const maxRetries = Math.max(0, options.maxRetries ?? defaultMaxRetries);
  const baseDelayMs = options.baseDelayMs ?? defaultRetryBaseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? defaultMaxRetryDelayMs;
  const random = options.random ?? Math.random;
  const payload = JSON.stringify(options.body);
  const headers = { ...options.headers, 'content-type': 'application/json' };
  const responseTimeoutMs = options.responseTimeoutMs ?? defaultIdleTimeoutMs;

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw cancelledError(signal, `${provider}: inference`);
    let failure: ProviderError;
    let retryAfterMs: number | undefined;
    let serverSaysRetry: boolean | undefined;
    // A per-attempt timer for the headers: fetch itself would wait minutes for a hung provider.
    const attemptTimer = new AbortController();
    const timeout =
      responseTimeoutMs > 0 && Number.isFinite(responseTimeoutMs)
        ? setTimeout(() => attemptTimer.abort(), responseTimeoutMs)
        : undefined;
    try {
      const response = await fetchImpl(options.url, {
        method: 'POST',
        headers,
        body: payload,
        signal: signal ? AbortSignal.any([signal, attemptTimer.signal]) : attemptTimer.signal,
      });
      if (response.ok) {
        clearTimeout(timeout);
        if (!response.body) {
          throw new ProviderError('stream-truncated', `${provider}: HTTP ${response.status} response has no body`, {
            provider,
            status: response.status,
          });
        }
        return { status: response.status, headers: response.headers, body: response.body, attempts: attempt + 1 };
      }
      const body = await readErrorBody(response.body);
      if (signal?.aborted) throw cancelledError(signal, `${provider}: inference`);
      failure = httpError(provider, response, body);
      retryAfterMs = parseRetryAfter(response.headers) ?? parseRetryInfoDelay(body);
      const hint = response.headers.get('x-should-retry');
      serverSaysRetry = hint === 'true' ? true : hint === 'false' ? false : undefined;
    } catch (error) {
      if (signal?.aborted) throw cancelledError(signal, `${provider}: inference`);
      if (error instanceof ProviderError) throw error;
      failure = attemptTimer.signal.aborted
        ? new ProviderError(
            'stream-idle-timeout',
            `${provider}: no response from ${redactUrl(options.url)} within ${responseTimeoutMs} ms`,
            { provider, retryable: true },
          )
        : new ProviderError(
            'network-error',
            `${provider}: request to ${redactUrl(options.url)} failed: ${describeCause(error)}`,
            { provider, cause: error },
          );
    } finally {
      clearTimeout(timeout);
    }
    const retryable = serverSaysRetry ?? failure.retryable;
    if (!retryable || attempt >= maxRetries) throw failure;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * (0.75 + 0.25 * random());
    const delayMs = Math.round(Math.min(maxDelayMs, retryAfterMs ?? backoff));
    options.onRetry?.({ retry: attempt + 1, maxRetries, delayMs, error: failure });
    await sleep(delayMs, signal, `${provider}: inference`);
  }
}

function httpError(provider: string, response: Response, body: unknown): ProviderError {
  const details = describeProviderErrorBody(body);
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  const message = details.message ?? 'no error message in the response body';
  return new ProviderError('http-error', `${provider}: HTTP ${response.status}${statusText}: ${message}`, {
    provider,
    status: response.status,
    body,
    ...(details.code ? { providerCode: details.code } : {}),
  });
}

/** `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Google's retry hint in a JSON error body, in milliseconds: the `retryDelay` of a
 * `google.rpc.RetryInfo` entry of `error.details` (`{"@type": "type.googleapis.com/google.rpc.RetryInfo",
 * "retryDelay": "37s"}`), as Gemini sends with 429 `RESOURCE_EXHAUSTED` instead of a `retry-after`
 * header. The value is a protobuf `Duration` in JSON (`"37s"`, `"0.5s"`, `"1.000340s"`); a body
 * wrapped in an array (streamed calls) is read too. `undefined` when there is no valid hint.
 */
export function parseRetryInfoDelay(body: unknown): number | undefined {
  const root = Array.isArray(body) ? body[0] : body;
  const error = isRecord(root) ? root.error : undefined;
  const details = isRecord(error) ? error.details : undefined;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (!isRecord(detail) || typeof detail.retryDelay !== 'string') continue;
    const type = detail['@type'];
    if (typeof type === 'string' && !type.endsWith('google.rpc.RetryInfo')) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay.trim());
    if (match?.[1]) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// undici reports `TypeError: fetch failed` and hides the useful part (ECONNREFUSED, ...) in `cause`.
function describeCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = cause instanceof Error ? ((cause as Error & { code?: unknown }).code ?? cause.message) : undefined;
  const base = errorMessage(error);
  return detail && typeof detail === 'string' && !base.includes(detail) ? `${base} (${detail})` : base;
}

/** The URL without query string or credentials (Gemini puts the API key in `?key=`). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
