// The pipeline's commit window: deltas of a message under way may wait for it, but a message's first
// delta (the time to first token) and every non-delta frame are committed on the next turn of the
// event loop, cutting a pending window short.
import { parseSemFrame, type SemEvent } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import type { EventLog, StoredFrame } from '../stores/event-log.js';
import { MemoryTimelineStore } from '../stores/memory/memory-timeline-store.js';
import { FramePipeline } from './frame-pipeline.js';

/** An in-memory event log: enough for the pipeline, which only appends and asks for the last seq. */
function memoryEventLog(): EventLog & { frames: StoredFrame[] } {
  const frames: StoredFrame[] = [];
  return {
    frames,
    append: (batch) => {
      frames.push(...batch);
    },
    read: (convId) => frames.filter((frame) => frame.convId === convId),
    latestForEntity: (convId, entityId) =>
      frames.filter((frame) => frame.convId === convId && frame.entityId === entityId).at(-1),
    lastSeq: (convId) => Math.max(0, ...frames.filter((frame) => frame.convId === convId).map((frame) => frame.seq)),
  };
}

const windowMs = 10_000;

function pipeline() {
  const published: SemEvent[] = [];
  const commits: number[] = [];
  const instance = new FramePipeline({
    eventLog: memoryEventLog(),
    timeline: new MemoryTimelineStore(),
    transaction: (work) => {
      commits.push(Date.now());
      work();
    },
    publish: (_convId, text) => {
      const parsed = parseSemFrame(text);
      if (parsed.kind !== 'known') throw new Error(`unexpected frame ${text}`);
      published.push(parsed.frame.event);
    },
    commitWindowMs: windowMs,
  });
  return { instance, published, commits };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function delta(text: string, cumulative: string) {
  return { type: 'llm.delta', id: 'm1', data: { id: 'm1', delta: text, cumulative } } as const;
}

describe('FramePipeline commit window', () => {
  it('commits a message first delta at once, and holds the following deltas for the window', async () => {
    const { instance, published, commits } = pipeline();
    instance.emit('c', { type: 'llm.start', id: 'm1', data: { id: 'm1', role: 'assistant' } });
    await nextTurn();
    expect(published.map((frame) => frame.type)).toContain('llm.start');

    // Within the window that the llm.start commit opened: the first delta still goes out now.
    instance.emit('c', delta('Hel', 'Hel'));
    await nextTurn();
    expect(published.filter((frame) => frame.type === 'llm.delta')).toHaveLength(1);
    const commitsAfterFirstDelta = commits.length;

    // A continuing delta waits for the window …
    instance.emit('c', delta('lo', 'Hello'));
    await nextTurn();
    await nextTurn();
    expect(published.filter((frame) => frame.type === 'llm.delta')).toHaveLength(1);
    expect(commits).toHaveLength(commitsAfterFirstDelta);

    // … until a frame that is not a delta cuts it short; both go out in one commit, in seq order.
    instance.emit('c', { type: 'llm.final', id: 'm1', data: { id: 'm1', text: 'Hello' } });
    await nextTurn();
    expect(commits).toHaveLength(commitsAfterFirstDelta + 1);
    const types = published.map((frame) => frame.type).filter((type) => type.startsWith('llm.'));
    expect(types).toEqual(['llm.start', 'llm.delta', 'llm.delta', 'llm.final']);
    const seqs = published.map((frame) => Number(frame.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await instance.drain();
  });

  it('treats thinking deltas the same way: the first one goes out at once, the next ones wait', async () => {
    const { instance, published } = pipeline();
    instance.emit('c', { type: 'llm.thinking.start', id: 't1', data: { id: 't1', role: 'thinking' } });
    await nextTurn();
    instance.emit('c', { type: 'llm.thinking.delta', id: 't1', data: { id: 't1', delta: 'Hm', cumulative: 'Hm' } });
    await nextTurn();
    instance.emit('c', { type: 'llm.thinking.delta', id: 't1', data: { id: 't1', delta: 'm', cumulative: 'Hmm' } });
    await nextTurn();
    await nextTurn();
    expect(published.filter((frame) => frame.type === 'llm.thinking.delta')).toHaveLength(1);
    await instance.drain();
    expect(published.filter((frame) => frame.type === 'llm.thinking.delta')).toHaveLength(2);
  });
});
