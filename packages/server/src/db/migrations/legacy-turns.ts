import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../../stores/store-error.js';
import type { LegacyMigration } from '../migration.js';
import { columnNames, indexExists, tableExists } from '../sqlite-introspection.js';

/**
 * How to repair a legacy table that has BOTH the legacy `run_id` column and `session_id` (a database
 * half-migrated by hand or by a broken tool): which column's values become `session_id`. The other
 * column is used only where the winner is NULL or empty; then the legacy column is removed.
 */
export type LegacyRepair = 'keep-session-id' | 'keep-legacy';

/** The accepted {@link LegacyRepair} values, for option parsing. */
export const legacyRepairChoices: readonly LegacyRepair[] = ['keep-session-id', 'keep-legacy'];

/** Options of {@link createLegacyTurnsMigration}. */
export interface LegacyTurnsMigrationOptions {
  /** Repair a table with both columns (default: refuse it with `store-legacy-schema`). */
  repair?: LegacyRepair;
  /**
   * Test hook: called after each step of `apply`, inside the migration transaction (`inspected`,
   * `renamed` or `rebuilt`, `old-index-dropped`, `new-index-created`). Used to kill the process at
   * seeded points and show the migration is atomic.
   */
  onStep?: (step: string) => void;
}

/** A legacy migration that can be re-created with a repair choice (see {@link withLegacyRepair}). */
export interface RepairableLegacyMigration extends LegacyMigration {
  /** The same migration, repairing tables with both columns as `repair` says. */
  withRepair(repair: LegacyRepair): LegacyMigration;
  /** Human-readable findings on `db` (legacy columns and indexes found); empty when nothing is legacy. */
  findings(db: BetterSqlite3.Database): string[];
}

/** The columns of the reference's legacy `turns` table, in order (reference webchat-backend §6). */
const legacyColumns = ['conv_id', 'run_id', 'turn_id', 'phase', 'created_at_ms', 'payload'];
const currentColumns = ['conv_id', 'session_id', 'turn_id', 'phase', 'created_at_ms', 'payload'];

const currentTableDdl = (name: string) => `
CREATE TABLE ${name} (
  conv_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  turn_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (conv_id, session_id, turn_id, phase, created_at_ms)
)`;

const currentIndexes = `
CREATE INDEX IF NOT EXISTS turns_by_conv ON turns(conv_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_phase ON turns(phase, created_at_ms DESC);
`;

/**
 * Legacy migration of the reference's pre-hard-cut turn store: table `turns` with column `run_id`
 * (inside the primary key) and index `turns_by_run` → column `session_id`, index `turns_by_session`.
 *
 * Steps (one transaction, opened by the runner): check the layout (exactly the reference's columns,
 * else refuse: an unexpected extra or missing column is not ours to guess) → rename the column (SQLite
 * rewrites the primary key and the index definitions) → drop `turns_by_run` → create the current
 * indexes. A table with both columns is refused with `store-legacy-schema` unless `repair` says which
 * wins; then the table is rebuilt with the current layout, every row copied (a key collision after the
 * merge aborts the whole migration instead of dropping a row). Idempotent: `needed` is false once the
 * legacy column and index are gone, and on every database Cricket created.
 */
