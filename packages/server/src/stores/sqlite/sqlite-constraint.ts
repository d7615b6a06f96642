/** True when `error` is SQLite's primary-key or unique constraint failure (better-sqlite3 `SqliteError`). */
export function isPrimaryKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
