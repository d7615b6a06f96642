import { describe, expect, it } from 'vitest';
import type { EventMetadata } from '../event-metadata.js';
import { RecordingSink, sinkFrom } from '../event-sink.js';
import type { InferenceEvent } from '../inference-event.js';
import type { Extractor } from './extractor.js';
import { extractorFailedCode, FilteringSink, interruptedBlockError } from './filtering-sink.js';
import { StructuredConfigError } from './structured-config-error.js';
import { drive, finalText, recordingExtractor, visibleDeltas } from './structured-test-kit.js';

const meta: EventMetadata = { message_id: 'm1', session_id: 's1', inference_id: 'i1', turn_id: 't1' };
const open = '<acme:cite:v1>';
const close = '</acme:cite:v1>';

function setup(extractors: Extractor[] = [recordingExtractor('acme:cite:v1')]) {
  const recording = new RecordingSink();
  const sink = new FilteringSink(recording, { extractors });
  return { recording, sink };
}

describe('FilteringSink basics', () => {
  it('forwards plain text unchanged as partials and final', () => {
    const { recording, sink } = setup();
    drive(sink, meta, ['Hello ', 'world']);
    expect(recording.events).toEqual([
      { type: 'partial', meta, delta: 'Hello ', completion: 'Hello ' },
      { type: 'partial', meta, delta: 'world', completion: 'Hello world' },
      { type: 'final', meta, text: 'Hello world' },
    ]);
    expect(sink.openStreams).toBe(0);
  });

  it('strips a registered block and publishes extractor events in stream order', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, [`Hello ${open}a: 1${close} world`]);
    expect(recording.types()).toEqual(['partial', 'info', 'info', 'partial', 'final']);
    const partials = recording.ofType('partial');
    expect(partials.map((event) => [event.delta, event.completion])).toEqual([
      ['Hello ', 'Hello '],
      [' world', 'Hello  world'],
    ]);
    expect(finalText(recording.events, 'm1')).toBe('Hello  world');
    expect(extractor.blocks).toEqual([
      { itemId: 'm1:0', metadata: meta, started: true, chunks: ['a: 1'], completed: { raw: 'a: 1', success: true } },
    ]);
  });

  it('passes events other than partial and final through as the same object', () => {
    const { recording, sink } = setup();
    const others: InferenceEvent[] = [
      { type: 'start', meta },
      { type: 'log', meta, level: 'info', message: `text ${open}x${close}` },
      { type: 'partial-thinking', meta, delta: open, completion: open },
      { type: 'tool-call', meta, tool_call: { id: 'c1', name: 'n', input: '{}' } },
    ];
    for (const event of others) sink.publish(event);
    expect(recording.events).toHaveLength(others.length);
    recording.events.forEach((event, index) => {
      expect(event).toBe(others[index]);
    });
  });

  it('keeps unknown tags, lone angle brackets and close tags without an open tag as text', () => {
    const { recording, sink } = setup();
    const text = `a < b <<div> <other:x:v1>keep</other:x:v1> ${close} <acme:cite> <acme:cite:v1 x> <:a:b> <a::b>`;
    drive(sink, meta, [text]);
    expect(visibleDeltas(recording.events, 'm1')).toBe(text);
    expect(finalText(recording.events, 'm1')).toBe(text);
    expect(recording.ofType('info')).toEqual([]);
  });

  it('starts a new candidate at the bracket that broke the previous one', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, ['a<', `${open}x${close}<acme:`, `${open}y${close}b<${open}z${close}`]);
    expect(finalText(recording.events, 'm1')).toBe('a<<acme:b<');
    expect(extractor.blocks.map((block) => block.completed?.raw)).toEqual(['x', 'y', 'z']);
  });

  it('matches tags case-sensitively', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, [`<Acme:cite:v1>x</Acme:cite:v1> ${open}y</ACME:cite:v1>z${close}!`]);
    expect(finalText(recording.events, 'm1')).toBe('<Acme:cite:v1>x</Acme:cite:v1> !');
    expect(extractor.blocks.map((block) => block.completed)).toEqual([{ raw: 'y</ACME:cite:v1>z', success: true }]);
  });

  it('treats near-miss close tags as payload', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    const payload = 'a </acme:cite:v2> b </acme:cite:v1 c </acme:cite:v1< d <acme:cite:v1> e';
    drive(sink, meta, [`x${open}${payload}${close}y`]);
    expect(finalText(recording.events, 'm1')).toBe('xy');
    expect(extractor.blocks[0]?.completed).toEqual({ raw: payload, success: true });
  });

  it('completes an empty payload without raw chunks', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, [`${open}${close}`]);
    expect(extractor.blocks).toEqual([
      { itemId: 'm1:0', metadata: meta, started: true, chunks: [], completed: { raw: '', success: true } },
    ]);
    // The filtered delta is empty, so no partial is forwarded at all.
    expect(recording.types()).toEqual(['info', 'info', 'final']);
    expect(finalText(recording.events, 'm1')).toBe('');
  });

  it('numbers back-to-back blocks and interleaved extractors per stream', () => {
    const cite = recordingExtractor('acme:cite:v1');
    const plan = recordingExtractor('acme:plan:v2');
    const { recording, sink } = setup([cite, plan]);
    drive(sink, meta, [`${open}1${close}${open}2${close}<acme:plan:v2>p</acme:plan:v2>-${open}3${close}`]);
    expect(cite.blocks.map((block) => [block.itemId, block.completed?.raw])).toEqual([
      ['m1:0', '1'],
      ['m1:1', '2'],
      ['m1:3', '3'],
    ]);
    expect(plan.blocks.map((block) => [block.itemId, block.completed?.raw])).toEqual([['m1:2', 'p']]);
    expect(finalText(recording.events, 'm1')).toBe('-');
  });

  it('keeps a close tag of another extractor inside a payload', () => {
    const cite = recordingExtractor('acme:cite:v1');
    const plan = recordingExtractor('acme:plan:v2');
    const { sink } = setup([cite, plan]);
    drive(sink, meta, [`${open}<acme:plan:v2>q</acme:plan:v2>${close}`]);
    expect(cite.blocks[0]?.completed?.raw).toBe('<acme:plan:v2>q</acme:plan:v2>');
    expect(plan.blocks).toEqual([]);
  });

  it('fills missing ids on extractor events from the stream and keeps ids the extractor set', () => {
    const custom: Extractor = {
      package: 'acme',
      type: 'cite',
      version: 'v1',
      createSession: ({ itemId }) => ({
        onCompleted: () => [
          { type: 'info', meta: { message_id: '', session_id: 'own-session' }, message: itemId },
          { type: 'info', meta: { message_id: 'own-message', model: 'm' }, message: 'second' },
        ],
      }),
    };
    const { recording, sink } = setup([custom]);
    drive(sink, meta, [`${open}x${close}`]);
    expect(recording.ofType('info').map((event) => event.meta)).toEqual([
      { message_id: 'm1', session_id: 'own-session', inference_id: 'i1', turn_id: 't1' },
      { message_id: 'own-message', model: 'm', session_id: 's1', inference_id: 'i1', turn_id: 't1' },
    ]);
  });

  it('keeps interleaved message ids independent', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    const a = { message_id: 'a' };
    const b = { message_id: 'b' };
    const partial = (m: EventMetadata, delta: string, completion: string) => {
      sink.publish({ type: 'partial', meta: m, delta, completion });
    };
    partial(a, 'A1 <acme:ci', 'A1 <acme:ci');
    partial(b, 'B1 <acme:cite:v1>bb', 'B1 <acme:cite:v1>bb');
    partial(a, 'te:v1>aa</acme:', 'A1 <acme:cite:v1>aa</acme:');
    partial(b, 'b</acme:cite:v1> B2', 'B1 <acme:cite:v1>bbb</acme:cite:v1> B2');
    partial(a, 'cite:v1> A2', 'A1 <acme:cite:v1>aa</acme:cite:v1> A2');
    expect(sink.openStreams).toBe(2);
    sink.publish({ type: 'final', meta: b, text: 'B1 <acme:cite:v1>bbb</acme:cite:v1> B2' });
    sink.publish({ type: 'final', meta: a, text: 'A1 <acme:cite:v1>aa</acme:cite:v1> A2' });
    expect(finalText(recording.events, 'a')).toBe('A1  A2');
    expect(finalText(recording.events, 'b')).toBe('B1  B2');
    expect(visibleDeltas(recording.events, 'a')).toBe('A1  A2');
    expect(extractor.blocks.map((block) => [block.itemId, block.completed?.raw])).toEqual([
      ['b:0', 'bbb'],
      ['a:0', 'aa'],
    ]);
    expect(sink.openStreams).toBe(0);
  });

  it('ignores zero-length deltas, including in the middle of tags', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, ['', 'x', '', '<acme:', '', 'cite:v1>', '', 'p', '', '</acme:cite', '', ':v1>', '', 'y', '']);
    expect(recording.ofType('partial').map((event) => event.delta)).toEqual(['x', 'y']);
    expect(finalText(recording.events, 'm1')).toBe('xy');
    expect(extractor.blocks[0]?.completed).toEqual({ raw: 'p', success: true });
  });

  it('handles a final-only stream', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    sink.publish({ type: 'final', meta, text: `a${open}p${close}b` });
    expect(recording.types()).toEqual(['info', 'info', 'final']);
    expect(finalText(recording.events, 'm1')).toBe('ab');
    expect(extractor.blocks[0]?.completed).toEqual({ raw: 'p', success: true });
    expect(sink.openStreams).toBe(0);
  });

  it('scans only the tail of a final beyond what partials delivered', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    sink.publish({ type: 'partial', meta, delta: `a${open}p`, completion: `a${open}p` });
    sink.publish({ type: 'final', meta, text: `a${open}pq${close}b${open}r${close}` });
    expect(finalText(recording.events, 'm1')).toBe('ab');
    expect(extractor.blocks.map((block) => block.completed?.raw)).toEqual(['pq', 'r']);
  });

  it('does not re-extract blocks a final repeats after partials delivered them', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    drive(sink, meta, [`a${open}p`, `${close}b`]);
    expect(extractor.blocks).toHaveLength(1);
    expect(recording.types()).toEqual(['partial', 'info', 'info', 'partial', 'final']);
  });

  it('ends an open block when the stream is interrupted and forwards the interrupt unchanged', () => {
    const extractor = recordingExtractor('acme:cite:v1');
    const { recording, sink } = setup([extractor]);
    sink.publish({ type: 'partial', meta, delta: `a${open}pq</acme`, completion: `a${open}pq</acme` });
    const interrupt: InferenceEvent = { type: 'interrupt', meta, text: `a${open}pq</acme` };
    sink.publish(interrupt);
    expect(extractor.blocks[0]?.completed).toEqual({ raw: 'pq</acme', success: false, error: interruptedBlockError });
    expect(recording.events.at(-1)).toBe(interrupt);
    expect(sink.openStreams).toBe(0);
  });
});

