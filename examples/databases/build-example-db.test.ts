// Builds the example shop database as a user would (the script as a child process) and checks it. The
// database itself is not committed (`*.sqlite` is ignored): build it before using the `sql` profile.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const script = path.join('examples', 'databases', 'build-example-db.ts');
const directory = mkdtempSync(path.join(tmpdir(), 'cricket-example-db-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Schema and every row, in a stable order. */
function contents(file: string): unknown {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const objects = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    const rows = tables.map((table) => [table, db.prepare(`SELECT * FROM "${String(table)}" ORDER BY rowid`).all()]);
    return { objects, rows };
  } finally {
    db.close();
  }
}

describe('examples/databases/build-example-db.ts', () => {
  const output = path.join(directory, 'nested', 'shop.sqlite');

  it('builds the database (twice: an existing file is replaced)', () => {
    for (const word of ['built', 'rebuilt']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, output], { cwd: repoRoot, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${word} ${output}\n`);
    }
    const db = new Database(output, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(6);
      expect(db.prepare('SELECT count(*) FROM order_totals').pluck().get()).toBe(10);
      expect(db.prepare('SELECT prompt FROM _prompts').pluck().all()).toHaveLength(3);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      db.close();
    }
  });

  it('builds the same content every time', () => {
    const again = path.join(directory, 'again.sqlite');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, again], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(existsSync(again)).toBe(true);
    expect(contents(again)).toEqual(contents(output));
  });
});
