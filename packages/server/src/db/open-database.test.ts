import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { tableExists } from './sqlite-introspection.js';
import { createTempDatabaseFile, type TempDatabaseFile } from './testing/temp-database.js';

describe('openDatabase', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile();
  });
  afterEach(() => file.cleanup());

  it('creates the parent directory and sets the pragmas', () => {
    const db = openDatabase(join(file.dir, 'nested', 'deeper', 'cricket.db'));
    try {
      expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.raw.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.raw.pragma('temp_store', { simple: true })).toBe(2);
      expect(db.integrityCheck()).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('honours synchronous=FULL and a custom busy timeout', () => {
    const db = file.open({ synchronous: 'FULL', busyTimeoutMs: 250 });
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.raw.pragma('busy_timeout', { simple: true })).toBe(250);
  });

  it('opens an in-memory database with the full schema', () => {
    const db = openDatabase(':memory:');
    expect(db.path).toBe(':memory:');
    expect(tableExists(db.raw, 'event_log')).toBe(true);
    db.close();
    db.close();
    expect(db.isOpen).toBe(false);
  });

  it('refuses a file that is not a database', () => {
    writeFileSync(file.path, 'this is not a database, just some text that is long enough to fill a header'.repeat(20));
    expect(() => file.open()).toThrow(expect.objectContaining({ code: 'store-open-failed', blame: 'system' }));
  });

  it('nests transactions as savepoints', () => {
    const db = file.open();
    db.raw.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.raw.prepare('INSERT INTO t VALUES (?)');
    const result = db.transaction(() => {
      insert.run(1);
      expect(db.inTransaction).toBe(true);
      expect(() =>
        db.transaction(() => {
          insert.run(2);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      insert.run(3);
      return 'done';
    });
    expect(result).toBe('done');
    expect(db.raw.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 3]);
  });
});
