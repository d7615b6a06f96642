import { Backoff, type BackoffOptions } from './backoff.js';
import { ChatClientError } from './chat-client-error.js';

/** Settings of {@link retryRequest}. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Delays between attempts. */
  backoff?: BackoffOptions;
  /** Waits `ms` (default: a `setTimeout` promise; tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `request` and repeats it after a backoff delay while it fails with a retryable
 * {@link ChatClientError} (no response, 502/503/504). Any other failure, or the last one, is thrown.
 * Only use it for requests that are safe to repeat, such as `/chat` with a fixed idempotency key.
 */
export async function retryRequest<T>(request: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoff = new Backoff(options.backoff);
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ChatClientError) || !error.isRetryable || attempt >= retries) throw error;
      await sleep(backoff.next());
    }
  }
}
