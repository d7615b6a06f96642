import { existsSync, statSync } from 'node:fs';
import { errorMessage } from '@cricket/core/errors';
import Database from 'better-sqlite3';
import { type Command, type CommanderError, InvalidArgumentError } from 'commander';

/**
 * Exit codes of the operator commands (`db`, `turns`, `timeline`, `profiles`):
 * 0 success, 1 failure (missing or unreadable file, not a database, refused migration, not found…),
 * 2 usage error (unknown option, missing argument, bad option value).
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

export const exitCodesHelp = '\nExit codes: 0 ok, 1 failure, 2 usage error.';

/** A failure reported as `cricket <command>: <message>` with exit code 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/**
 * Makes `group` (and the subcommands added to it afterwards, which inherit the setting) exit with 2 on
 * usage errors and 0 on `--help`, instead of commander's 1.
 */
export function usageExitCodes(group: Command): Command {
  return group.exitOverride((error: CommanderError) => {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(exitCodes.ok);
    process.exit(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage);
  });
}

/** Runs an action: a {@link CliFailure} or any other error prints `cricket <name>: message` and exits 1. */
export function action<A extends unknown[]>(name: string, run: (...args: A) => void | Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await run(...args);
    } catch (error) {
      process.stderr.write(`cricket ${name}: ${errorMessage(error)}\n`);
      process.exitCode = exitCodes.failure;
    }
  };
}

/**
 * {@link action} for an action in a module loaded on first use: `load` imports it. Commands register
 * with light modules only, so `cricket --help` and every other command do not load the code (server,
 * protocol schemas, framework) of commands that are not run.
 */
export function lazyAction<A extends unknown[]>(
  name: string,
  load: () => Promise<(...args: A) => void | Promise<void>>,
) {
  return action(name, async (...args: A) => (await load())(...args));
}

/** Commander parser of a non-negative integer option. */
export function parseCount(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number))
    throw new InvalidArgumentError(`expected a non-negative integer, got ${JSON.stringify(value)}`);
  return number;
}

/** Commander parser of a time: epoch milliseconds or an ISO-8601 date/time. */
export function parseTime(value: string): number {
  if (/^\d+$/.test(value.trim())) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InvalidArgumentError(`expected epoch milliseconds or an ISO date, got ${JSON.stringify(value)}`);
  return ms;
}

/**
 * Opens an existing SQLite file read-only (never creates or migrates it). Fails with a clear message
 * when the file is missing, is a directory, or is not a SQLite database.
 */
export function openReadOnly(path: string): Database.Database {
  if (!existsSync(path)) throw new CliFailure(`database file not found: ${path}`);
  if (statSync(path).isDirectory()) throw new CliFailure(`not a database file (a directory): ${path}`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    throw new CliFailure(`not a readable SQLite database: ${path} (${errorMessage(error)})`);
  }
}

/** True when `table` exists in `db`. */
export function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Fails unless every table exists (e.g. a database without a turn store). */
export function requireTables(db: Database.Database, path: string, tables: readonly string[]): void {
  const missing = tables.filter((table) => !hasTable(db, table));
  if (missing.length > 0) throw new CliFailure(`${path} has no ${missing.join(', ')} table (not a Cricket database?)`);
}

/** Writes `value` as one JSON document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes rows as an aligned text table (no rows: `(none)`). */
export function printTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(columns), ...cells.map(line)].join('\n')}\n`);
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
