import { classifyOpenTag, formatCloseTag, formatOpenTag, parseOpenTag, type StructuredTag } from './structured-tag.js';
import { utf8FittingPrefix, utf8Length } from './utf8-length.js';

/**
 * What happens to a block still open when its stream ends: `error-events` (the extractor is told with
 * error `malformed structured block`; the text is not reinserted), `reconstruct-text` (the open tag and
 * captured payload go back into the visible text, then the extractor is told as for `error-events`),
 * `ignore` (the payload is dropped and the extractor is told without an error).
 */
export type MalformedPolicy = 'error-events' | 'reconstruct-text' | 'ignore';

/** The error string passed to `onCompleted` for a block left open at the end of its stream. */
export const malformedBlockError = 'malformed structured block';

/**
 * One step of a scan, in stream order: visible text, a block opening, a piece of its payload, or its end.
 * `seq` numbers captured blocks of one stream from 0.
 */
export type ScanAction =
  | { kind: 'text'; text: string }
  | { kind: 'open'; tag: StructuredTag; seq: number }
  | { kind: 'raw'; seq: number; chunk: string }
  | { kind: 'close'; seq: number; raw: string; success: boolean; error?: string };

/** Configuration of a {@link StructuredScanner}. */
export interface StructuredScannerOptions {
  /** True when blocks with this tag are captured; other tags stay visible text. */
  isRegistered(tag: StructuredTag): boolean;
  malformed: MalformedPolicy;
  /** Largest payload, in UTF-8 bytes, a block may have; a larger one ends as failed. */
  maxCaptureBytes: number;
}

interface Capture {
  readonly tag: StructuredTag;
  readonly seq: number;
  readonly closeTag: string;
  // The last (close tag length - 1) characters, held back because they may be the start of the close tag.
  lag: string;
  payload: string;
  bytes: number;
  // Set once the cap was exceeded: the block is already completed and the rest up to the close tag is dropped.
  overflowed: boolean;
}

/**
 * The text state machine of one stream, free of events and extractors so it can be tested on its own.
 * Feed text with {@link push} in order, then call {@link finish} (or {@link abort}) once. The actions it
 * returns depend only on the concatenated input, never on how it was split, except that `raw` pieces and
 * `text` actions may be cut at different places.
 */
export class StructuredScanner {
  readonly #options: StructuredScannerOptions;
  // The candidate open tag being buffered (always starts with `<`); undefined outside a candidate.
  #candidate: string | undefined;
  #capture: Capture | undefined;
  #nextSeq = 0;

  constructor(options: StructuredScannerOptions) {
    this.#options = options;
  }

  /** True while a block is being captured (including the dropping phase after an overflow). */
  get capturing(): boolean {
    return this.#capture !== undefined;
  }

  /** Scans the next piece of stream text. */
  push(text: string): ScanAction[] {
    const out: ScanAction[] = [];
    let index = 0;
    while (index < text.length) {
      if (this.#capture) {
        index = this.#scanCapture(this.#capture, text, index, out);
      } else if (this.#candidate !== undefined) {
        index = this.#scanCandidate(this.#candidate, text, index, out);
      } else {
        const open = text.indexOf('<', index);
        if (open < 0) {
          emitText(out, text.slice(index));
          break;
        }
        emitText(out, text.slice(index, open));
        this.#candidate = '<';
        index = open + 1;
      }
    }
    return out;
  }

  /**
   * The stream ended: releases a held candidate as text and ends an open block under the malformed policy.
   * The scanner is back in its initial state afterwards.
   */
  finish(): ScanAction[] {
    const out: ScanAction[] = [];
    if (this.#candidate !== undefined) emitText(out, this.#candidate);
    this.#candidate = undefined;
    const capture = this.#capture;
    this.#capture = undefined;
    if (!capture) return out;
    this.#addPayload(capture, capture.lag, out);
    if (capture.overflowed) return out;
    const { malformed } = this.#options;
    if (malformed === 'reconstruct-text') emitText(out, formatOpenTag(capture.tag) + capture.payload);
    const error = malformed === 'ignore' ? undefined : malformedBlockError;
    out.push(closeAction(capture, false, error));
    return out;
  }

  /**
   * The stream was cut off: an open block ends as failed with `reason`, a held candidate is discarded and
   * nothing is reinserted (the malformed policy is for streams that finished).
   */
  abort(reason: string): ScanAction[] {
    const out: ScanAction[] = [];
    const capture = this.#capture;
    this.#candidate = undefined;
    this.#capture = undefined;
    if (!capture) return out;
    this.#addPayload(capture, capture.lag, out);
    if (!capture.overflowed) out.push(closeAction(capture, false, reason));
    return out;
  }

  #scanCandidate(start: string, text: string, from: number, out: ScanAction[]): number {
    let candidate = start;
    let index = from;
    while (index < text.length) {
      const next = candidate + text.charAt(index);
      const state = classifyOpenTag(next);
      if (state === 'invalid') {
        // The new character is not consumed: it may itself be a `<` that starts the next candidate.
        this.#candidate = undefined;
        emitText(out, candidate);
        return index;
      }
      index++;
      candidate = next;
      if (state === 'complete') {
        this.#candidate = undefined;
        this.#openTag(candidate, out);
        return index;
      }
    }
    this.#candidate = candidate;
    return index;
  }

  #openTag(text: string, out: ScanAction[]): void {
    const tag = parseOpenTag(text);
    if (!tag || !this.#options.isRegistered(tag)) {
      emitText(out, text);
      return;
    }
    const seq = this.#nextSeq++;
    this.#capture = { tag, seq, closeTag: formatCloseTag(tag), lag: '', payload: '', bytes: 0, overflowed: false };
    out.push({ kind: 'open', tag, seq });
  }

  #scanCapture(capture: Capture, text: string, from: number, out: ScanAction[]): number {
    const held = capture.lag;
    const window = held + text.slice(from);
    const end = window.indexOf(capture.closeTag);
    if (end >= 0) {
      this.#addPayload(capture, window.slice(0, end), out);
      if (!capture.overflowed) out.push(closeAction(capture, true));
      this.#capture = undefined;
      // The close tag is longer than the lag, so it ends inside `text`: map its end back to a text index.
      return from + end + capture.closeTag.length - held.length;
    }
    const split = Math.max(0, window.length - (capture.closeTag.length - 1));
    capture.lag = window.slice(split);
    this.#addPayload(capture, window.slice(0, split), out);
    return text.length;
  }

  #addPayload(capture: Capture, chunk: string, out: ScanAction[]): void {
    if (capture.overflowed || chunk === '') return;
    const limit = this.#options.maxCaptureBytes;
    const fits = utf8FittingPrefix(chunk, limit - capture.bytes);
    const head = chunk.slice(0, fits);
    if (head !== '') {
      capture.payload += head;
      capture.bytes += utf8Length(head);
      out.push({ kind: 'raw', seq: capture.seq, chunk: head });
    }
    if (fits === chunk.length) return;
    capture.overflowed = true;
    out.push(closeAction(capture, false, `structured block exceeds ${limit} bytes`));
    // The extractor has the payload now; the rest of the block is only scanned for its close tag.
    capture.payload = '';
  }
}

function closeAction(capture: Capture, success: boolean, error?: string): ScanAction {
  const action = { kind: 'close' as const, seq: capture.seq, raw: capture.payload, success };
  return error === undefined ? action : { ...action, error };
}

// Adjacent text actions are merged so consumers see one piece of text per run.
function emitText(out: ScanAction[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text += text;
  else out.push({ kind: 'text', text });
}
