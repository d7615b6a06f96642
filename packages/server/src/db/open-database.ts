import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../stores/store-error.js';
import { CricketDatabase } from './cricket-database.js';
import type { LegacyMigration, Migration } from './migration.js';
import { runMigrations } from './migrations.js';
import { cricketLegacyMigrations, cricketMigrations } from './schema-migrations.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * `PRAGMA synchronous` (default `NORMAL`). With WAL, `NORMAL` keeps every committed transaction
   * across a process crash or `kill -9`; an OS crash or power loss may roll back the last few commits
   * (the WAL is not fsynced on each commit). `FULL` fsyncs the WAL on every commit: nothing committed
   * is lost even then, at roughly 5× the commit cost.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a writer waits for a lock held by another connection before `SQLITE_BUSY` (default 5000). */
  busyTimeoutMs?: number;
  /** Versioned migrations to apply (default: Cricket's). Tests inject their own. */
  migrations?: readonly Migration[];
  /** Legacy pre-migrations to run first (default: Cricket's). */
  legacyMigrations?: readonly LegacyMigration[];
}

/**
 * Opens (creating when missing) the SQLite database at `path`, or an in-memory one for `':memory:'`.
 * Creates the parent directory (0755), sets `journal_mode=WAL` (files only), `synchronous`,
 * `busy_timeout`, `foreign_keys=ON` and `temp_store=MEMORY`, then runs the migrations (see
 * `runMigrations`).
 *
 * Throws `StoreError`: `store-open-failed` when the file cannot be opened or is not a database,
 * `store-schema-too-new` for a database written by a newer Cricket, `store-migration-failed` /
 * `store-legacy-schema` when the schema cannot be brought up to date. The connection is closed on
 * failure.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): CricketDatabase {
  const inMemory = path === ':memory:' || path === '';
  let raw: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    raw = new Database(path);
  } catch (error) {
    throw openFailed(path, error);
  }
  try {
    try {
      if (!inMemory) raw.pragma('journal_mode = WAL');
      raw.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
      raw.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      raw.pragma('foreign_keys = ON');
      // Savepoint and statement journals in memory: every store call is a savepoint inside the
      // pipeline's group commit, and on-disk sub-journals cost ~2× on that path.
      raw.pragma('temp_store = MEMORY');
    } catch (error) {
      throw openFailed(path, error);
    }
    const report = runMigrations(
      raw,
      options.migrations ?? cricketMigrations,
      options.legacyMigrations ?? cricketLegacyMigrations,
    );
    return new CricketDatabase(raw, path, report);
  } catch (error) {
    raw.close();
    throw error;
  }
}

function openFailed(path: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError('store-open-failed', `cannot open database ${path}: ${reason}`, { cause: error });
}
