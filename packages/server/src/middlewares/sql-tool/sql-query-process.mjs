// @ts-check
// The child process that runs `sql_query` statements (see sql-query-runner.ts for why a process).
// Plain JavaScript on purpose: it starts with `node` alone (no TypeScript loader), fast, in every setup
// (tsx, vitest, built code). It is only reached through SqlQueryRunner, which validates its answers.
//
// Request: {id, path, sql, maxRows, maxBytes}. Answer: {id, ok: true, columns, rows, more} or
// {id, ok: false, kind: 'refused' | 'sql', message}.
import Database from 'better-sqlite3';

/** @type {Map<string, import('better-sqlite3').Database>} */
const connections = new Map();

/** @param {string} path */
function connection(path) {
  let db = connections.get(path);
  if (!db) {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    connections.set(path, db);
  }
  return db;
}

/** @param {unknown} value */
function estimateBytes(value) {
  if (typeof value === 'string') return Buffer.byteLength(value) + 3;
  if (value instanceof Uint8Array) return Math.min(value.length, 80) + 3;
  return 24;
}

/**
 * @param {{id: number, path: string, sql: string, maxRows: number, maxBytes: number}} request
 */
function run(request) {
  const statement = connection(request.path).prepare(request.sql);
  // Checked again here, on the connection that runs it: the parent vetted the same text.
  if (!statement.readonly || !statement.reader) {
    return {
      id: request.id,
      ok: false,
      kind: 'refused',
      message: 'the statement would modify the database or returns no rows',
    };
  }
  statement.raw(true);
  statement.safeIntegers(true);
  const columns = statement.columns().map((column) => column.name);
  /** @type {unknown[][]} */
  const rows = [];
  let bytes = 0;
  let more = false;
  for (const row of statement.iterate()) {
    if (rows.length >= request.maxRows || bytes > request.maxBytes) {
      more = true;
      break;
    }
    // Blobs come back as Buffers, which IPC would turn into {type, data} objects: send plain bytes.
    const values = /** @type {unknown[]} */ (row).map((value) =>
      Buffer.isBuffer(value) ? new Uint8Array(value) : value,
    );
    rows.push(values);
    for (const value of values) bytes += estimateBytes(value);
  }
  return { id: request.id, ok: true, columns, rows, more };
}

process.on('message', (message) => {
  const request = /** @type {{id: number, path: string, sql: string, maxRows: number, maxBytes: number}} */ (message);
  let answer;
  try {
    answer = run(request);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const refused = error instanceof RangeError && text.includes('more than one statement');
    answer = { id: request.id, ok: false, kind: refused ? 'refused' : 'sql', message: text };
  }
  process.send?.(answer);
});

// The server went away: nothing left to answer.
process.on('disconnect', () => process.exit(0));

// Tell the runner the driver is loaded: its statement timeouts start from here.
process.send?.({ ready: true });
