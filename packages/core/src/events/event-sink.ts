import type { InferenceEvent } from './inference-event.js';

/**
 * Receives events. `publish` may return a promise; the fan-out reports its rejection instead of
 * waiting on it, so a slow sink cannot stall a stream.
 */
export interface EventSink {
  publish(event: InferenceEvent): void | Promise<void>;
}

/** Called when a sink throws or rejects. */
export type SinkErrorHandler = (error: unknown, event: InferenceEvent, sink: EventSink) => void;

/** The default handler: writes a warning with the event type and the error. */
export const warnOnSinkError: SinkErrorHandler = (error, event) => {
  console.warn(`cricket: event sink failed on ${event.type} event:`, error);
};

/**
 * Fans each event out to every sink in order. A failing sink does not stop the others; its error
 * goes to `onError` (default {@link warnOnSinkError}) — never silently dropped.
 */
export class FanOutSink implements EventSink {
  readonly #sinks: EventSink[];
  readonly #onError: SinkErrorHandler;

  constructor(sinks: readonly EventSink[] = [], onError: SinkErrorHandler = warnOnSinkError) {
    this.#sinks = [...sinks];
    this.#onError = onError;
  }

  /** Adds a sink at the end. */
  add(sink: EventSink): void {
    this.#sinks.push(sink);
  }

  /** Number of sinks. */
  get size(): number {
    return this.#sinks.length;
  }

  publish(event: InferenceEvent): void {
    for (const sink of this.#sinks) {
      try {
        const pending = sink.publish(event);
        if (pending && typeof pending.then === 'function') {
          pending.then(undefined, (error: unknown) => this.#onError(error, event, sink));
        }
      } catch (error) {
        this.#onError(error, event, sink);
      }
    }
  }
}

/** A sink that keeps every event in memory (tests, CLIs, debug views). */
export class RecordingSink implements EventSink {
  readonly events: InferenceEvent[] = [];

  publish(event: InferenceEvent): void {
    this.events.push(event);
  }

  /** The recorded events of one type. */
  ofType<T extends InferenceEvent['type']>(type: T): Extract<InferenceEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<InferenceEvent, { type: T }> => event.type === type);
  }

  /** The recorded event types, in order. */
  types(): InferenceEvent['type'][] {
    return this.events.map((event) => event.type);
  }
}

/** A sink that calls a function. */
export function sinkFrom(publish: (event: InferenceEvent) => void | Promise<void>): EventSink {
  return { publish };
}
