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
 * 2. When nothing is pending (no legacy layout, `user_version` at the latest) returns after those
 *    reads, without taking the write lock.
 * 3. Otherwise runs, in ONE immediate transaction, each needed legacy migration (see
 *    {@link LegacyMigration}) and then each versioned migration above `user_version` with its
 *    `user_version` bump, every step a savepoint. The file goes from its old schema to the current one
 *    at once: a throwing step rolls everything back (`store-migration-failed`, or the step's own
 *    `StoreError`), and a crash or `kill -9` at any moment leaves the old schema or the new one, never
 *    `turns` migrated and `agent_mode_changes` not. Everything is re-checked inside the transaction,
 *    so two processes opening the same file at once do not apply a step twice.
 *
 * Safe to re-run: on an up-to-date database it only reads. The lists are parameters so tests can
 * inject their own; they default to Cricket's.
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
  const pending = fromVersion < latest || legacyMigrations.some((legacy) => legacy.needed(db));
  if (!pending) return { fromVersion, toVersion: fromVersion, legacyApplied: [], applied: [] };

  const all = () => {
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
  };
  // Nested inside a caller's transaction (e.g. `cricket db migrate`), this becomes a savepoint.
  return db.inTransaction ? db.transaction(all)() : db.transaction(all).immediate();
}

/** One step as a savepoint of the enclosing transaction; failures named after the step. */
function runStep(db: BetterSqlite3.Database, what: string, step: () => boolean): boolean {
  try {
    return db.transaction(step)();
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
