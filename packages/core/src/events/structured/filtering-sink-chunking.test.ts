import { describe, expect, it } from 'vitest';
import type { EventMetadata } from '../event-metadata.js';
import { RecordingSink } from '../event-sink.js';
import { FilteringSink } from './filtering-sink.js';
import type { MalformedPolicy } from './structured-scanner.js';
import { cutAt, drive, finalText, type RecordingExtractor, recordingExtractor } from './structured-test-kit.js';

const meta: EventMetadata = { message_id: 'm1' };
const open = '<acme:cite:v1>';
const close = '</acme:cite:v1>';

interface Outcome {
  visible: string;
  final: string | undefined;
  blocks: { itemId: string; started: boolean; streamed: string; completed: unknown }[];
  extractorEvents: string[];
}

/** Runs `chunks` through a fresh sink; with `partialCount` only that many chunks go out as partials. */
function run(
  chunks: readonly string[],
  options: { malformed?: MalformedPolicy; maxCaptureBytes?: number; partialCount?: number } = {},
): Outcome {
  const extractors: RecordingExtractor[] = [recordingExtractor('acme:cite:v1'), recordingExtractor('acme:plan:v2')];
  const recording = new RecordingSink();
  const sink = new FilteringSink(recording, { extractors, ...options });
  const partials = chunks.slice(0, options.partialCount ?? chunks.length);
  drive(sink, meta, partials, false);
  sink.publish({ type: 'final', meta, text: chunks.join('') });
  let visible = '';
  for (const event of recording.ofType('partial')) {
    visible += event.delta;
    // Invariant of every forwarded partial: completion is the filtered text so far.
    expect(event.completion).toBe(visible);
    expect(event.delta).not.toBe('');
  }
  expect(sink.openStreams).toBe(0);
  return {
    visible,
    final: finalText(recording.events, 'm1'),
    blocks: extractors.flatMap((extractor) =>
      extractor.blocks.map((block) => ({
        itemId: block.itemId,
        started: block.started,
        streamed: block.chunks.join(''),
        completed: block.completed,
      })),
    ),
    extractorEvents: recording.ofType('info').map((event) => event.message),
  };
}

/** A tiny seeded PRNG (mulberry32) so failures reproduce. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('FilteringSink chunk boundaries', () => {
  const text = `ab${open}x: 1</acme:cite:v2></acme:cite:v1 y${close}cd`;
  const expected = run([text]);

  it('has the expected single-chunk result', () => {
    expect(expected.final).toBe('abcd');
    expect(expected.visible).toBe('abcd');
    expect(expected.blocks).toEqual([
      {
        itemId: 'm1:0',
        started: true,
        streamed: 'x: 1</acme:cite:v2></acme:cite:v1 y',
        completed: { raw: 'x: 1</acme:cite:v2></acme:cite:v1 y', success: true },
      },
    ]);
  });

  it('gives the same result for every single split point', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      expect(run(cutAt(text, [cut])), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('gives the same result for every pair of split points (both tags split everywhere)', () => {
    for (let first = 0; first <= text.length; first++) {
      for (let second = first; second <= text.length; second++) {
        expect(run(cutAt(text, [first, second])), `cuts at ${first},${second}`).toEqual(expected);
      }
    }
  });

  it('gives the same result one character at a time', () => {
    expect(run([...text])).toEqual(expected);
  });
});

describe('FilteringSink randomized segmentation', () => {
  const corpora = [
    // Unknown tags, stray brackets, near misses, a nested open tag, multi-byte text, an empty block,
    // two extractors, a case mismatch, and a held open-tag prefix at the very end.
    `Intro < x, <<b> <<acme:<${open}n${close} <other:kind:v1>u</other:kind:v1> ${open}a: 1\n</acme:cite:v2> </acme:cite:v1 ` +
      `<acme:cite:v1> é😀${close}${open}${close} mid <acme:plan:v2>p: [1, 2]</acme:plan:v2> ` +
      `<Acme:cite:v1>case</Acme:cite:v1> ${open}tail${close}< end <acme:cite:v1`,
    // Ends inside a block, so the malformed policy decides what survives.
    `lead ${open}one${close}<acme:plan:v2>two</acme:plan:v2>${open}never closed </acme:cite:v1 é`,
    // Overflows a 16-byte cap in the first block, then a normal block.
    `x${open}0123456789abcdefghijklmnop${close}y${open}short${close}z`,
  ];
  const configurations: { malformed?: MalformedPolicy; maxCaptureBytes?: number }[] = [
    {},
    { malformed: 'reconstruct-text' },
    { malformed: 'ignore' },
    { maxCaptureBytes: 16 },
  ];

  function randomCuts(random: () => number, length: number): number[] {
    const count = Math.floor(random() * Math.min(length + 1, 40));
    // Duplicated positions produce zero-length deltas on purpose.
    return Array.from({ length: count }, () => Math.floor(random() * (length + 1))).sort((a, b) => a - b);
  }

  for (const [corpusIndex, corpus] of corpora.entries()) {
    for (const config of configurations) {
      it(`matches the single-chunk run for corpus ${corpusIndex} with ${JSON.stringify(config)}`, () => {
        const random = mulberry32(0xc0ffee + corpusIndex);
        const expected = run([corpus], config);
        for (let trial = 0; trial < 300; trial++) {
          const chunks = cutAt(corpus, randomCuts(random, corpus.length));
          expect(run(chunks, config), `chunks ${JSON.stringify(chunks)}`).toEqual(expected);
          // A final that carries text beyond the partials must reach the same final text and blocks.
          const partialCount = Math.floor(random() * (chunks.length + 1));
          const tailRun = run(chunks, { ...config, partialCount });
          expect({ ...tailRun, visible: '' }, `partials ${partialCount} of ${JSON.stringify(chunks)}`).toEqual({
            ...expected,
            visible: '',
          });
        }
      });
    }
  }

  it('exercises what it claims: blocks are extracted and text is filtered', () => {
    const outcome = run([corpora[0] ?? '']);
    expect(outcome.blocks.map((block) => block.completed)).toEqual([
      { raw: 'n', success: true },
      { raw: 'a: 1\n</acme:cite:v2> </acme:cite:v1 <acme:cite:v1> é😀', success: true },
      { raw: '', success: true },
      { raw: 'tail', success: true },
      { raw: 'p: [1, 2]', success: true },
    ]);
    expect(outcome.final).toBe(
      'Intro < x, <<b> <<acme:< <other:kind:v1>u</other:kind:v1>  mid  <Acme:cite:v1>case</Acme:cite:v1> < end <acme:cite:v1',
    );
  });
});
