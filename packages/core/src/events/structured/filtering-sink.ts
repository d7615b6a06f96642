import { errorMessage } from '../../errors/cricket-error.js';
import type { EventMetadata } from '../event-metadata.js';
import type { EventSink } from '../event-sink.js';
import type { InferenceEvent, InferenceEventOf } from '../inference-event.js';
import type { Extractor, ExtractorSession } from './extractor.js';
import { Outbox } from './outbox.js';
import { withStreamIds } from './stream-ids.js';
import { StructuredConfigError } from './structured-config-error.js';
import { type MalformedPolicy, type ScanAction, StructuredScanner } from './structured-scanner.js';
import { isValidTagPart, tagKey } from './structured-tag.js';

/** Default of {@link FilteringSinkOptions.maxCaptureBytes}: 64 KiB. */
export const defaultMaxCaptureBytes = 64 * 1024;

/** The error string an interrupted stream's open block is completed with. */
export const interruptedBlockError = 'stream interrupted';

/** Code of the `error` event published when an extractor callback throws. */
export const extractorFailedCode = 'structured-extractor-failed';

/** Configuration of a {@link FilteringSink}. */
export interface FilteringSinkOptions {
  /** At most one extractor per `(package, type, version)`. */
  extractors: readonly Extractor[];
  /** What to do with a block still open when its stream ends; default `error-events`. */
  malformed?: MalformedPolicy;
  /**
   * Largest payload per block, in UTF-8 bytes (default 64 KiB). A larger block is completed at once with
   * `success = false` and error `structured block exceeds N bytes`; the rest of its payload is dropped up to
   * its close tag and the stream goes on normally after it.
   */
  maxCaptureBytes?: number;
}

const malformedPolicies: readonly MalformedPolicy[] = ['error-events', 'reconstruct-text', 'ignore'];

interface ActiveBlock {
  readonly extractor: Extractor;
  readonly itemId: string;
  readonly session: ExtractorSession | undefined;
  // After onRaw threw once it is skipped for the rest of the block, so a broken extractor cannot emit one
  // error event per chunk; onCompleted is still called so it can report a result.
  rawFailed: boolean;
}

interface StreamState {
  readonly scanner: StructuredScanner;
  // The metadata of the latest partial or final of the stream; fills in ids on extractor events.
  meta: EventMetadata;
  // Filtered text accumulated so far (what the user sees).
  visible: string;
  // Length of the unfiltered text already scanned through partials, so a final only scans its tail.
  seen: number;
  block: ActiveBlock | undefined;
}

/**
 * An {@link EventSink} that strips `<package:type:version>` … `</package:type:version>` blocks out of
 * streamed assistant text and hands their payloads to registered {@link Extractor}s, publishing the events
 * they return to `downstream`.
 *
 * Contracts:
 * - Only `partial` and `final` are rewritten; every other event is forwarded unchanged (an `interrupt`
 *   additionally ends its stream: an open block is completed with error `stream interrupted`).
 * - State is kept per `meta.message_id`; interleaved streams do not affect each other.
 * - Each input `partial` yields `partial` events carrying the filtered delta and filtered `completion`;
 *   none when the filtered delta is empty. Visible text that precedes an extractor event in the stream is
 *   forwarded before it, so one input partial may yield several partials.
 * - A `final` scans only the part of its text beyond what partials delivered, ends an open block under the
 *   malformed policy, and is forwarded with the whole filtered text; the stream's state is then dropped.
 * - Extractor callbacks that throw become `error` events (code {@link extractorFailedCode}); they never
 *   break the stream. Errors thrown by `downstream` propagate to the caller.
 * - `publish` returns a promise only when `downstream` returned one; it settles when all of them have.
 */
export class FilteringSink implements EventSink {
  readonly #downstream: EventSink;
  readonly #extractors = new Map<string, Extractor>();
  readonly #malformed: MalformedPolicy;
  readonly #maxCaptureBytes: number;
  readonly #streams = new Map<string, StreamState>();

