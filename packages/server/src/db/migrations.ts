import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../stores/store-error.js';
import type { LegacyMigration, Migration, MigrationReport } from './migration.js';
import { cricketLegacyMigrations, cricketMigrations } from './schema-migrations.js';
import { readUserVersion } from './sqlite-introspection.js';

/** `NNNN-name` label of a migration, as used in reports and error messages. */
export function migrationLabel(migration: Migration): string {
  return `${String(migration.version).padStart(4, '0')}-${migration.name}`;
}

/** The version a database reaches with `migrations` (0 for an empty list). */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Brings a database to the latest schema version.
 *
 * 1. Refuses (`store-schema-too-new`) a database whose `user_version` is above the latest migration:
 *    it was written by a newer Cricket and this build could damage it.
 * 2. Runs each needed legacy migration (see {@link LegacyMigration}) in its own transaction.
 * 3. Applies each versioned migration above the current `user_version` in ONE immediate transaction
 *    with the `user_version` bump; a throwing migration rolls back (`store-migration-failed`) and the
 *    database keeps the previous version. The version is re-read inside the transaction, so two
 *    processes opening the same file at once do not apply a migration twice.
 *
 * Safe to re-run: on an up-to-date database it only reads `user_version`. The lists are parameters so
 * tests can inject their own; they default to Cricket's.
 */
export function runMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[] = cricketMigrations,
  legacyMigrations: readonly LegacyMigration[] = cricketLegacyMigrations,
): MigrationReport {
  assertMigrationList(migrations);
  const latest = latestVersion(migrations);
  const fromVersion = readUserVersion(db);
  assertNotTooNew(fromVersion, latest);

  const legacyApplied: string[] = [];
  for (const legacy of legacyMigrations) {
    const applied = runStep(db, `legacy migration ${legacy.name}`, () => {
      if (!legacy.needed(db)) return false;
      legacy.apply(db);
      return true;
    });
    if (applied) legacyApplied.push(legacy.name);
  }

  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= fromVersion) continue;
    const label = migrationLabel(migration);
    const ran = runStep(db, `migration ${label}`, () => {
      const current = readUserVersion(db);
      assertNotTooNew(current, latest);
      if (current >= migration.version) return false;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    if (ran) applied.push(label);
  }
  return { fromVersion, toVersion: readUserVersion(db), legacyApplied, applied };
}

function runStep(db: BetterSqlite3.Database, what: string, step: () => boolean): boolean {
  try {
    return db.transaction(step).immediate();
  } catch (error) {
    // A migration that reports a precise StoreError (e.g. `store-legacy-schema`) keeps it.
    if (error instanceof StoreError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError('store-migration-failed', `${what} failed: ${reason}`, { cause: error });
  }
}

function assertNotTooNew(version: number, latest: number): void {
  if (version <= latest) return;
  throw new StoreError(
    'store-schema-too-new',
    `database schema version ${version} is newer than this build supports (latest ${latest}); upgrade Cricket to open it`,
  );
}

function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StoreError(
        'store-migration-list-invalid',
        `migration ${migration.name} has version ${migration.version}; expected ${index + 1} (versions must be 1, 2, 3, …)`,
      );
    }
  });
}
