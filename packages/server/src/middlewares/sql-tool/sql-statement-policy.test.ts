import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { leadingKeyword, vetStatement } from './sql-statement-policy.js';

describe('leadingKeyword', () => {
  it.each([
    ['select 1', 'SELECT'],
    ['  \n\tWith x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['-- a comment\n/* another */ explain query plan select 1', 'EXPLAIN'],
    ['/* unterminated', ''],
    ['-- only a comment', ''],
    ['', ''],
    ['(SELECT 1)', ''],
    ['PRAGMA writable_schema=1', 'PRAGMA'],
  ])('%j → %j', (sql, keyword) => {
    expect(leadingKeyword(sql)).toBe(keyword);
  });
});

describe('vetStatement', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)');
  afterAll(() => db.close());

  it.each([
    'SELECT * FROM t',
    'select a from t where a > 0;',
    'WITH x AS (SELECT a FROM t) SELECT * FROM x',
    'EXPLAIN QUERY PLAN SELECT * FROM t',
    'EXPLAIN SELECT 1',
    '-- leading comment\nSELECT 1; -- trailing comment\n',
  ])('allows %j', (sql) => {
    expect(vetStatement(db, sql)).toEqual({ kind: 'allowed' });
  });

  it.each([
    ['DELETE FROM t', 'only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not DELETE'],
    ['UPDATE t SET a = 2', 'not UPDATE'],
    ['INSERT INTO t VALUES (2)', 'not INSERT'],
    ['DROP TABLE t', 'not DROP'],
    ["ATTACH DATABASE 'other.db' AS other", 'not ATTACH'],
    ['PRAGMA writable_schema=1', 'not PRAGMA'],
    ['PRAGMA user_version', 'not PRAGMA'],
    ['BEGIN', 'not BEGIN'],
    ['VACUUM', 'not VACUUM'],
    ['   ', 'the query is empty'],
    ['SELECT 1; DELETE FROM t', 'only one statement is allowed per call'],
    ['SELECT 1;SELECT 2', 'only one statement is allowed per call'],
    ['WITH x AS (SELECT 1) DELETE FROM t', 'the statement would modify the database'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'the statement would modify the database'],
    ['EXPLAIN DELETE FROM t', 'the statement would modify the database'],
  ])('refuses %j', (sql, reason) => {
    const verdict = vetStatement(db, sql);
    expect(verdict.kind).toBe('refused');
    expect(verdict.kind === 'refused' && verdict.reason).toContain(reason);
  });

  it('reports what SQLite cannot prepare as an error', () => {
    expect(vetStatement(db, 'SELECT * FROM nope')).toEqual({ kind: 'error', message: 'no such table: nope' });
    expect(vetStatement(db, 'SELECT FROM')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('syntax error'),
    });
  });

  it('leaves the data untouched', () => {
    expect(db.prepare('SELECT a FROM t').pluck().all()).toEqual([1]);
  });
});
