import type { EventSink } from '../event-sink.js';
import type { InferenceEvent } from '../inference-event.js';

/**
 * Publishes events to one sink in order and remembers the promises it returned, so a caller can hand back
 * a single promise. Synchronous throws from the sink propagate.
 */
export class Outbox {
  readonly #sink: EventSink;
  readonly #pending: Promise<void>[] = [];

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  /** Publishes one event now. */
  send(event: InferenceEvent): void {
    const result = this.#sink.publish(event);
    if (result && typeof result.then === 'function') this.#pending.push(result);
  }

  /**
   * Undefined when the sink returned no promise; otherwise a promise that waits for all of them and then
   * rejects with the first rejection, if any.
   */
  settled(): void | Promise<void> {
    if (this.#pending.length === 0) return undefined;
    return Promise.allSettled(this.#pending).then((results) => {
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    });
  }
}