export function createLegacyTurnsMigration(options: LegacyTurnsMigrationOptions = {}): RepairableLegacyMigration {
  const step = options.onStep ?? (() => undefined);
  return {
    name: 'legacy-turns-session-id',
    description:
      'renames turns.run_id to session_id (reference turn store before the session_id hard cut), ' +
      'replaces index turns_by_run with turns_by_session',
    needed(db) {
      if (!tableExists(db, 'turns')) return false;
      return columnNames(db, 'turns').has('run_id') || indexExists(db, 'turns_by_run');
    },
    apply(db) {
      const columns = columnNames(db, 'turns');
      const hasLegacy = columns.has('run_id');
      const hasSession = columns.has('session_id');
      step('inspected');
      if (hasLegacy && hasSession) {
        if (!options.repair) {
          throw new StoreError(
            'store-legacy-schema',
            'table turns has both run_id and session_id columns (a half-migrated reference database); ' +
              'nothing was changed. Choose which column wins: cricket db migrate <file> --repair keep-session-id|keep-legacy',
          );
        }
        assertColumns(columns, [...currentColumns, 'run_id']);
        rebuild(db, options.repair);
        step('rebuilt');
      } else if (hasLegacy) {
        assertColumns(columns, legacyColumns);
        db.exec('ALTER TABLE turns RENAME COLUMN run_id TO session_id');
        step('renamed');
      }
      if (indexExists(db, 'turns_by_run')) db.exec('DROP INDEX turns_by_run');
      step('old-index-dropped');
      db.exec(currentIndexes);
      step('new-index-created');
    },
    withRepair(repair) {
      return createLegacyTurnsMigration({ ...options, repair });
    },
    findings(db) {
      if (!tableExists(db, 'turns')) return [];
      const columns = columnNames(db, 'turns');
      const out: string[] = [];
      if (columns.has('run_id')) {
        out.push(
          columns.has('session_id')
            ? 'turns has both run_id and session_id columns (needs --repair keep-session-id|keep-legacy)'
            : 'turns has the legacy column run_id',
        );
      }
      if (indexExists(db, 'turns_by_run')) out.push('turns has the legacy index turns_by_run');
      return out;
    },
  };
}

/** Refuses a legacy table whose columns are not exactly `expected` (names only, any order). */
function assertColumns(columns: ReadonlySet<string>, expected: readonly string[]): void {
  const extra = [...columns].filter((column) => !expected.includes(column));
  const missing = expected.filter((column) => !columns.has(column));
  if (extra.length === 0 && missing.length === 0) return;
  const parts = [
    ...(extra.length > 0 ? [`unexpected column(s) ${extra.join(', ')}`] : []),
    ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
  ];
  throw new StoreError(
    'store-legacy-schema',
    `legacy table turns has ${parts.join(' and ')}; expected exactly ${expected.join(', ')}. Nothing was changed: ` +
      'export the extra data and drop those columns by hand before migrating',
  );
}

/** Rebuilds a both-columns `turns` table in the current layout, the `repair` column winning. */
function rebuild(db: BetterSqlite3.Database, repair: LegacyRepair): void {
  const [winner, other] = repair === 'keep-legacy' ? ['run_id', 'session_id'] : ['session_id', 'run_id'];
  const missing = db
    .prepare(`SELECT count(*) FROM turns WHERE coalesce(nullif(${winner}, ''), nullif(${other}, '')) IS NULL`)
    .pluck()
    .get();
  if (missing !== 0) {
    throw new StoreError(
      'store-legacy-schema',
      `legacy table turns: ${String(missing)} row(s) have neither run_id nor session_id; nothing was changed`,
    );
  }
  db.exec(currentTableDdl('turns_legacy_repair'));
  try {
    db.exec(
      `INSERT INTO turns_legacy_repair (conv_id, session_id, turn_id, phase, created_at_ms, payload)
       SELECT conv_id, coalesce(nullif(${winner}, ''), ${other}), turn_id, phase, created_at_ms, payload FROM turns`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'store-legacy-schema',
      `legacy table turns: --repair ${repair} would merge two rows into one key (${reason}); nothing was changed`,
      { cause: error },
    );
  }
  db.exec('DROP TABLE turns');
  db.exec('ALTER TABLE turns_legacy_repair RENAME TO turns');
}

/** Cricket's legacy turns migration, refusing tables with both columns. */
export const legacyTurnsMigration: RepairableLegacyMigration = createLegacyTurnsMigration();

/** True when `migration` supports {@link RepairableLegacyMigration.withRepair}. */
export function isRepairableLegacyMigration(migration: LegacyMigration): migration is RepairableLegacyMigration {
  const candidate = migration as Partial<RepairableLegacyMigration>;
  return typeof candidate.withRepair === 'function' && typeof candidate.findings === 'function';
}

/**
 * `migrations` with every repairable one re-created with `repair`: pass the result as
 * `openDatabase(path, { legacyMigrations })` to open a database whose legacy tables have both columns.
 */
export function withLegacyRepair(
  migrations: readonly LegacyMigration[],
  repair: LegacyRepair | undefined,
): LegacyMigration[] {
  return migrations.map((migration) =>
    repair && isRepairableLegacyMigration(migration) ? migration.withRepair(repair) : migration,
  );
}
