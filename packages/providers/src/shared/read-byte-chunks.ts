import { cancelledError, errorMessage } from '@cricket/core';
import { ProviderError } from './provider-error.js';

/** Default idle timeout: the longest silence tolerated between two chunks of a stream. */
export const defaultIdleTimeoutMs = 60_000;

/** Options shared by the stream readers ({@link readByteChunks}, `readSseStream`, `readNdjsonStream`). */
export interface StreamReadOptions {
  /** Provider id used in error messages and on {@link ProviderError}. */
  provider: string;
  /** Stops reading; the pending read rejects with `InferenceError('cancelled')` at once. */
  signal?: AbortSignal;
  /** Longest silence between two chunks before `stream-idle-timeout` (default 60 s; 0 disables). */
  idleTimeoutMs?: number;
}

/**
 * Iterates the chunks of a response body with the three guards every provider stream needs:
 *
 * - idle timeout: no chunk for `idleTimeoutMs` → {@link ProviderError} `stream-idle-timeout`;
 * - abort: `signal` fires → `InferenceError('cancelled')` without waiting for the next chunk;
 * - a read failure (socket reset, server died mid-body) → `stream-truncated`.
 *
 * However iteration ends — error, abort, timeout or the consumer's `break` — the body is cancelled,
 * which closes the underlying HTTP connection so the provider stops generating (and billing).
 */
export async function* readByteChunks(
  body: ReadableStream<Uint8Array>,
  options: StreamReadOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { provider, signal } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
  const reader = body.getReader();
  // One timer and one abort listener for the whole stream, re-armed per read: a chunk costs a
  // `refresh()` rather than a new timer, which matters at thousands of chunks per second.
  let fail: ((error: Error) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => fail?.(cancelledError(signal, `${provider}: inference`));
  signal?.addEventListener('abort', onAbort, { once: true });
  let drained = false;
  try {
    while (true) {
      if (signal?.aborted) throw cancelledError(signal, `${provider}: inference`);
      const result = await new Promise<Awaited<ReturnType<typeof reader.read>>>((resolve, reject) => {
        fail = reject;
        if (idleTimeoutMs > 0 && Number.isFinite(idleTimeoutMs)) {
          if (timer) timer.refresh();
          else {
            timer = setTimeout(() => {
              fail?.(
                new ProviderError('stream-idle-timeout', `${provider}: no data received for ${idleTimeoutMs} ms`, {
                  provider,
                }),
              );
            }, idleTimeoutMs);
          }
        }
        reader.read().then(resolve, (error: unknown) => {
          if (signal?.aborted) reject(cancelledError(signal, `${provider}: inference`));
          else {
            reject(
              new ProviderError(
                'stream-truncated',
                `${provider}: connection lost mid-stream: ${describeReadError(error)}`,
                {
                  provider,
                  cause: error,
                },
              ),
            );
          }
        });
      });
      fail = undefined;
      if (result.done) {
        drained = true;
        return;
      }
      yield result.value;
    }
  } finally {
    fail = undefined;
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Cancelling a fetch body aborts the request: the socket closes and the server sees it.
    if (!drained) reader.cancel().catch(() => {});
  }
}

// undici reports a dropped connection as `TypeError: terminated` with the socket error as `cause`.
function describeReadError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${errorMessage(error)}${cause}`;
}
