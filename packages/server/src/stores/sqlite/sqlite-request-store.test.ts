import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import type { CorruptRowReport } from '../corrupt-row.js';
import type { ChatRequestRecord } from '../request-store.js';
import { SqliteRequestStore } from './sqlite-request-store.js';

function request(key: string, extra: Partial<ChatRequestRecord> = {}): ChatRequestRecord {
  const convId = extra.convId ?? 'c1';
  const status = extra.status ?? 'queued';
  return {
    idempotencyKey: key,
    convId,
    requestHash: `hash-${key}`,
    status,
    response: { status, conv_id: convId, session_id: 's1', idempotency_key: key, queue_position: 1, queue_depth: 1 },
    prompt: `prompt ${key}`,
    profile: 'default',
    enqueuedAtMs: 1000,
    ...extra,
  };
}

describe('SqliteRequestStore', () => {
  let file: TempDatabaseFile;
  let db: CricketDatabase;
  let store: SqliteRequestStore;
  const reports: CorruptRowReport[] = [];
  beforeEach(() => {
    file = createTempDatabaseFile();
    db = file.open();
    reports.length = 0;
    store = new SqliteRequestStore(db, { onCorruptRow: (report) => reports.push(report) });
  });
  afterEach(() => file.cleanup());

  it('inserts and gets a record with every optional field', () => {
    const full = request('k1', {
      status: 'completed',
      response: { status: 'completed', conv_id: 'c1', session_id: 's1', idempotency_key: 'k1', turn_id: 't1' },
      error: 'none',
      overrides: { system_prompt: 'x', tools: ['a'] },
      startedAtMs: 1100,
      completedAtMs: 1200,
    });
    store.insert(full);
    expect(store.get('k1')).toEqual(full);
    store.insert(request('k2'));
    expect(store.get('k2')).toEqual(request('k2'));
    expect(store.get('missing')).toBeUndefined();
  });

  it('refuses a duplicate key with a user-blamed error and keeps the first record', () => {
    store.insert(request('k1'));
    expect(() => store.insert(request('k1', { prompt: 'other' }))).toThrow(
      expect.objectContaining({ code: 'store-duplicate-key', blame: 'user' }),
    );
    expect(store.get('k1')?.prompt).toBe('prompt k1');
  });

  it('updates a record, keeping the response status in step with the record', () => {
    store.insert(request('k1'));
    store.update({ ...request('k1'), status: 'running', startedAtMs: 1500 });
    const updated = store.get('k1');
    expect(updated).toMatchObject({ status: 'running', startedAtMs: 1500, response: { status: 'running' } });
    expect(() => store.update(request('missing'))).toThrow(expect.objectContaining({ code: 'store-not-found' }));
  });

  it('lists queued records of a conversation oldest first, and unfinished ones', () => {
    store.insert(request('late', { enqueuedAtMs: 3000 }));
    store.insert(request('early', { enqueuedAtMs: 1000 }));
    store.insert(request('other-conv', { convId: 'c2' }));
    store.insert(request('running', { status: 'running', enqueuedAtMs: 500 }));
    store.insert(request('started', { status: 'started', convId: 'c2', enqueuedAtMs: 600 }));
    store.insert(request('done', { status: 'completed' }));
    expect(store.queued('c1').map((record) => record.idempotencyKey)).toEqual(['early', 'late']);
    expect(store.queued('c2').map((record) => record.idempotencyKey)).toEqual(['other-conv']);
    expect(store.unfinished().map((record) => record.idempotencyKey)).toEqual(['running', 'started']);
  });

  it('throws on a corrupt record from get, and skips and reports it from lists', () => {
    store.insert(request('good'));
    store.insert(request('bad'));
    db.raw
      .prepare('UPDATE chat_requests SET response_json = \'{"status":"queued"\' WHERE idempotency_key = \'bad\'')
      .run();
    expect(() => store.get('bad')).toThrow(expect.objectContaining({ code: 'store-corrupt-row', blame: 'system' }));
    expect(store.queued('c1').map((record) => record.idempotencyKey)).toEqual(['good']);
    expect(reports).toEqual([expect.objectContaining({ table: 'chat_requests', key: 'bad' })]);
    db.raw
      .prepare('UPDATE chat_requests SET response_json = \'{"status":"nope"}\' WHERE idempotency_key = \'bad\'')
      .run();
    expect(() => store.get('bad')).toThrow(expect.objectContaining({ code: 'store-corrupt-row' }));
  });

  it('keeps records across a reopen', () => {
    store.insert(request('k1'));
    db.close();
    expect(new SqliteRequestStore(file.open()).get('k1')).toEqual(request('k1'));
  });
});
