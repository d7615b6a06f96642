import type { TimelineEntity } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import { describeTimelineStoreContract } from '../timeline-store.contract.js';
import { MemoryTimelineStore } from './memory-timeline-store.js';

describeTimelineStoreContract('MemoryTimelineStore', () => new MemoryTimelineStore());

function entity(id: string, content = ''): TimelineEntity {
  return { id, kind: 'message', message: { content } };
}

describe('MemoryTimelineStore', () => {
  it('evicts the lowest versions first, ties by id, past its capacity', () => {
    const store = new MemoryTimelineStore({ capacity: 3 });
    store.upsert('c', 5, [entity('b'), entity('a')], 1);
    store.upsert('c', 7, [entity('c')], 1);
    store.upsert('c', 9, [entity('d')], 1);
    expect(store.entities('c').map((entry) => entry.entity.id)).toEqual(['b', 'c', 'd']);
    store.upsert('c', 11, [entity('e'), entity('f')], 1);
    expect(store.entities('c').map((entry) => entry.entity.id)).toEqual(['d', 'e', 'f']);
    expect(store.version('c')).toBe(11);
  });

  it('defaults to 5000 entities per conversation', () => {
    const store = new MemoryTimelineStore({ capacity: 0 });
    const batch = Array.from({ length: 5001 }, (_, index) => entity(`e${String(index).padStart(5, '0')}`));
    store.upsert('c', 1, batch, 1);
    const kept = store.entities('c');
    expect(kept).toHaveLength(5000);
    expect(kept[0]?.entity.id).toBe('e00001');
  });

  it('stores deep copies and returns deep copies', () => {
    const store = new MemoryTimelineStore();
    const input: TimelineEntity = { id: 't', kind: 'tool_call', toolCall: { name: 'ls', input: { path: '/a' } } };
    const [stamped] = store.upsert('c', 1, [input], 1);
    const path = input.toolCall?.input;
    if (path) path.path = '/changed';
    if (stamped?.toolCall) stamped.toolCall.name = 'changed';
    const read = store.snapshot('c').entities?.[0];
    expect(read?.toolCall).toEqual({ name: 'ls', input: { path: '/a' } });
    if (read?.toolCall) read.toolCall.name = 'changed again';
    expect(store.entities('c')[0]?.entity.toolCall?.name).toBe('ls');
  });

  it('uses the injected clock for serverTimeMs', () => {
    const store = new MemoryTimelineStore({ now: () => 42 });
    expect(store.snapshot('c').serverTimeMs).toBe('42');
  });
});
