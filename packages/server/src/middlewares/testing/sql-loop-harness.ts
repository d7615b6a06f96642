import {
  createEngineBuilder,
  parseScriptYaml,
  RecordingSink,
  ScriptedEngine,
  Session,
  type ToolDefinition,
  ToolRegistry,
} from '@cricket/core';

/**
 * A scripted model for the SQL tool: a prompt `q:<name>` makes it call `sql_query` with that rule's
 * statement, then answer with the tool's result or error.
 */
export const sqlScript = parseScriptYaml(`
model: scripted-sql
rules:
  - match: "^q:select$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT id, name, city FROM customers ORDER BY id" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:view$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT name FROM lyon_customers" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:numbers$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT n, printf('%040d', n) AS padded FROM numbers ORDER BY n" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:delete$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "DELETE FROM customers" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:update$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "UPDATE customers SET name = 'x'" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:insert$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "INSERT INTO customers (name, city) VALUES ('Eve', 'Nice')" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:drop$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "DROP TABLE customers" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:attach$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "ATTACH DATABASE 'attached.sqlite' AS other" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:pragma$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "PRAGMA writable_schema=1" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:multi$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT 1; DELETE FROM customers" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:with-delete$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "WITH doomed AS (SELECT id FROM customers) DELETE FROM customers WHERE id IN doomed" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:error$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT * FROM no_such_table" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:runtime-error$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT json_extract('not json', '$.a')" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:slow$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c" } }]
      - text: "{{tool_result}}{{tool_error}}"
  - match: "^q:top-customers$"
    steps:
      - tool_calls: [{ name: sql_query, args: { sql: "SELECT customer, SUM(total_cents) AS spent_cents FROM order_totals WHERE status <> 'cancelled' GROUP BY customer ORDER BY spent_cents DESC LIMIT 3" } }]
      - text: "{{tool_result}}{{tool_error}}"
`);

/** The outcome of one scripted SQL call through the tool loop. */
export interface SqlLoopOutcome {
  /** The `tool_use` result (JSON text of the result string), when the call succeeded. */
  result?: string;
  /** The error text, empty on success. */
  error: string;
  /** The model's final answer (the result or the error, from the script). */
  answer: string;
  sink: RecordingSink;
}

/** Runs prompt `q:<name>` through the tool loop with `tools` and returns the call's outcome. */
export async function askSql(tools: readonly ToolDefinition[], prompt: string): Promise<SqlLoopOutcome> {
  const sink = new RecordingSink();
  const builder = createEngineBuilder({
    engine: new ScriptedEngine({ script: sqlScript }),
    registry: new ToolRegistry(tools),
    sinks: [sink],
  });
  const session = new Session({ id: 'sql-session', builder });
  session.appendNewTurnFromUserPrompt(prompt);
  const turn = await session.startInference().wait();
  const use = turn.blocks.find((block) => block.kind === 'tool_use');
  const last = turn.blocks.at(-1);
  if (use?.kind !== 'tool_use') throw new Error(`no tool result in the turn for ${prompt}`);
  return {
    ...(use.payload.result === undefined ? {} : { result: use.payload.result }),
    error: use.payload.error,
    answer: last?.kind === 'llm_text' ? last.payload.text : '',
    sink,
  };
}
