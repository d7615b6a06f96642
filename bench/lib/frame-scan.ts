// Cheap reading of server frames on the client side. The load clients receive hundreds of
// thousands of frames per second, so they must not JSON.parse each one (that would make the
// CLIENT the bottleneck). The server encodes every frame as `JSON.stringify({sem: true, event})`
// with `type` first and `id` second; emitted frames end with `,"seq":N}}`, the pipeline's
// `timeline.upsert` echoes carry `"seq":N` right after `id`. Anything unexpected falls back to
// JSON.parse, so the scan is an optimisation, never a different answer.

const prefix = Buffer.from('{"sem":true,"event":{"type":"');
const idKey = Buffer.from('","id":"');
const seqAfterId = Buffer.from(',"seq":');
const deltaKey = Buffer.from('"delta":"');
const quote = 0x22;
const backslash = 0x5c;

/** What a client needs from one frame. */
export interface ScannedFrame {
  type: string;
  id: string;
  /** Absent on `ws.hello` / `ws.pong`. */
  seq?: number;
  /**
   * A `timeline.upsert` the pipeline publishes after a flush's frames (`"seq"` right after `id`): it
   * repeats the version of an earlier frame and clients apply it by entity version, not by `seq`.
   */
  echo?: boolean;
  /** `data.delta` of `llm.delta` frames. */
  delta?: string;
  /** `data.text` of `llm.final` frames. */
  text?: string;
}

/** Reads type, id, seq and (for deltas) the delta text of a frame. */
export function scanFrame(buffer: Buffer): ScannedFrame {
  if (buffer.length < prefix.length + 4 || buffer.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0) {
    return parseFrame(buffer);
  }
  const typeEnd = buffer.indexOf(quote, prefix.length);
  if (typeEnd < 0 || buffer.compare(idKey, 0, idKey.length, typeEnd, typeEnd + idKey.length) !== 0) {
    return parseFrame(buffer);
  }
  const type = buffer.toString('latin1', prefix.length, typeEnd);
  const idStart = typeEnd + idKey.length;
  const idEnd = buffer.indexOf(quote, idStart);
  if (idEnd < 0 || buffer.indexOf(backslash, idStart) === idEnd - 1) return parseFrame(buffer);
  const frame: ScannedFrame = { type, id: buffer.toString('utf8', idStart, idEnd) };
  if (buffer.compare(seqAfterId, 0, seqAfterId.length, idEnd + 1, idEnd + 1 + seqAfterId.length) === 0) {
    frame.seq = readDigits(buffer, idEnd + 1 + seqAfterId.length);
    frame.echo = true;
  } else if (buffer[buffer.length - 1] === 0x7d && buffer[buffer.length - 2] === 0x7d) {
    // `...,"seq":123}}`: walk back over the digits.
    let start = buffer.length - 2;
    while (start > 0 && isDigit(buffer[start - 1])) start--;
    if (start < buffer.length - 2 && buffer.compare(seqAfterId, 0, seqAfterId.length, start - 7, start) === 0) {
      frame.seq = readDigits(buffer, start);
    }
  }
  if (type === 'llm.delta') {
    const keyAt = buffer.indexOf(deltaKey, idEnd);
    if (keyAt < 0) return parseFrame(buffer);
    const start = keyAt + deltaKey.length;
    const end = buffer.indexOf(quote, start);
    const escaped = buffer.indexOf(backslash, start);
    if (end < 0 || (escaped >= 0 && escaped < end)) return parseFrame(buffer);
    frame.delta = buffer.toString('utf8', start, end);
  } else if (type === 'llm.final') {
    return parseFrame(buffer);
  }
  return frame;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function readDigits(buffer: Buffer, from: number): number {
  let value = 0;
  for (let index = from; index < buffer.length; index++) {
    const byte = buffer[index];
    if (!isDigit(byte)) break;
    value = value * 10 + ((byte as number) - 0x30);
  }
  return value;
}

/** The slow, exact path. */
export function parseFrame(buffer: Buffer): ScannedFrame {
  const parsed = JSON.parse(buffer.toString('utf8')) as {
    event?: { type?: string; id?: string; seq?: number; data?: { delta?: string; text?: string } };
  };
  const event = parsed.event ?? {};
  const frame: ScannedFrame = { type: event.type ?? '', id: event.id ?? '' };
  // Echoes are encoded {type, id, seq, data}; emitted frames get `seq` appended last.
  if (Object.keys(event)[2] === 'seq') frame.echo = true;
  if (typeof event.seq === 'number') frame.seq = event.seq;
  if (typeof event.data?.delta === 'string') frame.delta = event.data.delta;
  if (typeof event.data?.text === 'string') frame.text = event.data.text;
  return frame;
}
