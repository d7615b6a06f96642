import type { Turn } from '../turns/turn.js';

/**
 * A running (or finished) inference. `wait()` may be called any number of times, before or after
 * completion, and every caller gets the same outcome. `cancel()` is idempotent and safe after completion.
 */
export class InferenceHandle {
  readonly sessionId: string;
  readonly inferenceId: string;
  /** The session's latest turn, mutated in place as the inference appends blocks. */
  readonly input: Turn;
  readonly #controller: AbortController;
  readonly #done: Promise<Turn>;
  #running = true;

  /** @internal Created by `Session.startInference`. */
  constructor(sessionId: string, inferenceId: string, input: Turn, controller: AbortController, work: Promise<Turn>) {
    this.sessionId = sessionId;
    this.inferenceId = inferenceId;
    this.input = input;
    this.#controller = controller;
    this.#done = work.finally(() => {
      this.#running = false;
    });
    // Waiting is optional: a caller that only cancels must not cause an unhandled rejection.
    this.#done.catch(() => undefined);
  }

  /** Resolves with the final turn, or rejects with the inference's error. */
  wait(): Promise<Turn> {
    return this.#done;
  }

  /** Requests cancellation (the engine and running tools see the abort). No-op once finished. */
  cancel(reason: unknown = new Error('inference cancelled')): void {
    if (this.#running && !this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /** True until the inference settles. */
  isRunning(): boolean {
    return this.#running;
  }

  /** The signal the inference runs under. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
}
