import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '@cricket/core';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { type StatementVerdict, vetStatement } from './sql-statement-policy.js';

const schemaRowSchema = z.object({ name: z.string(), sql: z.string() });

/** Name of the optional table whose `prompt` rows are listed in the tool description. */
export const promptsTableName = '_prompts';

/** A SQLite file opened for the `sql_query` tool, with what the tool description shows. */
export interface SqlToolDatabase {
  /** Absolute path of the file. */
  readonly path: string;
  /** `CREATE` statements of the tables and views (not `sqlite_*`, not `_prompts`), ordered by name. */
  readonly schema: readonly string[];
  /** The `prompt` column of `_prompts`, in row order (empty without that table). */
  readonly prompts: readonly string[];
  /** Vets a statement on this process's read-only connection (see `vetStatement`). */
  vet(sql: string): StatementVerdict;
  /** Closes the connection. Idempotent. */
  close(): void;
}

/**
 * Opens `path` READ-ONLY (`readonly: true, fileMustExist: true`, plus `PRAGMA query_only`) and reads its
 * schema and prompts once. Throws `ConfigurationError` when the file is missing, is a directory, or is
 * not a SQLite database.
 */
export function openSqlToolDatabase(path: string): SqlToolDatabase {
  const absolute = resolve(path);
  const what = `sql tool database ${absolute}`;
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(absolute);
  } catch {
    throw new ConfigurationError(`${what} does not exist (build it, or fix the path)`);
  }
  if (!stats.isFile()) throw new ConfigurationError(`${what} is not a file`);
  let connection: Database.Database;
  try {
    connection = new Database(absolute, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ConfigurationError(`${what} cannot be opened: ${messageOf(error)}`, { cause: error });
  }
  try {
    connection.pragma('query_only = ON');
    const schema = connection
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE type IN ('table', 'view') AND sql IS NOT NULL AND substr(name, 1, 7) <> 'sqlite_' AND name <> ?
         ORDER BY name`,
      )
      .all(promptsTableName)
      .map((row) => `${schemaRowSchema.parse(row).sql.trim().replace(/;$/, '')};`);
    const prompts = readPrompts(connection);
    return {
      path: absolute,
      schema,
      prompts,
      vet: (sql) => vetStatement(connection, sql),
      close: () => {
        if (connection.open) connection.close();
      },
    };
  } catch (error) {
    connection.close();
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_NOTADB')
      throw new ConfigurationError(`${what} is not a SQLite database`, { cause: error });
    throw new ConfigurationError(`${what} cannot be read: ${messageOf(error)}`, { cause: error });
  }
}

function readPrompts(connection: Database.Database): string[] {
  const hasPromptColumn = connection
    .prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?')
    .get(promptsTableName, 'prompt');
  if (!hasPromptColumn) return [];
  return connection
    .prepare(`SELECT prompt FROM "${promptsTableName}" WHERE prompt IS NOT NULL`)
    .pluck()
    .all()
    .map((value) => String(value).trim())
    .filter((prompt) => prompt !== '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
