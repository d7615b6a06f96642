import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import type { StoredFrame } from '../event-log.js';
import { StoreError } from '../store-error.js';
import { SqliteEventLog } from './sqlite-event-log.js';

function frame(convId: string, seq: number, extra: Partial<StoredFrame> = {}): StoredFrame {
  return {
    convId,
    seq,
    type: 'llm.delta',
    entityId: 'msg-1',
    createdAtMs: 1000 + seq,
    frame: `{"sem":true,"event":{"type":"llm.delta","id":"msg-1","seq":${seq}}}`,
    ...extra,
  };
}

describe('SqliteEventLog', () => {
  let file: TempDatabaseFile;
  let db: CricketDatabase;
  let log: SqliteEventLog;
  beforeEach(() => {
    file = createTempDatabaseFile();
    db = file.open();
    log = new SqliteEventLog(db);
  });
  afterEach(() => file.cleanup());

  it('appends frames of two conversations and reads each back in seq order', () => {
    log.append([frame('a', 1), frame('b', 1), frame('a', 2)]);
    log.append([frame('b', 2), frame('a', 3, { type: 'llm.final' })]);
    expect(log.read('a').map((stored) => stored.seq)).toEqual([1, 2, 3]);
    expect(log.read('b').map((stored) => stored.seq)).toEqual([1, 2]);
    expect(log.read('a')[2]).toEqual(frame('a', 3, { type: 'llm.final' }));
    expect(log.lastSeq('a')).toBe(3);
    expect(log.lastSeq('b')).toBe(2);
    expect(log.lastSeq('nobody')).toBe(0);
    expect(log.read('nobody')).toEqual([]);
  });

  it('round-trips the optional correlation ids and keeps the frame text byte for byte', () => {
    const text = '{"sem":true,"event":{"type":"log","id":"x","seq":1,"data":{"message":"é ✓ \\u0000"}}}';
    log.append([frame('a', 1, { sessionId: 's1', inferenceId: 'i1', turnId: 't1', frame: text })]);
    expect(log.read('a')[0]).toMatchObject({ sessionId: 's1', inferenceId: 'i1', turnId: 't1', frame: text });
    log.append([frame('a', 2)]);
    const [, second] = log.read('a');
    expect(second).not.toHaveProperty('sessionId');
    expect(second).not.toHaveProperty('inferenceId');
  });

  it('filters by sinceSeq (strictly greater), limit, types and inference', () => {
    log.append([
      frame('a', 1, { type: 'llm.start', inferenceId: 'i1' }),
      frame('a', 2, { inferenceId: 'i1' }),
      frame('a', 3, { type: 'tool.start', inferenceId: 'i1' }),
      frame('a', 4, { type: 'llm.start', inferenceId: 'i2' }),
      frame('a', 5, { inferenceId: 'i2' }),
    ]);
    const seqs = (options: Parameters<SqliteEventLog['read']>[1]) => log.read('a', options).map((f) => f.seq);
    expect(seqs({ sinceSeq: 2 })).toEqual([3, 4, 5]);
    expect(seqs({ limit: 2 })).toEqual([1, 2]);
    expect(seqs({ sinceSeq: 1, limit: 2 })).toEqual([2, 3]);
    expect(seqs({ types: ['llm.start', 'tool.start'] })).toEqual([1, 3, 4]);
    expect(seqs({ types: [] })).toEqual([1, 2, 3, 4, 5]);
    expect(seqs({ inferenceId: 'i2' })).toEqual([4, 5]);
    expect(seqs({ inferenceId: 'i1', types: ['llm.delta'] })).toEqual([2]);
    expect(seqs({ limit: 0 })).toEqual([1, 2, 3, 4, 5]);
  });

  it('defaults to 1000 frames per read', () => {
    log.append(Array.from({ length: 1005 }, (_, index) => frame('a', index + 1)));
    expect(log.read('a')).toHaveLength(1000);
    expect(log.read('a', { sinceSeq: 1000 }).map((stored) => stored.seq)).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it('refuses a duplicate (conv_id, seq) and writes nothing of that batch', () => {
    log.append([frame('a', 1)]);
    expect(() => log.append([frame('a', 2), frame('a', 1)])).toThrow(StoreError);
    expect(() => log.append([frame('a', 1)])).toThrow(
      expect.objectContaining({ code: 'store-conflict', blame: 'system' }),
    );
    expect(log.lastSeq('a')).toBe(1);
  });

  it('refuses an empty conv id or a seq that is not a positive integer', () => {
    for (const bad of [frame('', 1), frame('a', 0), frame('a', -1), frame('a', 1.5)]) {
      expect(() => log.append([bad])).toThrow(expect.objectContaining({ code: 'store-invalid-argument' }));
    }
    expect(log.read('a')).toEqual([]);
  });

  it('rolls back with the outer transaction', () => {
    expect(() =>
      db.transaction(() => {
        log.append([frame('a', 1)]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(log.lastSeq('a')).toBe(0);
  });

  it('keeps frames across a reopen', () => {
    log.append([frame('a', 1), frame('a', 2)]);
    db.close();
    expect(new SqliteEventLog(file.open()).lastSeq('a')).toBe(2);
  });
});
