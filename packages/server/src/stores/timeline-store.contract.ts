import type { TimelineEntity } from '@cricket/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './store-error.js';
import type { TimelineStore } from './timeline-store.js';

/** A message entity for contract tests. */
function message(id: string, content: string, extra: Partial<TimelineEntity> = {}): TimelineEntity {
  return { id, kind: 'message', message: { role: 'assistant', content }, ...extra };
}

function ids(store: TimelineStore, convId: string, options?: { sinceVersion?: number; limit?: number }): string[] {
  return (store.snapshot(convId, options).entities ?? []).map((entity) => entity.id);
}

function expectStoreError(action: () => unknown, code: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code, blame: 'user' });
    return;
  }
  expect.fail(`expected a StoreError ${code}`);
}

/**
 * The store, with `snapshot` checking on every call that `snapshotJson` with the same arguments parses
 * to the same snapshot (`serverTimeMs` aside: both are read from the clock) — so every contract test
 * below also covers `snapshotJson`.
 */
function withCheckedSnapshotJson(store: TimelineStore): TimelineStore {
  return {
    upsert: (convId, version, entities, nowMs) => store.upsert(convId, version, entities, nowMs),
    snapshot(convId, options) {
      const snapshot = store.snapshot(convId, options);
      const fromJson = JSON.parse(store.snapshotJson(convId, options).toString());
      expect(fromJson.serverTimeMs).toMatch(/^\d+$/);
      expect({ ...fromJson, serverTimeMs: snapshot.serverTimeMs }).toEqual(snapshot);
      return snapshot;
    },
    snapshotJson: (convId, options) => store.snapshotJson(convId, options),
    entities: (convId) => store.entities(convId),
    version: (convId) => store.version(convId),
    close: () => store.close(),
  };
}

/**
 * The behavioural contract every {@link TimelineStore} must pass (reference webchat-backend §5.4–§5.7
 * plus Cricket's `createdVersion`). `create` returns a fresh, empty store; it is closed after each test.
 */
