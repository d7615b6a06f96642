import { describe, expect, it } from 'vitest';
import type { EventMetadata } from '../event-metadata.js';
import { RecordingSink } from '../event-sink.js';
import { FilteringSink } from './filtering-sink.js';
import { type MalformedPolicy, malformedBlockError } from './structured-scanner.js';
import { cutAt, drive, finalText, recordingExtractor, visibleDeltas } from './structured-test-kit.js';

const meta: EventMetadata = { message_id: 'm1' };
const open = '<acme:cite:v1>';
const close = '</acme:cite:v1>';

function setup(options: { malformed?: MalformedPolicy; maxCaptureBytes?: number } = {}) {
  const extractor = recordingExtractor('acme:cite:v1');
  const recording = new RecordingSink();
  const sink = new FilteringSink(recording, { extractors: [extractor], ...options });
  return { extractor, recording, sink };
}

describe('FilteringSink malformed policies', () => {
  const text = `pre ${open}unfinished </acme:cite:v`;

  it('error-events (the default) reports the block and does not reinsert its text', () => {
    const { extractor, recording, sink } = setup();
    drive(sink, meta, [text.slice(0, 10), text.slice(10)]);
    expect(finalText(recording.events, 'm1')).toBe('pre ');
    expect(extractor.blocks[0]?.completed).toEqual({
      raw: 'unfinished </acme:cite:v',
      success: false,
      error: malformedBlockError,
    });
    expect(sink.openStreams).toBe(0);
  });

  it('reconstruct-text puts the open tag and payload back into the final text', () => {
    const { extractor, recording, sink } = setup({ malformed: 'reconstruct-text' });
    drive(sink, meta, [text.slice(0, 10), text.slice(10)]);
    expect(finalText(recording.events, 'm1')).toBe(text);
    expect(extractor.blocks[0]?.completed).toEqual({
      raw: 'unfinished </acme:cite:v',
      success: false,
      error: malformedBlockError,
    });
  });

  it('ignore drops the payload and completes without an error', () => {
    const { extractor, recording, sink } = setup({ malformed: 'ignore' });
    drive(sink, meta, [text]);
    expect(finalText(recording.events, 'm1')).toBe('pre ');
    expect(extractor.blocks[0]?.completed).toEqual({ raw: 'unfinished </acme:cite:v', success: false });
  });

  it('applies the policy to a final-only stream', () => {
    const { extractor, recording, sink } = setup({ malformed: 'reconstruct-text' });
    sink.publish({ type: 'final', meta, text });
    expect(recording.types()).toEqual(['info', 'info', 'final']);
    expect(finalText(recording.events, 'm1')).toBe(text);
    expect(extractor.blocks[0]?.completed?.success).toBe(false);
  });

  it('releases a held open-tag prefix as text at the end of the stream', () => {
    const { extractor, recording, sink } = setup();
    drive(sink, meta, ['x <acme:ci', 'te:v']);
    // The prefix is held (never forwarded as a partial) but belongs to the final text.
    expect(visibleDeltas(recording.events, 'm1')).toBe('x ');
    expect(finalText(recording.events, 'm1')).toBe('x <acme:cite:v');
    expect(extractor.blocks).toEqual([]);
  });
});

describe('FilteringSink capture cap', () => {
  it('ends an oversized block as failed, drops the rest of it and continues after the close tag', () => {
    const { extractor, recording, sink } = setup({ maxCaptureBytes: 8 });
    drive(sink, meta, [`a ${open}0123456789abc${close} b ${open}ok${close} c`]);
    expect(finalText(recording.events, 'm1')).toBe('a  b  c');
    expect(visibleDeltas(recording.events, 'm1')).toBe('a  b  c');
    expect(extractor.blocks.map((block) => [block.itemId, block.chunks.join(''), block.completed])).toEqual([
      ['m1:0', '01234567', { raw: '01234567', success: false, error: 'structured block exceeds 8 bytes' }],
      ['m1:1', 'ok', { raw: 'ok', success: true }],
    ]);
  });

  it('gives the same result at every chunk boundary', () => {
    const text = `a ${open}0123456789abc${close} b`;
    for (let cut = 0; cut <= text.length; cut++) {
      const { extractor, recording, sink } = setup({ maxCaptureBytes: 8 });
      drive(sink, meta, cutAt(text, [cut]));
      expect(visibleDeltas(recording.events, 'm1'), `cut ${cut}`).toBe('a  b');
      expect(extractor.blocks[0]?.completed, `cut ${cut}`).toEqual({
        raw: '01234567',
        success: false,
        error: 'structured block exceeds 8 bytes',
      });
      expect(extractor.blocks[0]?.chunks.join(''), `cut ${cut}`).toBe('01234567');
    }
  });

  it('accepts a payload of exactly the cap', () => {
    const { extractor, sink } = setup({ maxCaptureBytes: 8 });
    drive(sink, meta, [open, '0123', '4567', close]);
    expect(extractor.blocks[0]?.completed).toEqual({ raw: '01234567', success: true });
  });

  it('counts UTF-8 bytes and never splits a character', () => {
    const { extractor, sink } = setup({ maxCaptureBytes: 9 });
    // é is 2 bytes and 😀 is 4 bytes (a surrogate pair): "éé😀" is 8 bytes, a second 😀 would make 12.
    drive(sink, meta, [`${open}éé😀😀${close}`]);
    expect(extractor.blocks[0]?.completed).toEqual({
      raw: 'éé😀',
      success: false,
      error: 'structured block exceeds 9 bytes',
    });
  });

  it('does not complete an overflowed block twice or reinsert it when the stream ends unclosed', () => {
    const { extractor, recording, sink } = setup({ maxCaptureBytes: 4, malformed: 'reconstruct-text' });
    drive(sink, meta, [`x${open}123456789`, '</acme:cite']);
    expect(finalText(recording.events, 'm1')).toBe('x');
    expect(extractor.blocks).toHaveLength(1);
    expect(extractor.blocks[0]?.completed).toEqual({
      raw: '1234',
      success: false,
      error: 'structured block exceeds 4 bytes',
    });
    expect(recording.ofType('info')).toHaveLength(2);
  });

  it('enforces the 64 KiB default', () => {
    const { extractor, recording, sink } = setup();
    const big = 'y'.repeat(64 * 1024 + 10);
    const pieces = big.match(/.{1,1000}/gs) ?? [];
    drive(sink, meta, ['<', 'acme:cite:v1>', ...pieces, close, 'after']);
    expect(extractor.blocks[0]?.completed).toEqual({
      raw: big.slice(0, 64 * 1024),
      success: false,
      error: 'structured block exceeds 65536 bytes',
    });
    expect(finalText(recording.events, 'm1')).toBe('after');
  });
});
