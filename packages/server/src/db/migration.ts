import type BetterSqlite3 from 'better-sqlite3';

/**
 * One versioned schema migration. The runner applies it inside one transaction together with
 * `PRAGMA user_version = version`, so a failure leaves the database at the previous version with
 * nothing half-created. `up` must be synchronous and must not open its own transaction.
 */
export interface Migration {
  /** The `user_version` the database has after this migration: 1 for the first, then 2, 3, … */
  readonly version: number;
  /** Short kebab-case name, e.g. `initial-schema` (file `NNNN-<name>.ts`). */
  readonly name: string;
  /** Applies the change. Throwing rolls the whole migration back. */
  up(db: BetterSqlite3.Database): void;
}

/**
 * Extension point for databases written by the reference system (pinocchio web chat): it left
 * `user_version` at 0 and may still carry pre-hard-cut layouts (`turns.run_id` + index `turns_by_run`,
 * `agent_mode_changes.run_id` + index `idx_agent_mode_changes_run_id_at`).
 *
 * Legacy migrations run on every open, BEFORE the versioned migrations and in the same transaction
 * as them: the runner calls `needed`, and only when it answers true, `apply`. So `needed` must be cheap
 * (pragma look-ups) and must answer false once `apply` has run and on every database Cricket created:
 * that is what makes them idempotent. They repair the reference's tables in place (rename columns,
 * swap indexes) so that the versioned migrations, which use `CREATE TABLE IF NOT EXISTS`, find the
 * current layout. They must never lose a row; throwing rolls the whole migration back and stops the
 * open with `store-migration-failed`.
 */
export interface LegacyMigration {
  /** Short kebab-case name, e.g. `turns-session-id-rename`. */
  readonly name: string;
  /** One sentence for logs and `cricket db migrate` output. */
  readonly description: string;
  /** Whether this database still has the legacy layout this migration repairs. */
  needed(db: BetterSqlite3.Database): boolean;
  /** Repairs it. Runs inside a transaction opened by the runner. */
  apply(db: BetterSqlite3.Database): void;
}

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** `user_version` found on open. */
  fromVersion: number;
  /** `user_version` after the run (the latest migration's version). */
  toVersion: number;
  /** Names of the legacy migrations that were needed and applied, in order. */
  legacyApplied: string[];
  /** `NNNN-name` of each versioned migration applied, in order (empty when already up to date). */
  applied: string[];
}
