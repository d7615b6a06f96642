// `cricket db migrate` and `cricket db check` themselves, loaded only when they run (see
// db-migrate-command.ts): the server's database code is not needed for `--help` or other commands.
import { existsSync } from 'node:fs';
import { errorMessage } from '@cricket/core/errors';
import {
  cricketLegacyMigrations,
  cricketMigrations,
  type LegacyMigration,
  latestVersion,
  type Migration,
  type MigrationReport,
  migrationLabel,
  readUserVersion,
  runMigrations,
} from '@cricket/server/db';
import Database from 'better-sqlite3';
import { CliFailure, exitCodes, openReadOnly, printJson } from './cli-support.js';

import type { RepairChoice } from './db-migrate-command.js';

/**
 * The optional capabilities of Cricket's legacy migrations (see `migrations/legacy-turns.ts` in
 * `@cricket/server`): re-creating one with a repair choice, and describing what is legacy in a file.
 */
interface LegacyMigrationExtras {
  withRepair?: (repair: RepairChoice) => LegacyMigration;
  findings?: (db: Database.Database) => string[];
}

function extras(migration: LegacyMigration): LegacyMigrationExtras {
  return migration as LegacyMigration & LegacyMigrationExtras;
}

function legacyMigrationsFor(repair: RepairChoice | undefined): LegacyMigration[] {
  return cricketLegacyMigrations.map((migration) => {
    const withRepair = extras(migration).withRepair;
    return repair && withRepair ? withRepair.call(migration, repair) : migration;
  });
}

interface LegacyFinding {
  migration: string;
  description: string;
  /** Whether the legacy migration would run (some findings are handled by versioned migrations). */
  needed: boolean;
  findings: string[];
}

function legacyFindings(db: Database.Database): LegacyFinding[] {
  const out: LegacyFinding[] = [];
  for (const migration of cricketLegacyMigrations) {
    const needed = migration.needed(db);
    const findings = extras(migration).findings?.call(migration, db) ?? (needed ? [migration.description] : []);
    if (needed || findings.length > 0)
      out.push({ migration: migration.name, description: migration.description, needed, findings });
  }
  return out;
}

function integrity(db: Database.Database): string {
  const rows = db.pragma('integrity_check', { simple: false });
  if (!Array.isArray(rows)) return String(rows);
  return rows.map((row: unknown) => String(Object.values(row as Record<string, unknown>)[0])).join('\n');
}

function requireFile(file: string): void {
  if (!existsSync(file)) throw new CliFailure(`database file not found: ${file}`);
}

export interface MigrateOptions {
  dryRun: boolean;
  repair?: RepairChoice;
  json: boolean;
}

/** `cricket db migrate <file>`. */
export function migrate(file: string, options: MigrateOptions): void {
  requireFile(file);
  const latest = latestVersion(cricketMigrations);
  if (options.dryRun) {
    const db = openReadOnly(file);
    try {
      const version = readUserVersion(db);
      const legacy = legacyFindings(db);
      const needed = legacy.filter((item) => item.needed);
      const pending = cricketMigrations.filter((m) => m.version > version).map(migrationLabel);
      const report = { file, dry_run: true, schema_version: version, latest_version: latest, legacy, pending };
      if (options.json) {
        printJson(report);
        return;
      }
      process.stdout.write(`${file}: schema version ${version} (latest ${latest}) — dry run, nothing written\n`);
      if (version > latest) process.stdout.write('too new for this build: it would be refused\n');
      for (const item of legacy) {
        if (item.needed) process.stdout.write(`would apply legacy migration ${item.migration}: ${item.description}\n`);
        for (const finding of item.findings) process.stdout.write(`  found: ${finding}\n`);
      }
      for (const label of pending) process.stdout.write(`would apply migration ${label}\n`);
      if (needed.length === 0 && pending.length === 0) process.stdout.write('nothing to do\n');
      return;
    } finally {
      db.close();
    }
  }
  // Refuse something that is not a database before anything writes to it.
  openReadOnly(file).close();
  const progress = options.json ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
  progress(`migrating ${file}…`);
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw new CliFailure(`cannot open ${file} for writing: ${errorMessage(error)}`);
  }
  try {
    const report = migrateInOneTransaction(db, legacyMigrationsFor(options.repair), progress);
    const check = integrity(db);
    if (options.json) {
      printJson({
        file,
        dry_run: false,
        from_version: report.fromVersion,
        to_version: report.toVersion,
        legacy_applied: report.legacyApplied,
        applied: report.applied,
        integrity: check,
      });
    } else {
      const described = new Map(cricketLegacyMigrations.map((m) => [m.name, m.description]));
      for (const name of report.legacyApplied)
        process.stdout.write(`applied legacy migration ${name}: ${described.get(name) ?? ''}\n`);
      for (const label of report.applied) process.stdout.write(`applied migration ${label}\n`);
      if (report.legacyApplied.length === 0 && report.applied.length === 0)
        process.stdout.write(`${file}: already up to date (schema version ${report.toVersion})\n`);
      else process.stdout.write(`${file}: schema version ${report.fromVersion} → ${report.toVersion}\n`);
      process.stdout.write(`integrity check: ${check}\n`);
    }
    if (check !== 'ok') process.exitCode = exitCodes.failure;
  } finally {
    db.close();
  }
}

