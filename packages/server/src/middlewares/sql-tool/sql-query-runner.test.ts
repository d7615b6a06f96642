import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTempSqliteDir, type TempSqliteDir } from '../testing/temp-sqlite.js';
import { SqlQueryRunner } from './sql-query-runner.js';

const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

let temp: TempSqliteDir;
let path: string;
let runner: SqlQueryRunner;
const request = (sql: string) => ({ path, sql, maxRows: 10, maxBytes: 4096 });

beforeAll(() => {
  temp = createTempSqliteDir();
  path = temp.create('runner.sqlite', "CREATE TABLE t (v); INSERT INTO t VALUES (1), (2.5), ('x'), (NULL), (x'0aff')");
});
afterEach(() => runner.close());
afterAll(() => temp.cleanup());

describe('SqlQueryRunner', () => {
  it('runs queued statements one after the other in one process, keeping value types', async () => {
    runner = new SqlQueryRunner();
    const answers = await Promise.all([
      runner.run(request('SELECT v FROM t'), { timeoutMs: 5000 }),
      runner.run(request('SELECT 9007199254740993 AS big'), { timeoutMs: 5000 }),
      runner.run(request('SELECT * FROM nope'), { timeoutMs: 5000 }),
    ]);
    expect(answers[0]).toEqual({
      ok: true,
      columns: ['v'],
      rows: [[1n], [2.5], ['x'], [null], [new Uint8Array([10, 255])]],
      more: false,
    });
    expect(answers[1]).toMatchObject({ ok: true, rows: [[9007199254740993n]] });
    expect(answers[2]).toEqual({ ok: false, kind: 'sql', message: 'no such table: nope' });
  });

  it('refuses writes and several statements in the query process too (second check)', async () => {
    runner = new SqlQueryRunner();
    expect(await runner.run(request('DELETE FROM t'), { timeoutMs: 5000 })).toMatchObject({
      ok: false,
      kind: 'refused',
    });
    expect(await runner.run(request('SELECT 1; SELECT 2'), { timeoutMs: 5000 })).toMatchObject({
      ok: false,
      kind: 'refused',
      message: expect.stringContaining('more than one statement'),
    });
  });

  it('reports unread rows beyond the row cap', async () => {
    runner = new SqlQueryRunner();
    const answer = await runner.run({ ...request('SELECT v FROM t'), maxRows: 2 }, { timeoutMs: 5000 });
    expect(answer).toMatchObject({ ok: true, rows: [[1n], [2.5]], more: true });
  });

  it('cancels a running statement by killing its process; queued ones still run', async () => {
    runner = new SqlQueryRunner();
    await runner.run(request('SELECT 1'), { timeoutMs: 5000 });
    const controller = new AbortController();
    const running = runner.run(request(endless), { timeoutMs: 60_000, signal: controller.signal });
    const queued = runner.run(request('SELECT 2 AS two'), { timeoutMs: 5000 });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ name: 'ToolError', code: 'tool-cancelled' });
    await expect(queued).resolves.toMatchObject({ ok: true, rows: [[2n]] });
  });

  it('drops a queued statement whose signal aborts, and refuses a signal aborted already', async () => {
    runner = new SqlQueryRunner();
    const first = runner.run(request('SELECT 1'), { timeoutMs: 5000 });
    const controller = new AbortController();
    const second = runner.run(request('SELECT 2'), { timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'tool-cancelled' });
    await expect(first).resolves.toMatchObject({ ok: true });
    await expect(runner.run(request('SELECT 3'), { timeoutMs: 5000, signal: controller.signal })).rejects.toMatchObject(
      {
        code: 'tool-cancelled',
      },
    );
  });

  it('reports a process that dies mid-statement and starts a new one', async () => {
    runner = new SqlQueryRunner();
    await runner.run(request('SELECT 1'), { timeoutMs: 5000 });
    const running = runner.run(request(endless), { timeoutMs: 60_000 });
    setTimeout(() => process.kill(runner.pid ?? 0, 'SIGKILL'), 100);
    await expect(running).rejects.toMatchObject({
      code: 'tool-failed',
      message: 'the SQL query process exited (SIGKILL)',
    });
    await expect(runner.run(request('SELECT 4 AS four'), { timeoutMs: 5000 })).resolves.toMatchObject({ rows: [[4n]] });
  });

  it('fails pending statements on close and refuses new ones', async () => {
    runner = new SqlQueryRunner();
    const pending = runner.run(request(endless), { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    runner.close();
    await expect(pending).rejects.toMatchObject({ code: 'tool-failed', message: 'the SQL tool is shut down' });
    await expect(runner.run(request('SELECT 1'), { timeoutMs: 5000 })).rejects.toMatchObject({
      message: 'the SQL tool is shut down',
    });
  });
});