describe('FilteringSink extractor failures', () => {
  for (const stage of ['createSession', 'onStart', 'onRaw', 'onCompleted'] as const) {
    it(`reports a throw in ${stage} as an error event and keeps streaming`, () => {
      const failing = recordingExtractor('acme:cite:v1', stage);
      const other = recordingExtractor('acme:plan:v2');
      const { recording, sink } = setup([failing, other]);
      drive(sink, meta, ['a', open, 'p1', 'p2', 'p3', close, 'b<acme:plan:v2>', 'q</acme:plan:v2>c']);
      const errors = recording.ofType('error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: extractorFailedCode, blame: 'system', meta });
      expect(errors[0]?.error_string).toContain('acme:cite:v1');
      expect(errors[0]?.error_string).toContain(`${stage} for item m1:0: boom in ${stage}`);
      expect(finalText(recording.events, 'm1')).toBe('abc');
      expect(other.blocks[0]?.completed).toEqual({ raw: 'q', success: true });
      if (stage === 'createSession') {
        expect(failing.blocks).toEqual([]);
      } else {
        // Every later callback still ran (onRaw only until it threw).
        expect(failing.blocks[0]?.completed).toEqual({ raw: 'p1p2p3', success: true });
      }
    });
  }
});

describe('FilteringSink onRaw failure', () => {
  it('reports onRaw once and stops feeding it, though the payload arrives in many pieces', () => {
    const failing = recordingExtractor('acme:cite:v1', 'onRaw');
    const { recording, sink } = setup([failing]);
    const pieces = Array.from({ length: 10 }, (_, index) => `piece-${index}-${'x'.repeat(20)}`);
    drive(sink, meta, [open, ...pieces, close]);
    expect(recording.ofType('error')).toHaveLength(1);
    expect(failing.blocks[0]?.chunks).toEqual([]);
    expect(failing.blocks[0]?.completed).toEqual({ raw: pieces.join(''), success: true });
  });
});

describe('FilteringSink configuration and delivery', () => {
  it('rejects bad extractors and options', () => {
    const recording = new RecordingSink();
    const bad = (extractors: Extractor[], maxCaptureBytes?: number) => () =>
      new FilteringSink(recording, { extractors, ...(maxCaptureBytes === undefined ? {} : { maxCaptureBytes }) });
    expect(bad([recordingExtractor('acme:cite:v1'), recordingExtractor('acme:cite:v1')])).toThrow(
      StructuredConfigError,
    );
    expect(bad([recordingExtractor('acme:ci te:v1')])).toThrow(/invalid extractor tag/);
    expect(bad([recordingExtractor('acme::v1')])).toThrow(/invalid extractor tag/);
    expect(bad([], 0)).toThrow(/maxCaptureBytes/);
    expect(bad([], 1.5)).toThrow(/maxCaptureBytes/);
  });

  it('returns a promise only when the downstream sink does, and surfaces its rejection', async () => {
    const syncSink = new FilteringSink(new RecordingSink(), { extractors: [] });
    expect(syncSink.publish({ type: 'start', meta })).toBeUndefined();
    const seen: string[] = [];
    const asyncSink = new FilteringSink(
      sinkFrom(async (event) => {
        seen.push(event.type);
        if (event.type === 'final') throw new Error('downstream down');
      }),
      { extractors: [recordingExtractor('acme:cite:v1')] },
    );
    await expect(
      asyncSink.publish({ type: 'partial', meta, delta: `a${open}x${close}`, completion: '' }),
    ).resolves.toBe(undefined);
    await expect(asyncSink.publish({ type: 'final', meta, text: '' })).rejects.toThrow('downstream down');
    expect(seen).toEqual(['partial', 'info', 'info', 'final']);
  });
});
