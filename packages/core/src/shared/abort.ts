import { InferenceError } from '../errors/inference-error.js';

/** Throws `InferenceError('cancelled')` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal, what = 'inference'): void {
  if (signal.aborted) throw cancelledError(signal, what);
}

/** The error reported for a cancelled operation, keeping the abort reason as `cause`. */
export function cancelledError(signal?: AbortSignal, what = 'inference'): InferenceError {
  return new InferenceError(
    'cancelled',
    `${what} cancelled`,
    signal?.reason === undefined ? {} : { cause: signal.reason },
  );
}

/**
 * Resolves after `milliseconds`, or rejects with `InferenceError('cancelled')` (message `<what> cancelled`)
 * as soon as the signal fires. The timer is cleared either way, so nothing keeps the process alive.
 */
export function sleep(milliseconds: number, signal?: AbortSignal, what = 'inference'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError(signal, what));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError(signal, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects with `onAbort()` as soon as `signal` fires — even if the
 * underlying work ignores the signal. Used to enforce timeouts on code we do not control (tools).
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', listener);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', listener);
        reject(error);
      },
    );
  });
}
