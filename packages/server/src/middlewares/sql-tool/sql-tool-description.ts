import type { SqlToolLimits } from './sql-tool-config.js';

/** What the description is built from (a `SqlToolDatabase` fits). */
export interface DescribedDatabase {
  readonly schema: readonly string[];
  readonly prompts: readonly string[];
}

/**
 * The `sql_query` description: what the tool does and refuses, its caps, then `Schema:` with the
 * `CREATE` statements of the tables and views (separated by blank lines) and, when the database has a
 * `_prompts` table, `Prompts:` with one `- ` bullet per row.
 */
export function describeSqlTool(database: DescribedDatabase, limits: SqlToolLimits): string {
  const parts = [
    'Execute a read-only SQL query against the attached SQLite database. ' +
      'Send exactly one SELECT, WITH … SELECT or EXPLAIN statement per call; anything else is refused. ' +
      `The result is text: a header line of column names, then one line per row, values separated by " | ". ` +
      `At most ${limits.maxRows} rows, ${limits.maxOutputLines} lines and ${limits.maxOutputBytes} bytes are returned ` +
      '(a "... additional data cutoff" line says when more was left out: aggregate or add LIMIT/WHERE). ' +
      `Queries running longer than ${formatSeconds(limits.timeoutMs)} are stopped.`,
  ];
  parts.push(database.schema.length > 0 ? `Schema:\n${database.schema.join('\n\n')}` : 'Schema: (no tables)');
  if (database.prompts.length > 0) {
    parts.push(`Prompts:\n${database.prompts.map((prompt) => `- ${prompt}`).join('\n')}`);
  }
  return parts.join('\n\n');
}

function formatSeconds(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000} s` : `${milliseconds} ms`;
}
