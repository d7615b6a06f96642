import type BetterSqlite3 from 'better-sqlite3';

/** Leading keywords a `sql_query` statement may start with. */
export const allowedStatementKeywords: ReadonlySet<string> = new Set(['SELECT', 'WITH', 'EXPLAIN']);

/** Outcome of {@link vetStatement}. */
export type StatementVerdict =
  | { kind: 'allowed' }
  /** Refused by the policy; `reason` says why, for the model. */
  | { kind: 'refused'; reason: string }
  /** SQLite could not prepare it (syntax error, unknown table, …). */
  | { kind: 'error'; message: string };

/** better-sqlite3's message when the SQL holds more than one statement. */
const multipleStatementsMessage = 'more than one statement';

/**
 * The first keyword of `sql`, upper-cased, after whitespace and `--` / `/* *\/` comments (empty when
 * there is none).
 */
export function leadingKeyword(sql: string): string {
  let index = 0;
  while (index < sql.length) {
    const rest = sql.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      index = end < 0 ? sql.length : index + end + 1;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/', 2);
      index = end < 0 ? sql.length : index + end + 2;
      continue;
    }
    break;
  }
  return /^[A-Za-z_]+/.exec(sql.slice(index))?.[0].toUpperCase() ?? '';
}

/** True for better-sqlite3's refusal of SQL holding several statements. */
export function isMultipleStatementsError(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes(multipleStatementsMessage);
}

/** Why a prepared statement is refused, or `undefined` when it may run. */
export function preparedStatementRefusal(
  statement: Pick<BetterSqlite3.Statement, 'readonly' | 'reader'>,
): string | undefined {
  if (!statement.readonly) return 'the statement would modify the database (only reads are allowed)';
  if (!statement.reader) return 'the statement returns no rows (only queries are allowed)';
  return undefined;
}

/**
 * Decides whether `sql` may run, in three layers:
 * 1. an allow-list on the leading keyword: a single `SELECT`, `WITH … SELECT` or `EXPLAIN` statement
 *    (this refuses `ATTACH`, `DETACH`, `PRAGMA`, `BEGIN`, `VACUUM`… which SQLite counts as read-only);
 * 2. preparing it: better-sqlite3 refuses SQL holding more than one statement (trailing comments and
 *    semicolons are fine), and SQLite reports syntax errors and unknown tables;
 * 3. `stmt.readonly`, SQLite's own verdict, as the authoritative check (it catches `WITH … DELETE`, and
 *    `EXPLAIN` of a write), and `stmt.reader` (the statement must return rows).
 * The connection itself is read-only too, so a write that slipped through would still fail.
 */
export function vetStatement(db: BetterSqlite3.Database, sql: string): StatementVerdict {
  const keyword = leadingKeyword(sql);
  if (!keyword) return { kind: 'refused', reason: 'the query is empty' };
  if (!allowedStatementKeywords.has(keyword)) {
    return {
      kind: 'refused',
      reason: `only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not ${keyword}`,
    };
  }
  let statement: BetterSqlite3.Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    if (isMultipleStatementsError(error)) {
      return { kind: 'refused', reason: 'only one statement is allowed per call (found more than one)' };
    }
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  const refusal = preparedStatementRefusal(statement);
  return refusal ? { kind: 'refused', reason: refusal } : { kind: 'allowed' };
}