export function describeTimelineStoreContract(name: string, create: () => TimelineStore): void {
  describe(`${name} (TimelineStore contract)`, () => {
    let store: TimelineStore;
    beforeEach(() => {
      store = withCheckedSnapshotJson(create());
    });
    afterEach(() => {
      store.close();
    });

    it('reports the highest version written and orders entities by (version, id)', () => {
      store.upsert('c1', 30, [message('late', 'c')], 3000);
      store.upsert('c1', 10, [message('b', 'a'), message('a', 'a')], 1000);
      store.upsert('c1', 20, [message('mid', 'b')], 2000);
      const snapshot = store.snapshot('c1');
      expect(snapshot.convId).toBe('c1');
      expect(snapshot.version).toBe('30');
      expect(ids(store, 'c1')).toEqual(['a', 'b', 'mid', 'late']);
      expect(store.version('c1')).toBe(30);
      expect(store.entities('c1').map((entry) => [entry.entity.id, entry.version])).toEqual([
        ['a', 10],
        ['b', 10],
        ['mid', 20],
        ['late', 30],
      ]);
    });

    it('keeps createdAtMs from the first write and stamps updatedAtMs with nowMs', () => {
      store.upsert('c1', 10, [message('m', 'one')], 1000);
      store.upsert('c1', 20, [message('m', 'two', { createdAtMs: '5' })], 2000);
      const [entity] = store.snapshot('c1').entities ?? [];
      expect(entity).toMatchObject({ createdAtMs: '1000', updatedAtMs: '2000', message: { content: 'two' } });
    });

    it("honours the entity's own createdAtMs and createdVersion on the first write only", () => {
      store.upsert('c1', 10, [message('m', 'one', { createdAtMs: '500', createdVersion: '7' })], 1000);
      store.upsert('c1', 20, [message('m', 'two', { createdAtMs: '900', createdVersion: '15' })], 2000);
      const [entity] = store.snapshot('c1').entities ?? [];
      expect(entity).toMatchObject({ createdAtMs: '500', createdVersion: '7', updatedAtMs: '2000' });
    });

    it('keeps createdVersion from the first write', () => {
      store.upsert('c1', 10, [message('m', 'one')], 1000);
      store.upsert('c1', 20, [message('m', 'two')], 2000);
      expect(store.snapshot('c1').entities?.[0]?.createdVersion).toBe('10');
      expect(store.entities('c1')[0]?.version).toBe(20);
    });

    it('returns the stamped entities without touching the caller’s objects', () => {
      const input = message('m', 'hello');
      const frozen = structuredClone(input);
      const [stamped] = store.upsert('c1', 10, [input], 1000);
      expect(input).toEqual(frozen);
      expect(stamped).toEqual({
        id: 'm',
        kind: 'message',
        createdAtMs: '1000',
        updatedAtMs: '1000',
        createdVersion: '10',
        message: { role: 'assistant', content: 'hello' },
      });
      expect(store.snapshot('c1').entities).toEqual([stamped]);
    });

    it('replaces the whole snapshot and omits zero values', () => {
      store.upsert(
        'c1',
        10,
        [message('m', 'text', { message: { role: 'user', content: 'x', metadata: { a: 'b' } } })],
        1,
      );
      store.upsert(
        'c1',
        11,
        [{ id: 'm', kind: 'message', message: { role: 'user', content: '', streaming: false } }],
        2,
      );
      expect(store.snapshot('c1').entities?.[0]?.message).toEqual({ role: 'user' });
    });

    it('returns entities with version strictly greater than sinceVersion', () => {
      store.upsert('c1', 10, [message('a', '')], 1);
      store.upsert('c1', 20, [message('b', '')], 2);
      store.upsert('c1', 30, [message('c', '')], 3);
      expect(ids(store, 'c1', { sinceVersion: 20 })).toEqual(['c']);
      expect(ids(store, 'c1', { sinceVersion: 10 })).toEqual(['b', 'c']);
      const none = store.snapshot('c1', { sinceVersion: 30 });
      expect(none.entities ?? []).toEqual([]);
      expect(none.version).toBe('30');
    });

    it('cuts to the limit but still reports the current max version', () => {
      store.upsert('c1', 10, [message('a', '')], 1);
      store.upsert('c1', 20, [message('b', '')], 2);
      store.upsert('c1', 30, [message('c', '')], 3);
      const page = store.snapshot('c1', { limit: 2 });
      expect(page.entities?.map((entity) => entity.id)).toEqual(['a', 'b']);
      expect(page.version).toBe('30');
      expect(ids(store, 'c1', { limit: 0 })).toEqual(['a', 'b', 'c']);
      expect(ids(store, 'c1', { sinceVersion: 10, limit: 1 })).toEqual(['b']);
    });

    it('cuts a page inside a group of equal versions by id', () => {
      store.upsert('c1', 10, [message('c', ''), message('a', ''), message('d', ''), message('b', '')], 1);
      store.upsert('c1', 5, [message('z', '')], 1);
      expect(ids(store, 'c1', { limit: 2 })).toEqual(['z', 'a']);
      expect(ids(store, 'c1', { limit: 3 })).toEqual(['z', 'a', 'b']);
      expect(ids(store, 'c1', { sinceVersion: 5, limit: 2 })).toEqual(['a', 'b']);
      expect(ids(store, 'c1', { limit: 5 })).toEqual(['z', 'a', 'b', 'c', 'd']);
    });

    it('rejects version 0, negative and fractional versions, and writes nothing', () => {
      expectStoreError(() => store.upsert('c1', 0, [message('a', '')], 1), 'store-invalid-argument');
      expectStoreError(() => store.upsert('c1', -3, [message('a', '')], 1), 'store-invalid-argument');
      expectStoreError(() => store.upsert('c1', 1.5, [message('a', '')], 1), 'store-invalid-argument');
      expect(store.version('c1')).toBe(0);
      expect(store.entities('c1')).toEqual([]);
    });

    it('rejects an empty conv id, id or kind, and writes nothing of a refused batch', () => {
      expectStoreError(() => store.upsert('', 1, [message('a', '')], 1), 'store-invalid-argument');
      expectStoreError(() => store.upsert('c1', 1, [message('ok', ''), message('', '')], 1), 'store-invalid-argument');
      expectStoreError(() => store.upsert('c1', 1, [{ id: 'x', kind: '' }], 1), 'store-invalid-argument');
      expect(store.entities('c1')).toEqual([]);
      expect(store.version('c1')).toBe(0);
    });

    it('answers an unknown conversation with no entities and no version', () => {
      const snapshot = store.snapshot('nobody');
      expect(snapshot.entities ?? []).toEqual([]);
      expect(snapshot.version).toBeUndefined();
      expect(snapshot.serverTimeMs).toMatch(/^\d+$/);
      expect(store.version('nobody')).toBe(0);
      expect(store.entities('nobody')).toEqual([]);
    });

    it('stores a lower-version write but keeps the conversation version at the max', () => {
      store.upsert('c1', 30, [message('a', 'new'), message('b', 'b')], 1);
      store.upsert('c1', 20, [message('a', 'older write')], 2);
      expect(store.version('c1')).toBe(30);
      expect(store.snapshot('c1').version).toBe('30');
      expect(store.entities('c1').map((entry) => [entry.entity.id, entry.version])).toEqual([
        ['a', 20],
        ['b', 30],
      ]);
      expect(store.snapshot('c1').entities?.[0]?.message?.content).toBe('older write');
    });

    it('writes int64 fields as decimal strings', () => {
      store.upsert('c1', 12345678901, [message('a', 'x')], 1_700_000_000_123);
      const snapshot = store.snapshot('c1');
      expect(snapshot.version).toBe('12345678901');
      expect(snapshot.serverTimeMs).toMatch(/^\d+$/);
      const [entity] = snapshot.entities ?? [];
      expect(entity).toMatchObject({
        createdAtMs: '1700000000123',
        updatedAtMs: '1700000000123',
        createdVersion: '12345678901',
      });
    });

    it('keeps conversations apart and ignores an empty batch', () => {
      store.upsert('c1', 5, [message('a', 'one')], 1);
      store.upsert('c2', 9, [message('a', 'two')], 1);
      expect(store.upsert('c1', 50, [], 1)).toEqual([]);
      expect(store.version('c1')).toBe(5);
      expect(store.snapshot('c2').entities?.[0]?.message?.content).toBe('two');
    });

    it('keeps the first creation when one batch writes the same id twice', () => {
      const stamped = store.upsert('c1', 10, [message('a', 'one'), message('a', 'two')], 100);
      expect(stamped.map((entity) => entity.message?.content)).toEqual(['one', 'two']);
      expect(store.entities('c1')).toHaveLength(1);
      expect(store.snapshot('c1').entities?.[0]).toMatchObject({ createdVersion: '10', message: { content: 'two' } });
    });

    it('keeps Struct values as they are', () => {
      const input = { path: '/x', flags: [], nested: { zero: 0, empty: '' } };
      store.upsert('c1', 3, [{ id: 't', kind: 'tool_call', toolCall: { name: 'ls', input, done: false } }], 1);
      expect(store.snapshot('c1').entities?.[0]?.toolCall).toEqual({ name: 'ls', input });
    });
  });
}
