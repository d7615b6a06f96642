import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** A temporary directory for SQLite files, removed by `cleanup`. Test support. */
export interface TempSqliteDir {
  dir: string;
  /** Creates `<dir>/<name>` and runs `sql` on it (a fresh file each call). */
  create(name: string, sql: string): string;
  cleanup(): void;
}

/** Creates a temporary directory for SQLite test files. */
export function createTempSqliteDir(prefix = 'cricket-sql-'): TempSqliteDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    create(name, sql) {
      const path = join(dir, name);
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The repository's example database build script. */
export const exampleDatabaseScript = resolve(
  import.meta.dirname,
  '../../../../../examples/databases/build-example-db.ts',
);

/**
 * Builds the example shop database into `dir` by running `examples/databases/build-example-db.ts` as a
 * user would (a child process), and returns its path.
 */
export function buildExampleDatabaseInto(dir: string): string {
  const path = join(dir, 'shop.sqlite');
  const built = spawnSync(process.execPath, ['--import', 'tsx', exampleDatabaseScript, path], {
    cwd: resolve(import.meta.dirname, '../../../../..'),
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the example database failed: ${built.stderr}`);
  return path;
}

/** A stable dump of every table's rows and of the schema, to prove a database was not changed. */
export function dumpDatabase(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const objects = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all()
      .map(String);
    const rows = tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()]);
    return JSON.stringify({ objects, rows, version: db.pragma('schema_version', { simple: true }) });
  } finally {
    db.close();
  }
}
