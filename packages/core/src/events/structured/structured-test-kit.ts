// Test support for the structured sink's own tests (not exported): a recording extractor and a stream driver.
import type { EventMetadata } from '../event-metadata.js';
import type { EventSink } from '../event-sink.js';
import type { InferenceEvent } from '../inference-event.js';
import type { Extractor, ExtractorSession } from './extractor.js';

/** What a recording extractor saw for one block. */
export interface RecordedBlock {
  itemId: string;
  metadata: EventMetadata;
  started: boolean;
  chunks: string[];
  completed?: { raw: string; success: boolean; error?: string };
}

/** A callback name a recording extractor can be told to throw from. */
export type ThrowingStage = 'createSession' | 'onStart' | 'onRaw' | 'onCompleted';

/** An extractor that records every call and returns one `info` event from onStart and from onCompleted. */
export interface RecordingExtractor extends Extractor {
  readonly blocks: RecordedBlock[];
}

/**
 * Builds a recording extractor for `key` (`pkg:type:ver`). Returned events carry an empty `message_id` and
 * no other ids so tests can see the sink fill them in.
 */
export function recordingExtractor(key: string, throwIn?: ThrowingStage): RecordingExtractor {
  const [pkg = '', type = '', version = ''] = key.split(':');
  const blocks: RecordedBlock[] = [];
  const fail = (stage: ThrowingStage): void => {
    if (throwIn === stage) throw new Error(`boom in ${stage}`);
  };
  return {
    package: pkg,
    type,
    version,
    blocks,
    createSession({ itemId, metadata }): ExtractorSession {
      fail('createSession');
      const block: RecordedBlock = { itemId, metadata, started: false, chunks: [] };
      blocks.push(block);
      return {
        onStart() {
          fail('onStart');
          block.started = true;
          return [{ type: 'info', meta: { message_id: '' }, message: `start ${key} ${itemId}` }];
        },
        onRaw(chunk) {
          fail('onRaw');
          block.chunks.push(chunk);
          return [];
        },
        onCompleted(raw, success, error) {
          block.completed = error === undefined ? { raw, success } : { raw, success, error };
          fail('onCompleted');
          return [{ type: 'info', meta: { message_id: '' }, message: `done ${key} ${itemId}`, data: { raw, success } }];
        },
      };
    },
  };
}

/**
 * Publishes `chunks` as partials of stream `meta.message_id` (completion accumulating), then a final with the
 * whole text unless `final` is false. Promises returned by the sink are ignored (tests use sync sinks).
 */
export function drive(sink: EventSink, meta: EventMetadata, chunks: readonly string[], final = true): void {
  let completion = '';
  for (const delta of chunks) {
    completion += delta;
    void sink.publish({ type: 'partial', meta, delta, completion });
  }
  if (final) void sink.publish({ type: 'final', meta, text: completion });
}

/** Concatenated deltas of the forwarded partials of one stream. */
export function visibleDeltas(events: readonly InferenceEvent[], messageId: string): string {
  return events
    .filter((event) => event.type === 'partial' && event.meta.message_id === messageId)
    .map((event) => (event.type === 'partial' ? event.delta : ''))
    .join('');
}

/** The text of the forwarded final of one stream (undefined when none was forwarded). */
export function finalText(events: readonly InferenceEvent[], messageId: string): string | undefined {
  for (const event of events) {
    if (event.type === 'final' && event.meta.message_id === messageId) return event.text;
  }
  return undefined;
}

/** Splits `text` at the given sorted cut positions. */
export function cutAt(text: string, cuts: readonly number[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}
