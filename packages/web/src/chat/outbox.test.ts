import { describe, expect, it } from 'vitest';
import { type OutboxItem, outboxReducer } from './outbox.js';

const item = (key: string, overrides: Partial<OutboxItem> = {}): OutboxItem => ({
  key,
  convId: 'c1',
  prompt: `prompt ${key}`,
  status: 'sending',
  afterSeq: 0,
  sentAtMs: 1,
  ...overrides,
});

describe('outboxReducer', () => {
  it('adds an item once per key', () => {
    const once = outboxReducer([], { type: 'add', item: item('a') });
    expect(outboxReducer(once, { type: 'add', item: item('a') })).toBe(once);
    expect(once).toHaveLength(1);
  });

  it('marks accepted prompts started or queued', () => {
    const items = [item('a'), item('b')];
    const next = outboxReducer(outboxReducer(items, { type: 'accepted', key: 'a', queued: false }), {
      type: 'accepted',
      key: 'b',
      queued: true,
    });
    expect(next.map((entry) => entry.status)).toEqual(['started', 'queued']);
  });

  it('records a failure with its message and retries it with a new baseline', () => {
    const failed = outboxReducer([item('a')], { type: 'failed', key: 'a', error: 'profile unavailable' });
    expect(failed[0]).toMatchObject({ status: 'failed', error: 'profile unavailable' });
    const retried = outboxReducer(failed, { type: 'retry', key: 'a', afterSeq: 42, atMs: 9 });
    expect(retried[0]).toMatchObject({ status: 'sending', afterSeq: 42, sentAtMs: 9 });
    expect(retried[0]?.error).toBeUndefined();
  });

  it('ignores a retry of an item that did not fail', () => {
    const items = [item('a', { status: 'started' })];
    expect(outboxReducer(items, { type: 'retry', key: 'a', afterSeq: 1, atMs: 1 })).toBe(items);
  });

  it('returns the same array when nothing changes', () => {
    const items = [item('a')];
    expect(outboxReducer(items, { type: 'remove', keys: [] })).toBe(items);
    expect(outboxReducer(items, { type: 'remove', keys: ['zzz'] })).toBe(items);
    expect(outboxReducer(items, { type: 'accepted', key: 'zzz', queued: false })).toBe(items);
  });

  it('removes settled items', () => {
    expect(outboxReducer([item('a'), item('b')], { type: 'remove', keys: ['a'] }).map((entry) => entry.key)).toEqual([
      'b',
    ]);
  });
});
