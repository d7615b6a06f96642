import type BetterSqlite3 from 'better-sqlite3';
import type { MigrationReport } from './migration.js';

/**
 * An open Cricket database: one better-sqlite3 connection (the single writer of the process) with the
 * schema at the latest version. Created by `openDatabase`; stores take it in their constructors and
 * share it.
 */
export class CricketDatabase {
  /** The better-sqlite3 handle, for stores and tools that prepare their own statements. */
  readonly raw: BetterSqlite3.Database;
  /** The path given to `openDatabase` (`:memory:` for an in-memory database). */
  readonly path: string;
  /** What the migration runner did while opening. */
  readonly migration: MigrationReport;
  readonly #run: BetterSqlite3.Transaction<(fn: () => unknown) => unknown>;

  constructor(raw: BetterSqlite3.Database, path: string, migration: MigrationReport) {
    this.raw = raw;
    this.path = path;
    this.migration = migration;
    this.#run = raw.transaction((fn: () => unknown) => fn());
  }

  /**
   * Runs `fn` in a transaction: BEGIN … COMMIT, or a SAVEPOINT when already inside one (so store
   * methods compose into the pipeline's group commit). A throw rolls back this level and propagates.
   * `fn` must be synchronous: anything it awaits would run after the commit.
   */
  transaction<T>(fn: () => T): T {
    return this.#run(fn) as T;
  }

  /** True while a transaction is open on this connection. */
  get inTransaction(): boolean {
    return this.raw.inTransaction;
  }

  /** True until {@link close}. */
  get isOpen(): boolean {
    return this.raw.open;
  }

  /** `PRAGMA integrity_check`: `'ok'` when the file is sound, else the problems, one per line. */
  integrityCheck(): string {
    const rows = this.raw.pragma('integrity_check');
    if (!Array.isArray(rows)) return String(rows);
    return rows.map((row: unknown) => (isRecord(row) ? String(Object.values(row)[0]) : String(row))).join('\n');
  }

  /** Closes the connection (a checkpoint folds the WAL back into the file). Idempotent. */
  close(): void {
    if (this.raw.open) this.raw.close();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
