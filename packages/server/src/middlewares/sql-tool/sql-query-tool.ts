import { defineTool, type ToolDefinition, ToolError } from '@cricket/core';
import { z } from 'zod';
import type { SqlQueryRunner } from './sql-query-runner.js';
import { formatQueryResult } from './sql-result-format.js';
import type { SqlToolLimits } from './sql-tool-config.js';
import type { SqlToolDatabase } from './sql-tool-database.js';
import { describeSqlTool } from './sql-tool-description.js';

/** Name of the tool. */
export const sqlQueryToolName = 'sql_query';

/** Longest accepted statement, in characters. */
export const maxSqlLength = 100_000;

const sqlQueryInput = z.object({
  sql: z
    .string()
    .min(1)
    .max(maxSqlLength)
    .describe('One SQLite SELECT, WITH … SELECT or EXPLAIN statement. Use LIMIT and aggregates to keep results small.'),
});

/** Arguments of `sql_query`. */
export type SqlQueryArgs = z.output<typeof sqlQueryInput>;

/** What {@link createSqlQueryTool} needs. */
export interface SqlQueryToolOptions {
  database: SqlToolDatabase;
  runner: SqlQueryRunner;
  limits: SqlToolLimits;
}

/**
 * The `sql_query` tool (tags `sqlite`, `sql`; version `1.0`): runs one read-only statement against
 * `database` in the runner's query process and returns the capped text result (see
 * `formatQueryResult`). The description carries the schema and `_prompts` rows read when the
 * database was opened.
 *
 * Failures are `ToolError`s, which the tool loop hands to the model as error results:
 * `tool-invalid-arguments` "sql_query refused: <why>" for statements the policy refuses (see
 * `vetStatement`) and "SQL error: <sqlite message>" for statements SQLite cannot prepare; `tool-failed`
 * "SQL error: …" for errors while running; `tool-timeout` when the runner stopped a slow query.
 */
export function createSqlQueryTool(options: SqlQueryToolOptions): ToolDefinition<SqlQueryArgs, string> {
  const { database, runner, limits } = options;
  return defineTool({
    name: sqlQueryToolName,
    description: describeSqlTool(database, limits),
    input: sqlQueryInput,
    tags: ['sqlite', 'sql'],
    version: '1.0',
    async execute({ sql }, context) {
      const verdict = database.vet(sql);
      if (verdict.kind === 'refused') throw refused(verdict.reason);
      if (verdict.kind === 'error') {
        throw new ToolError('tool-invalid-arguments', `SQL error: ${verdict.message}`, { blame: 'provider' });
      }
      const answer = await runner.run(
        { path: database.path, sql, maxRows: limits.maxRows, maxBytes: limits.maxOutputBytes * 2 },
        { timeoutMs: limits.timeoutMs, signal: context.signal },
      );
      if (!answer.ok) {
        if (answer.kind === 'refused') throw refused(answer.message);
        throw new ToolError('tool-failed', `SQL error: ${answer.message}`, { blame: 'provider' });
      }
      return formatQueryResult(answer, limits);
    },
  });
}

function refused(reason: string): ToolError {
  return new ToolError('tool-invalid-arguments', `sql_query refused: ${reason}`, { blame: 'provider' });
}
