import type { EventMetadata } from '../event-metadata.js';
import type { InferenceEvent } from '../inference-event.js';
import type { StructuredTag } from './structured-tag.js';

/** What an extractor learns when one of its blocks opens. */
export interface ExtractorSessionInit {
  /** `${message_id}:${n}`, where `n` counts captured blocks of the stream from 0. Unique per block. */
  readonly itemId: string;
  /** The metadata of the stream event in which the open tag completed. */
  readonly metadata: EventMetadata;
}

/**
 * Handles one block instance. Every callback returns the events to publish downstream (possibly none);
 * the sink fills in missing `message_id`, `session_id`, `inference_id` and `turn_id` from the stream.
 * A callback that throws is reported as an `error` event; it never breaks the stream.
 *
 * Call order: `onStart` once, then `onRaw` zero or more times with successive payload pieces (their
 * concatenation is the payload; piece boundaries depend on the provider's chunking), then `onCompleted`
 * exactly once. `onCompleted` is still called after `onRaw` threw; `onRaw` is not called again then.
 */
export interface ExtractorSession {
  onStart?(): InferenceEvent[];
  onRaw?(chunk: string): InferenceEvent[];
  /**
   * The block ended. `success` is true only when the close tag was seen and the payload stayed within the
   * capture cap; then `raw` is the whole payload and `error` is undefined. Otherwise `raw` is what was
   * captured and `error` says why (it may be undefined under the `ignore` malformed policy).
   */
  onCompleted(raw: string, success: boolean, error?: string): InferenceEvent[];
}

/**
 * Turns the blocks of one `(package, type, version)` into typed events. Register it with a FilteringSink;
 * blocks with no registered extractor stay in the visible text.
 */
export interface Extractor extends StructuredTag {
  /** Called once per block instance, when its open tag has been seen. */
  createSession(init: ExtractorSessionInit): ExtractorSession;
}
