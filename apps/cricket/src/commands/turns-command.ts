import type BetterSqlite3 from 'better-sqlite3';
import type { Command } from 'commander';
import {
  action,
  CliFailure,
  exitCodesHelp,
  openReadOnly,
  parseCount,
  parseTime,
  printJson,
  printTable,
  requireTables,
  usageExitCodes,
} from './cli-support.js';
import { defaultDatabasePath } from './serve-command.js';

interface TurnRow {
  conv_id: string;
  session_id: string;
  turn_id: string;
  phase: string;
  created_at_ms: number;
  payload: string;
}

function toTurnRow(value: unknown): TurnRow {
  const row = value as Record<string, unknown>;
  return {
    conv_id: String(row.conv_id),
    session_id: String(row.session_id),
    turn_id: String(row.turn_id),
    phase: String(row.phase),
    created_at_ms: Number(row.created_at_ms),
    payload: String(row.payload),
  };
}

interface FilterOptions {
  db: string;
  conv?: string;
  session?: string;
  phase?: string;
  since?: number;
  limit: number;
  json: boolean;
}

/**
 * The YAML forms of stored payloads: JSON payloads (Cricket's storage form) are converted, YAML passes.
 * The framework (turn decoding, YAML) loads only here, when payloads are shown.
 */
async function payloadsAsYaml(payloads: readonly string[]): Promise<string[]> {
  const { turnFromPlain, turnToYaml } = await import('@cricket/core');
  return payloads.map((payload) => {
    if (!payload.trimStart().startsWith('{')) return payload;
    try {
      return turnToYaml(turnFromPlain(JSON.parse(payload)));
    } catch {
      return payload;
    }
  });
}

function openTurns(path: string): BetterSqlite3.Database {
  const db = openReadOnly(path);
  try {
    requireTables(db, path, ['turns']);
    const columns = new Set(
      db
        .prepare('SELECT name FROM pragma_table_info(?)')
        .pluck()
        .all('turns')
        .map((name) => String(name).toLowerCase()),
    );
    if (!columns.has('session_id'))
      throw new CliFailure(`${path}: table turns has a legacy layout; run \`cricket db migrate ${path}\` first`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function query(db: BetterSqlite3.Database, filters: FilterOptions & { turnId?: string }): TurnRow[] {
  const conditions: string[] = [];
  const values: (string | number)[] = [];
  const add = (condition: string, value: string | number | undefined) => {
    if (value === undefined || value === '') return;
    conditions.push(condition);
    values.push(value);
  };
  add('turn_id = ?', filters.turnId);
  add('conv_id = ?', filters.conv);
  add('session_id = ?', filters.session);
  add('phase = ?', filters.phase);
  if (filters.since !== undefined && filters.since > 0) add('created_at_ms >= ?', filters.since);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const limit = filters.limit > 0 ? filters.limit : -1;
  const rows = db
    .prepare(
      `SELECT conv_id, session_id, turn_id, phase, created_at_ms, payload FROM turns ${where}
       ORDER BY created_at_ms DESC, rowid DESC LIMIT ?`,
    )
    .all(...values, limit);
  return rows.map(toTurnRow);
}

function list(options: FilterOptions): void {
  const db = openTurns(options.db);
  try {
    const rows = query(db, options);
    if (options.json) {
      printJson(rows.map(({ payload, ...row }) => ({ ...row, payload_bytes: Buffer.byteLength(payload) })));
      return;
    }
    printTable(
      rows.map((row) => ({
        ...row,
        created_at: new Date(row.created_at_ms).toISOString(),
        bytes: Buffer.byteLength(row.payload),
      })),
      ['created_at', 'conv_id', 'session_id', 'turn_id', 'phase', 'bytes'],
    );
  } finally {
    db.close();
  }
}

async function show(turnId: string, options: FilterOptions): Promise<void> {
  const db = openTurns(options.db);
  try {
    const rows = query(db, { ...options, turnId, limit: 0 });
    const newest = rows[0];
    if (!newest) throw new CliFailure(`turn not found: ${turnId}`);
    if (options.json) {
      const yamls = await payloadsAsYaml(rows.map((row) => row.payload));
      printJson(rows.map((row, index) => ({ ...row, payload: yamls[index] })));
      return;
    }
    if (rows.length > 1) {
      process.stderr.write(
        `${rows.length} snapshots of ${turnId} (${rows.map((row) => row.phase).join(', ')}); showing the newest ` +
          `(${newest.phase}); choose one with --phase, or --json for all\n`,
      );
    }
    process.stderr.write(
      `# ${newest.conv_id} · session ${newest.session_id} · ${newest.phase} · ${new Date(newest.created_at_ms).toISOString()}\n`,
    );
    const [yaml = ''] = await payloadsAsYaml([newest.payload]);
    process.stdout.write(yaml.endsWith('\n') ? yaml : `${yaml}\n`);
  } finally {
    db.close();
  }
}

function filterOptions(command: Command, limitDefault: number): Command {
  return command
    .option('--db <file>', 'SQLite database file', defaultDatabasePath())
    .option('--conv <conv_id>', 'only this conversation')
    .option('--session <session_id>', 'only this session')
    .option('--phase <phase>', 'only this phase (pre_inference, post_inference, post_tools, final)')
    .option('--since <time>', 'only snapshots at or after this time (epoch ms or ISO date)', parseTime)
    .option('--limit <n>', `at most n snapshots (0 = all)`, parseCount, limitDefault)
    .option('--json', 'print JSON', false)
    .addHelpText('after', exitCodesHelp);
}

/** Registers `cricket turns list|show`: the stored turn snapshots of a database file (read-only). */
export function registerTurnsCommand(program: Command): void {
  const turns = usageExitCodes(
    program.command('turns').description('Read the turn snapshots stored in a database file (read-only).'),
  );
  filterOptions(
    turns.command('list').description('List turn snapshots, newest first (the payload size, not the payload).'),
    200,
  ).action(action('turns list', list));
  filterOptions(
    turns
      .command('show')
      .description('Print the YAML payload of a turn snapshot (the newest matching one).')
      .argument('<turn_id>', 'turn id'),
    0,
  ).action(action('turns show', show));
}
