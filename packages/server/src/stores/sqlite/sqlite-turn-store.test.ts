import type { TurnSnapshotRecord } from '@cricket/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import { SqliteTurnStore } from './sqlite-turn-store.js';

function snapshot(extra: Partial<TurnSnapshotRecord>): TurnSnapshotRecord {
  return {
    conv_id: 'c1',
    session_id: 's1',
    turn_id: 't1',
    phase: 'final',
    created_at_ms: 1000,
    payload: 'blocks: []\n',
    ...extra,
  };
}

describe('SqliteTurnStore', () => {
  let file: TempDatabaseFile;
  let store: SqliteTurnStore;
  beforeEach(() => {
    file = createTempDatabaseFile();
    store = new SqliteTurnStore(file.open(), { now: () => 99_000 });
    store.save(snapshot({ phase: 'pre_inference', created_at_ms: 100 }));
    store.save(snapshot({ phase: 'post_inference', created_at_ms: 200 }));
    store.save(snapshot({ phase: 'final', created_at_ms: 300 }));
    store.save(snapshot({ session_id: 's2', turn_id: 't2', phase: 'pre_inference', created_at_ms: 400 }));
    store.save(snapshot({ conv_id: 'c2', session_id: 's3', turn_id: 't3', phase: 'final', created_at_ms: 250 }));
  });
  afterEach(() => file.cleanup());

  const key = (record: TurnSnapshotRecord) => `${record.session_id}:${record.phase}@${record.created_at_ms}`;

  it('lists a conversation newest first', () => {
    expect(store.list({ convId: 'c1' }).map(key)).toEqual([
      's2:pre_inference@400',
      's1:final@300',
      's1:post_inference@200',
      's1:pre_inference@100',
    ]);
  });

  it('filters by session, phase, inclusive since_ms and limit', () => {
    expect(store.list({ sessionId: 's1' }).map(key)).toEqual([
      's1:final@300',
      's1:post_inference@200',
      's1:pre_inference@100',
    ]);
    expect(store.list({ convId: 'c1', phase: 'pre_inference' }).map(key)).toEqual([
      's2:pre_inference@400',
      's1:pre_inference@100',
    ]);
    expect(store.list({ convId: 'c1', sinceMs: 200 }).map(key)).toEqual([
      's2:pre_inference@400',
      's1:final@300',
      's1:post_inference@200',
    ]);
    expect(store.list({ convId: 'c1', sessionId: 's1', sinceMs: 150, phase: 'final' }).map(key)).toEqual([
      's1:final@300',
    ]);
    expect(store.list({ convId: 'c1', limit: 2 }).map(key)).toEqual(['s2:pre_inference@400', 's1:final@300']);
    expect(store.list({ convId: 'c1', phase: '  ', sinceMs: 0, limit: 0 })).toHaveLength(4);
    expect(store.list({ convId: 'c2' })).toEqual([
      snapshot({ conv_id: 'c2', session_id: 's3', turn_id: 't3', phase: 'final', created_at_ms: 250 }),
    ]);
  });

  it('defaults to 200 snapshots', () => {
    for (let index = 0; index < 205; index += 1) store.save(snapshot({ conv_id: 'big', created_at_ms: index + 1 }));
    const items = store.list({ convId: 'big' });
    expect(items).toHaveLength(200);
    expect(items[0]?.created_at_ms).toBe(205);
  });

  it('refuses a query without conv_id and session_id', () => {
    for (const query of [{}, { convId: '  ', sessionId: '' }, { phase: 'final' }]) {
      expect(() => store.list(query)).toThrow(
        expect.objectContaining({
          code: 'store-missing-filter',
          blame: 'user',
          message: 'missing conv_id or session_id',
        }),
      );
    }
  });

  it('refuses blank ids and phases, and stamps created_at_ms ≤ 0 with now', () => {
    for (const field of ['conv_id', 'session_id', 'turn_id', 'phase'] as const) {
      expect(() => store.save(snapshot({ [field]: ' ' }))).toThrow(
        expect.objectContaining({ code: 'store-invalid-argument' }),
      );
    }
    store.save(snapshot({ conv_id: 'c9', created_at_ms: 0 }));
    expect(store.list({ convId: 'c9' })[0]?.created_at_ms).toBe(99_000);
  });

  it('accepts an identical duplicate and refuses a different payload under the same key', () => {
    store.save(snapshot({ phase: 'final', created_at_ms: 300 }));
    expect(store.list({ sessionId: 's1', phase: 'final' })).toHaveLength(1);
    expect(() => store.save(snapshot({ phase: 'final', created_at_ms: 300, payload: 'other' }))).toThrow(
      expect.objectContaining({ code: 'store-conflict', blame: 'system' }),
    );
  });

  it('finds the latest snapshot of a session, later insert first on equal times', () => {
    expect(store.latestForSession('s1')).toMatchObject({ phase: 'final', created_at_ms: 300 });
    store.save(snapshot({ turn_id: 't9', phase: 'post_tools', created_at_ms: 300 }));
    expect(store.latestForSession('s1')).toMatchObject({ turn_id: 't9', phase: 'post_tools' });
    expect(store.latestForSession('nobody')).toBeUndefined();
  });

  it('summarises the sessions of a conversation', () => {
    expect(store.sessions('c1')).toEqual([
      { session_id: 's1', first_ms: 100, last_ms: 300, snapshots: 3 },
      { session_id: 's2', first_ms: 400, last_ms: 400, snapshots: 1 },
    ]);
    expect(store.sessions('nobody')).toEqual([]);
  });
});
