// The SQL tool middleware: `sql_query` over one read-only SQLite file, with a statement allow-list,
// caps and a timeout enforced by a killable query process.

export { type QueryAnswer, type QueryRequest, SqlQueryRunner } from './sql-query-runner.js';
export { createSqlQueryTool, maxSqlLength, type SqlQueryArgs, sqlQueryToolName } from './sql-query-tool.js';
export { formatQueryResult, formatValue, type QueryRows } from './sql-result-format.js';
export {
  allowedStatementKeywords,
  leadingKeyword,
  type StatementVerdict,
  vetStatement,
} from './sql-statement-policy.js';
export {
  defaultSqlToolLimits,
  type SqlToolLimits,
  type SqlToolOptions,
  sqlToolOptionsSchema,
  sqlToolProfileConfigSchema,
} from './sql-tool-config.js';
export { openSqlToolDatabase, promptsTableName, type SqlToolDatabase } from './sql-tool-database.js';
export { describeSqlTool } from './sql-tool-description.js';
export {
  createSqlToolMiddlewareFactory,
  type SqlToolMiddlewareFactory,
  sqlToolMiddlewareName,
} from './sql-tool-middleware-factory.js';
