import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';

const nameRowSchema = z.object({ name: z.string() });

/** True when a table (not a view or an index) named `table` exists in the main schema. */
export function tableExists(db: BetterSqlite3.Database, table: string): boolean {
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return row !== undefined;
}

/** True when an index named `index` exists in the main schema. */
export function indexExists(db: BetterSqlite3.Database, index: string): boolean {
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?").get(index);
  return row !== undefined;
}

/**
 * Column names of `table`, lower-cased (SQLite compares identifiers case-insensitively). Empty when the
 * table does not exist.
 */
export function columnNames(db: BetterSqlite3.Database, table: string): Set<string> {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table);
  return new Set(rows.map((row) => nameRowSchema.parse(row).name.toLowerCase()));
}

/** Reads `PRAGMA user_version` (the schema version Cricket's migrations maintain). */
export function readUserVersion(db: BetterSqlite3.Database): number {
  return z
    .number()
    .int()
    .parse(db.pragma('user_version', { simple: true }));
}
