import type { Middleware, ToolDefinition } from '@cricket/core';
import type { MiddlewareFactory } from '../../profiles/profile.js';
import type { ToolContributingMiddleware } from '../tool-contributing-middleware.js';
import { SqlQueryRunner } from './sql-query-runner.js';
import { createSqlQueryTool, type SqlQueryArgs } from './sql-query-tool.js';
import {
  defaultSqlToolLimits,
  limitsFromProfileConfig,
  parseSqlToolOptions,
  type SqlToolLimits,
  type SqlToolOptions,
} from './sql-tool-config.js';
import { openSqlToolDatabase, type SqlToolDatabase } from './sql-tool-database.js';

/** Name under which profiles refer to the SQL tool middleware. */
export const sqlToolMiddlewareName = 'sql';

/** The `sql` middleware factory, plus what a server needs to offer and shut down the tool. */
export interface SqlToolMiddlewareFactory extends MiddlewareFactory {
  /** `sql_query` with the factory's limits, for `ChatServerOptions.tools`. */
  readonly tool: ToolDefinition<SqlQueryArgs, string>;
  /** The opened database: path, schema, prompts. */
  readonly database: SqlToolDatabase;
  /** The query process manager (one process per factory, i.e. per server). */
  readonly runner: SqlQueryRunner;
  /** Kills the query process and closes the database. Idempotent. */
  close(): void;
}

/**
 * Creates the `sql` middleware factory over ONE SQLite file, chosen by the operator here (profiles and
 * `/chat` overrides can tune the caps but never name another file). The file is opened read-only and its
 * schema and `_prompts` rows are read now: a missing file, a directory or a file that is not SQLite
 * throws `ConfigurationError` at once.
 *
 * `factory(config, context)` returns a pass-through middleware carrying `tools: [sql_query]` (a
 * {@link ToolContributingMiddleware}) built with the profile config's caps (`max_rows`,
 * `max_output_lines`, `max_output_bytes`, `timeout`; invalid config throws `ConfigurationError` naming
 * the profile). The conversation runtime has to add those tools to the inference's registry; until it
 * does, offer `factory.tool` through `ChatServerOptions.tools`.
 */
export function createSqlToolMiddlewareFactory(options: SqlToolOptions): SqlToolMiddlewareFactory {
  const parsed = parseSqlToolOptions(options);
  const limits: SqlToolLimits = {
    maxRows: parsed.maxRows ?? defaultSqlToolLimits.maxRows,
    maxOutputLines: parsed.maxOutputLines ?? defaultSqlToolLimits.maxOutputLines,
    maxOutputBytes: parsed.maxOutputBytes ?? defaultSqlToolLimits.maxOutputBytes,
    timeoutMs: parsed.timeoutMs ?? defaultSqlToolLimits.timeoutMs,
  };
  const database = openSqlToolDatabase(parsed.path);
  const runner = new SqlQueryRunner();
  const tool = createSqlQueryTool({ database, runner, limits });
  const toolsByLimits = new Map<string, ToolDefinition<SqlQueryArgs, string>>([[JSON.stringify(limits), tool]]);

  const factory: MiddlewareFactory = (config, context) => {
    const profileLimits = limitsFromProfileConfig(
      limits,
      config,
      `profile ${JSON.stringify(context.profile.slug)}: middleware ${sqlToolMiddlewareName} config`,
    );
    const key = JSON.stringify(profileLimits);
    let profileTool = toolsByLimits.get(key);
    if (!profileTool) {
      profileTool = createSqlQueryTool({ database, runner, limits: profileLimits });
      toolsByLimits.set(key, profileTool);
    }
    const passThrough: Middleware = (next) => next;
    const contributing: ToolContributingMiddleware = Object.assign(passThrough, { tools: [profileTool] });
    return contributing;
  };
  return Object.assign(factory, {
    tool,
    database,
    runner,
    close() {
      runner.close();
      database.close();
    },
  });
}