/**
 * Applies every needed legacy migration, then every pending versioned migration, in ONE immediate
 * transaction (as `openDatabase` does; `runMigrations` nests in it as a savepoint, so the progress
 * lines can report the commit), so the file goes from its old schema to the current one all at once:
 * a failure or a refusal leaves the old schema, and a `kill -9` at any moment leaves the old schema
 * or the new one, each with every row — never `turns` migrated and `agent_mode_changes` not.
 *
 * The connection is set up like `openDatabase`'s (WAL, busy timeout, foreign keys), except that
 * `synchronous` stays FULL: the commit is fsynced before the command reports success. Progress lines
 * name each step as it starts, then the commit.
 */
function migrateInOneTransaction(
  db: Database.Database,
  legacyMigrations: readonly LegacyMigration[],
  progress: (line: string) => void,
): MigrationReport {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw new CliFailure(`cannot open ${db.name} for writing: ${errorMessage(error)}`);
  }
  const started = performance.now();
  const legacy = legacyMigrations.map(
    (migration): LegacyMigration => ({
      name: migration.name,
      description: migration.description,
      needed: (raw) => migration.needed(raw),
      apply(raw) {
        progress(`applying legacy migration ${migration.name}…`);
        migration.apply(raw);
      },
    }),
  );
  const versioned = cricketMigrations.map(
    (migration): Migration => ({
      version: migration.version,
      name: migration.name,
      up(raw) {
        progress(`applying migration ${migrationLabel(migration)}…`);
        migration.up(raw);
      },
    }),
  );
  const report = db
    .transaction(() => {
      const result = runMigrations(db, versioned, legacy);
      if (result.legacyApplied.length > 0 || result.applied.length > 0) progress('committing…');
      return result;
    })
    .immediate();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (report.legacyApplied.length > 0 || report.applied.length > 0)
    progress(
      `committed in ${seconds} s (schema version ${report.fromVersion} → ${report.toVersion}); checking integrity…`,
    );
  else progress('nothing to migrate; checking integrity…');
  return report;
}

/** `cricket db check <file>`. */
export function check(file: string, options: { json: boolean }): void {
  const db = openReadOnly(file);
  try {
    const version = readUserVersion(db);
    const latest = latestVersion(cricketMigrations);
    const legacy = legacyFindings(db);
    const status =
      version > latest ? 'too-new' : legacy.length > 0 || version < latest ? 'needs-migration' : 'up-to-date';
    const integrityResult = integrity(db);
    const report = {
      file,
      schema_version: version,
      latest_version: latest,
      status,
      legacy_columns: legacy.flatMap((item) => item.findings),
      legacy_migrations: legacy.filter((item) => item.needed).map((item) => item.migration),
      integrity: integrityResult,
    };
    if (options.json) printJson(report);
    else {
      process.stdout.write(`file: ${file}\nschema version: ${version} (latest ${latest})\nstatus: ${status}\n`);
      process.stdout.write(
        `legacy layout: ${report.legacy_columns.length === 0 ? 'none' : report.legacy_columns.join('; ')}\n`,
      );
      process.stdout.write(`integrity check: ${integrityResult}\n`);
    }
    if (integrityResult !== 'ok' || status === 'too-new') process.exitCode = exitCodes.failure;
  } finally {
    db.close();
  }
}