  /** Throws {@link StructuredConfigError} for invalid tag parts, duplicate extractors or bad options. */
  constructor(downstream: EventSink, options: FilteringSinkOptions) {
    this.#downstream = downstream;
    this.#malformed = options.malformed ?? 'error-events';
    this.#maxCaptureBytes = options.maxCaptureBytes ?? defaultMaxCaptureBytes;
    if (!malformedPolicies.includes(this.#malformed)) {
      throw new StructuredConfigError('invalid-option', `unknown malformed policy ${JSON.stringify(this.#malformed)}`);
    }
    if (!Number.isSafeInteger(this.#maxCaptureBytes) || this.#maxCaptureBytes <= 0) {
      throw new StructuredConfigError('invalid-option', `maxCaptureBytes must be a positive integer`);
    }
    for (const extractor of options.extractors) {
      const key = tagKey(extractor);
      if (![extractor.package, extractor.type, extractor.version].every(isValidTagPart)) {
        throw new StructuredConfigError('invalid-extractor', `invalid extractor tag ${JSON.stringify(key)}`);
      }
      if (this.#extractors.has(key)) {
        throw new StructuredConfigError('duplicate-extractor', `two extractors registered for ${key}`);
      }
      this.#extractors.set(key, extractor);
    }
  }

  /** Number of streams with state (seen a partial, not yet finished); for diagnostics and tests. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Filters one event; see the class contracts. Never throws for stream content, only if `downstream` does. */
  publish(event: InferenceEvent): void | Promise<void> {
    const outbox = new Outbox(this.#downstream);
    switch (event.type) {
      case 'partial':
        this.#onPartial(event, outbox);
        break;
      case 'final':
        this.#onFinal(event, outbox);
        break;
      case 'interrupt':
        this.#onInterrupt(event, outbox);
        break;
      default:
        outbox.send(event);
    }
    return outbox.settled();
  }

  #onPartial(event: InferenceEventOf<'partial'>, outbox: Outbox): void {
    const state = this.#stream(event.meta);
    state.seen += event.delta.length;
    let delta = '';
    const flush = (): void => {
      if (delta === '') return;
      outbox.send({ type: 'partial', meta: event.meta, delta, completion: state.visible });
      delta = '';
    };
    for (const action of state.scanner.push(event.delta)) {
      if (action.kind === 'text') {
        state.visible += action.text;
        delta += action.text;
      } else {
        flush();
        this.#dispatch(state, action, outbox);
      }
    }
    flush();
  }

  #onFinal(event: InferenceEventOf<'final'>, outbox: Outbox): void {
    const state = this.#stream(event.meta);
    const tail = event.text.length > state.seen ? event.text.slice(state.seen) : '';
    for (const action of [...state.scanner.push(tail), ...state.scanner.finish()]) {
      if (action.kind === 'text') state.visible += action.text;
      else this.#dispatch(state, action, outbox);
    }
    this.#streams.delete(event.meta.message_id);
    outbox.send({ type: 'final', meta: event.meta, text: state.visible });
  }

  #onInterrupt(event: InferenceEventOf<'interrupt'>, outbox: Outbox): void {
    const state = this.#streams.get(event.meta.message_id);
    if (state) {
      state.meta = event.meta;
      for (const action of state.scanner.abort(interruptedBlockError)) {
        if (action.kind !== 'text') this.#dispatch(state, action, outbox);
      }
      this.#streams.delete(event.meta.message_id);
    }
    outbox.send(event);
  }

  #stream(meta: EventMetadata): StreamState {
    let state = this.#streams.get(meta.message_id);
    if (!state) {
      const scanner = new StructuredScanner({
        isRegistered: (tag) => this.#extractors.has(tagKey(tag)),
        malformed: this.#malformed,
        maxCaptureBytes: this.#maxCaptureBytes,
      });
      state = { scanner, meta, visible: '', seen: 0, block: undefined };
      this.#streams.set(meta.message_id, state);
    }
    state.meta = meta;
    return state;
  }

  #dispatch(state: StreamState, action: Exclude<ScanAction, { kind: 'text' }>, outbox: Outbox): void {
    if (action.kind === 'open') {
      this.#openBlock(state, tagKey(action.tag), action.seq, outbox);
      return;
    }
    const block = state.block;
    if (action.kind === 'close') state.block = undefined;
    const session = block?.session;
    if (!block || !session) return;
    if (action.kind === 'close') {
      this.#guard(state, block, 'onCompleted', outbox, () =>
        session.onCompleted(action.raw, action.success, action.error),
      );
      return;
    }
    const { onRaw } = session;
    if (block.rawFailed || !onRaw) return;
    if (!this.#guard(state, block, 'onRaw', outbox, () => onRaw.call(session, action.chunk))) block.rawFailed = true;
  }

  #openBlock(state: StreamState, key: string, seq: number, outbox: Outbox): void {
    const extractor = this.#extractors.get(key);
    // The scanner only opens blocks whose tag passed isRegistered, which reads the same map.
    if (!extractor) return;
    const itemId = `${state.meta.message_id}:${seq}`;
    let session: ExtractorSession | undefined;
    try {
      session = extractor.createSession({ itemId, metadata: state.meta });
    } catch (error) {
      // The block is still captured (kept out of the visible text); it just has no session to feed.
      outbox.send(failureEvent(state.meta, extractor, itemId, 'createSession', error));
    }
    const block: ActiveBlock = { extractor, itemId, session, rawFailed: false };
    state.block = block;
    const onStart = session?.onStart;
    if (onStart) this.#guard(state, block, 'onStart', outbox, () => onStart.call(session));
  }

  // Runs one extractor callback; returns false when it threw (reported as an error event instead).
  #guard(
    state: StreamState,
    block: ActiveBlock,
    stage: string,
    outbox: Outbox,
    callback: () => InferenceEvent[],
  ): boolean {
    let events: InferenceEvent[];
    try {
      events = callback();
    } catch (error) {
      outbox.send(failureEvent(state.meta, block.extractor, block.itemId, stage, error));
      return false;
    }
    // Sent outside the try: a failing downstream sink is not the extractor's fault.
    for (const event of events) outbox.send(withStreamIds(event, state.meta));
    return true;
  }
}

function failureEvent(
  meta: EventMetadata,
  extractor: Extractor,
  itemId: string,
  stage: string,
  error: unknown,
): InferenceEvent {
  return {
    type: 'error',
    meta,
    error_string: `structured extractor ${tagKey(extractor)} failed in ${stage} for item ${itemId}: ${errorMessage(error)}`,
    code: extractorFailedCode,
    blame: 'system',
  };
}
