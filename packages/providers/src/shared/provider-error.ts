import { type Blame, CricketError, type CricketErrorOptions } from '@cricket/core';

/**
 * Codes of {@link ProviderError}:
 * - `http-error`: the provider answered with a non-2xx status (`status` and `body` are set).
 * - `network-error`: the request never got a response (DNS, refused connection, reset before headers).
 * - `stream-error`: the provider reported an error object inside an otherwise healthy stream.
 * - `stream-malformed`: a stream event was not the JSON shape the provider documents.
 * - `stream-truncated`: the stream ended (or the connection dropped) before the provider's end marker.
 * - `stream-idle-timeout`: no bytes arrived for longer than the configured idle timeout.
 * - `line-too-long`: one SSE event / NDJSON line grew past the configured cap (memory guard).
 */
export type ProviderErrorCode =
  | 'http-error'
  | 'network-error'
  | 'stream-error'
  | 'stream-malformed'
  | 'stream-truncated'
  | 'stream-idle-timeout'
  | 'line-too-long';

/** Constructor options of {@link ProviderError}. */
export interface ProviderErrorOptions extends CricketErrorOptions {
  /** Provider id (`openai-chat`, `anthropic`, ...). */
  provider: string;
  /** HTTP status, for `http-error`. */
  status?: number;
  /** The provider's error body: parsed JSON when it parsed, else (capped) text. */
  body?: unknown;
  /** The provider's own error code or type (`rate_limit_exceeded`, `overloaded_error`, `INVALID_ARGUMENT`). */
  providerCode?: string;
  /** Whether repeating the same request may succeed. Defaults from the code and status. */
  retryable?: boolean;
}

/** Statuses for which a retry may succeed: timeouts, rate limits, overload and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * A failure of a model provider, raised by every provider engine. Always blamed on the provider:
 * the request was valid from Cricket's side, or the provider says otherwise in `body`.
 *
 * Engines publish an `error` event carrying `code` and `blame` before rejecting with it.
 */
export class ProviderError extends CricketError<ProviderErrorCode> {
  override readonly name = 'ProviderError';
  readonly blame: Blame = 'provider';
  readonly provider: string;
  readonly status: number | undefined;
  readonly body: unknown;
  readonly providerCode: string | undefined;
  readonly retryable: boolean;

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    options: ProviderErrorOptions,
  ) {
    super(message, options);
    this.provider = options.provider;
    this.status = options.status;
    this.body = options.body;
    this.providerCode = options.providerCode;
    this.retryable = options.retryable ?? defaultRetryable(code, options.status);
  }

  /** The base JSON view plus provider, status, provider code and retryability. */
  override toJSON(): {
    name: string;
    code: string;
    message: string;
    blame: Blame;
    provider: string;
    status?: number;
    providerCode?: string;
    retryable: boolean;
  } {
    return {
      ...super.toJSON(),
      provider: this.provider,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.providerCode === undefined ? {} : { providerCode: this.providerCode }),
      retryable: this.retryable,
    };
  }
}

function defaultRetryable(code: ProviderErrorCode, status: number | undefined): boolean {
  switch (code) {
    case 'http-error':
      return status !== undefined && isRetryableStatus(status);
    case 'network-error':
    case 'stream-truncated':
    case 'stream-idle-timeout':
      return true;
    default:
      return false;
  }
}

/** True when `value` is a {@link ProviderError} (shape check, so it works across package copies). */
export function isProviderError(value: unknown): value is ProviderError {
  return (
    value instanceof Error &&
    value.name === 'ProviderError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { provider?: unknown }).provider === 'string'
  );
}
