import type { ApiErrorCode } from '@cricket/protocol';

/**
 * Why a call failed: the server's error code (from its JSON error body), or one of the client's own:
 * `network_error` (no response), `timeout` (no response in time), `aborted` (cancelled by the caller),
 * `http_error` (an error status without a JSON error body, e.g. from a proxy), `invalid_response` (a
 * body that does not match the protocol's schema).
 */
export type ChatClientErrorCode =
  | ApiErrorCode
  | 'network_error'
  | 'timeout'
  | 'aborted'
  | 'http_error'
  | 'invalid_response';

/** Statuses that mean "try again later" rather than "this request is wrong". */
const retryableStatuses = new Set([502, 503, 504]);

/** A failed HTTP call of the chat client, with the HTTP status (0 when there was no response) and a code. */
export class ChatClientError extends Error {
  override readonly name = 'ChatClientError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly code: ChatClientErrorCode;

  constructor(code: ChatClientErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
  }

  /**
   * True when repeating the same request may succeed: no response at all, or 502/503/504. Safe for
   * `/chat` only because every retry carries the same idempotency key.
   */
  get isRetryable(): boolean {
    return this.code === 'network_error' || this.code === 'timeout' || retryableStatuses.has(this.status);
  }
}

/** Wraps anything thrown into a {@link ChatClientError} (an existing one is returned as is). */
export function toChatClientError(error: unknown): ChatClientError {
  if (error instanceof ChatClientError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChatClientError('network_error', message, { cause: error });
}
