import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '@cricket/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askSql } from '../testing/sql-loop-harness.js';
import { createTempSqliteDir, dumpDatabase, type TempSqliteDir } from '../testing/temp-sqlite.js';
import { createSqlToolMiddlewareFactory, type SqlToolMiddlewareFactory } from './sql-tool-middleware-factory.js';

const setup = `
CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, city TEXT);
CREATE TABLE numbers (n INTEGER NOT NULL);
CREATE VIEW lyon_customers AS SELECT * FROM customers WHERE city = 'Lyon';
CREATE INDEX numbers_by_n ON numbers(n);
CREATE TABLE _prompts (prompt TEXT);
INSERT INTO customers (name, city) VALUES ('Ada', 'Lyon'), ('Bruno', NULL), ('Chloé', 'Lyon');
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000) INSERT INTO numbers SELECT n FROM c;
INSERT INTO _prompts VALUES ('Who lives in Lyon?'), ('  '), ('How many numbers are even?');
`;

let temp: TempSqliteDir;
let path: string;
const factories: SqlToolMiddlewareFactory[] = [];
const make = (options: Omit<Parameters<typeof createSqlToolMiddlewareFactory>[0], 'path'> = {}) => {
  const factory = createSqlToolMiddlewareFactory({ path, ...options });
  factories.push(factory);
  return factory;
};

beforeAll(() => {
  temp = createTempSqliteDir();
  path = temp.create('test.sqlite', setup);
});
afterEach(() => {
  for (const factory of factories.splice(0)) factory.close();
});
afterAll(() => temp.cleanup());

describe('sql_query: description', () => {
  it('lists the tables and views with their CREATE statements, then the prompts', () => {
    const { description } = make().tool;
    expect(description).toContain('Execute a read-only SQL query against the attached SQLite database.');
    expect(description).toContain('At most 200 rows, 50 lines and 4096 bytes are returned');
    const schema = description.slice(description.indexOf('Schema:\n'), description.indexOf('\n\nPrompts:'));
    expect(schema).toBe(
      [
        'Schema:',
        'CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, city TEXT);',
        '',
        "CREATE VIEW lyon_customers AS SELECT * FROM customers WHERE city = 'Lyon';",
        '',
        'CREATE TABLE numbers (n INTEGER NOT NULL);',
      ].join('\n'),
    );
    expect(description.endsWith('Prompts:\n- Who lives in Lyon?\n- How many numbers are even?')).toBe(true);
    expect(description).not.toContain('sqlite_sequence');
    expect(description).not.toContain('CREATE TABLE _prompts');
  });
});

describe('sql_query through the tool loop', () => {
  it('runs a SELECT and a query on a view', async () => {
    const tools = [make().tool];
    const select = await askSql(tools, 'q:select');
    expect(select.error).toBe('');
    expect(JSON.parse(select.result ?? '')).toBe(
      'id | name | city\n1 | Ada | Lyon\n2 | Bruno | NULL\n3 | Chloé | Lyon',
    );
    expect(select.answer).toBe(select.result);
    const view = await askSql(tools, 'q:view');
    expect(JSON.parse(view.result ?? '')).toBe('name\nAda\nChloé');
  });

  it('caps rows, lines and bytes, with the cutoff notice', async () => {
    const byRows = await askSql([make({ maxRows: 5 }).tool], 'q:numbers');
    expect(JSON.parse(byRows.result ?? '').split('\n')).toEqual([
      'n | padded',
      ...[1, 2, 3, 4, 5].map((n) => `${n} | ${String(n).padStart(40, '0')}`),
      '... additional data cutoff (1 kB)',
    ]);
    const byLines = await askSql([make().tool], 'q:numbers');
    const lines = JSON.parse(byLines.result ?? '').split('\n');
    expect(lines).toHaveLength(51);
    expect(lines.at(-2)).toBe(`49 | ${'49'.padStart(40, '0')}`);
    expect(lines.at(-1)).toBe('... additional data cutoff (3 kB)');
    const byBytes = await askSql([make({ maxOutputBytes: 1024, maxOutputLines: 1000 }).tool], 'q:numbers');
    const text: string = JSON.parse(byBytes.result ?? '');
    const [kept, notice] = text.split('\n... ');
    expect(Buffer.byteLength(kept ?? '')).toBe(1024);
    expect(notice).toBe('additional data cutoff (1 kB)');
  });

  it.each([
    ['delete', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not DELETE'],
    ['update', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not UPDATE'],
    ['insert', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not INSERT'],
    ['drop', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not DROP'],
    ['attach', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not ATTACH'],
    ['pragma', 'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not PRAGMA'],
    ['multi', 'sql_query refused: only one statement is allowed per call (found more than one)'],
    ['with-delete', 'sql_query refused: the statement would modify the database (only reads are allowed)'],
  ])('refuses q:%s with a reason, as an error result, and changes nothing', async (name, error) => {
    const before = dumpDatabase(path);
    const outcome = await askSql([make().tool], `q:${name}`);
    expect(outcome.error).toBe(error);
    expect(outcome.result).toBeUndefined();
    expect(outcome.answer).toBe(error);
    expect(outcome.sink.ofType('tool-call-execution-result')[0]?.tool_result.error).toBe(error);
    expect(dumpDatabase(path)).toBe(before);
    expect(existsSync(join(process.cwd(), 'attached.sqlite'))).toBe(false);
  });

  it('returns SQL errors as error results', async () => {
    const tools = [make().tool];
    expect((await askSql(tools, 'q:error')).error).toBe('SQL error: no such table: no_such_table');
    expect((await askSql(tools, 'q:runtime-error')).error).toBe('SQL error: malformed JSON');
  });

  it('stops a query at the timeout, kills its process, and answers the next query', async () => {
    const factory = make({ timeoutMs: 300 });
    await askSql([factory.tool], 'q:view');
    const firstPid = factory.runner.pid;
    const started = performance.now();
    const slow = await askSql([factory.tool], 'q:slow');
    expect(slow.error).toBe('query timed out after 300 ms and was stopped');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(firstPid).toBeDefined();
    await expect.poll(() => isAlive(firstPid ?? 0)).toBe(false);
    const after = await askSql([factory.tool], 'q:select');
    expect(after.error).toBe('');
    expect(factory.runner.pid).not.toBe(firstPid);
  });
});

describe('sql tool configuration errors', () => {
  it('refuses a missing file, a directory and a file that is not SQLite at creation', () => {
    const missing = join(temp.dir, 'missing.sqlite');
    expect(() => createSqlToolMiddlewareFactory({ path: missing })).toThrow(
      new ConfigurationError(`sql tool database ${missing} does not exist (build it, or fix the path)`),
    );
    const directory = join(temp.dir, 'a-directory');
    mkdirSync(directory);
    expect(() => createSqlToolMiddlewareFactory({ path: directory })).toThrow(
      `sql tool database ${directory} is not a file`,
    );
    const text = join(temp.dir, 'notes.txt');
    writeFileSync(text, 'these are notes, not a database\n'.repeat(200));
    expect(() => createSqlToolMiddlewareFactory({ path: text })).toThrow(
      new ConfigurationError(`sql tool database ${text} is not a SQLite database`),
    );
    expect(() => createSqlToolMiddlewareFactory({ path: ' ' })).toThrow(
      'sql tool options: path: path must not be blank',
    );
    expect(() => createSqlToolMiddlewareFactory({ path, maxRows: 0 })).toThrow(ConfigurationError);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
