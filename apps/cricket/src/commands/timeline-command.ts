import type BetterSqlite3 from 'better-sqlite3';
import { type Command, InvalidArgumentError } from 'commander';
import {
  action,
  CliFailure,
  exitCodesHelp,
  hasTable,
  openReadOnly,
  parseCount,
  printJson,
  printTable,
  usageExitCodes,
} from './cli-support.js';
import { defaultDatabasePath } from './serve-command.js';

interface CommonOptions {
  db: string;
  json: boolean;
}

interface EntityRow {
  conv_id: string;
  entity_id: string;
  kind: string;
  created_at_ms: number;
  updated_at_ms: number;
  version: number;
  entity_json: string;
}

function toEntityRow(value: unknown): EntityRow {
  const row = value as Record<string, unknown>;
  return {
    conv_id: String(row.conv_id),
    entity_id: String(row.entity_id),
    kind: String(row.kind),
    created_at_ms: Number(row.created_at_ms),
    updated_at_ms: Number(row.updated_at_ms),
    version: Number(row.version),
    entity_json: String(row.entity_json),
  };
}

/** Opens the timeline tables of a database file (Cricket's or the reference's layout) read-only. */
function openTimeline(path: string): BetterSqlite3.Database {
  const db = openReadOnly(path);
  if (!hasTable(db, 'timeline_entities') || !hasTable(db, 'timeline_versions')) {
    db.close();
    throw new CliFailure(`${path} has no timeline tables (timeline_entities, timeline_versions)`);
  }
  return db;
}

function withTimeline<T>(path: string, run: (db: BetterSqlite3.Database) => T): T {
  const db = openTimeline(path);
  try {
    return run(db);
  } finally {
    db.close();
  }
}

function output(rows: Record<string, unknown>[], columns: string[], json: boolean): void {
  if (json) printJson(rows);
  else printTable(rows, columns);
}

function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const sqlLimit = (limit: number) => (limit > 0 ? limit : -1);

// ---- list ---------------------------------------------------------------------------------------

interface ListOptions extends CommonOptions {
  convIdPrefix: string;
  limit: number;
}

function conversationRows(db: BetterSqlite3.Database, prefix: string, limit: number): Record<string, unknown>[] {
  return db
    .prepare(
      `SELECT e.conv_id AS conv_id,
              coalesce(v.version, max(e.version)) AS version,
              count(*) AS entity_count,
              min(e.created_at_ms) AS min_created_at_ms,
              max(e.updated_at_ms) AS max_updated_at_ms
       FROM timeline_entities e LEFT JOIN timeline_versions v ON v.conv_id = e.conv_id
       WHERE e.conv_id LIKE ? ESCAPE '\\'
       GROUP BY e.conv_id ORDER BY e.conv_id LIMIT ?`,
    )
    .all(prefixPattern(prefix), sqlLimit(limit)) as Record<string, unknown>[];
}

function list(options: ListOptions): void {
  const rows = withTimeline(options.db, (db) => conversationRows(db, options.convIdPrefix, options.limit));
  output(rows, ['conv_id', 'version', 'entity_count', 'min_created_at_ms', 'max_updated_at_ms'], options.json);
}

// ---- snapshot -----------------------------------------------------------------------------------

interface SnapshotOptions extends CommonOptions {
  convId: string;
  sinceVersion: number;
  limit: number;
  includeEntities: boolean;
  rawJson: boolean;
}

function snapshot(options: SnapshotOptions): void {
  const result = withTimeline(options.db, (db) => {
    const stored = db.prepare('SELECT version FROM timeline_versions WHERE conv_id = ?').pluck().get(options.convId);
    const maxEntity = db
      .prepare('SELECT max(version) FROM timeline_entities WHERE conv_id = ?')
      .pluck()
      .get(options.convId);
    const version = Number(stored ?? maxEntity ?? 0);
    const rows = db
      .prepare(
        `SELECT * FROM timeline_entities WHERE conv_id = ? AND version > ?
         ORDER BY version ASC, entity_id ASC LIMIT ?`,
      )
      .all(options.convId, options.sinceVersion, sqlLimit(options.limit))
      .map(toEntityRow);
    const entities = rows.map((row) => parseEntity(row));
    const body = { convId: options.convId, version: String(version), serverTimeMs: String(Date.now()), entities };
    return {
      conv_id: options.convId,
      version,
      server_time_ms: Number(body.serverTimeMs),
      entity_count: entities.length,
      ...(options.includeEntities ? { entities } : {}),
      ...(options.rawJson ? { snapshot_json: JSON.stringify(body) } : {}),
    };
  });
  if (options.json) printJson(result);
  else {
    const { entities, ...summary } = result as typeof result & { entities?: unknown[] };
    printTable([summary], Object.keys(summary));
    if (entities) for (const entity of entities) process.stdout.write(`${JSON.stringify(entity)}\n`);
  }
}

function parseEntity(row: EntityRow): unknown {
  try {
    return JSON.parse(row.entity_json);
  } catch {
    return { id: row.entity_id, kind: row.kind, unparsable: true };
  }
}

// ---- entities -----------------------------------------------------------------------------------

interface EntitiesOptions extends CommonOptions {
  convId: string;
  kind?: string;
  entityId?: string;
  versionMin: number;
  versionMax: number;
  createdAfterMs: number;
  createdBeforeMs: number;
  updatedAfterMs: number;
  updatedBeforeMs: number;
  limit: number;
  order: string;
  includeJson: boolean;
  includeSummary: boolean;
}

const orderColumns: Record<string, string> = { version: 'version', created: 'created_at_ms', updated: 'updated_at_ms' };

function parseOrder(value: string): string {
  const column = orderColumns[value.replace(/^-/, '')];
  if (!column) throw new InvalidArgumentError(`expected version, created or updated (optionally with -), got ${value}`);
  return value;
}

/** One-line summary of an entity (reference §5.8): message, tool call, tool result, status, else kind. */
export function summarizeEntity(json: string): string {
  const entity = JSON.parse(json) as Record<string, Record<string, unknown> | string | undefined>;
  const member = (name: string) => {
    const value = entity[name];
    return typeof value === 'object' && value !== null ? value : undefined;
  };
  const runes = (text: string, max: number) => {
    const chars = [...text];
    return chars.length > max ? `${chars.slice(0, max).join('')}...` : text;
  };
  const message = member('message');
  if (message) return `${String(message.role ?? '') || 'message'}: ${runes(String(message.content ?? ''), 160)}`;
  const toolCall = member('toolCall');
  if (toolCall) return `tool_call ${String(toolCall.name ?? '')} (${String(toolCall.status ?? '')})`;
  const toolResult = member('toolResult');
  if (toolResult) {
    const error = toolResult.error ? ` error=${runes(String(toolResult.error), 120)}` : '';
    return `tool_result ${String(toolResult.toolCallId ?? '')}${error}`;
  }
  const status = member('status');
  if (status) return `status ${String(status.type ?? '')}: ${String(status.text ?? '')}`;
  return typeof entity.kind === 'string' && entity.kind !== '' ? entity.kind : 'entity';
}

function entities(options: EntitiesOptions): void {
  const conditions = ['conv_id = ?'];
  const values: (string | number)[] = [options.convId];
  const add = (condition: string, value: string | number | undefined, skip: boolean) => {
    if (skip || value === undefined) return;
    conditions.push(condition);
    values.push(value);
  };
  add('kind = ?', options.kind, !options.kind);
  add('entity_id = ?', options.entityId, !options.entityId);
  add('version >= ?', options.versionMin, options.versionMin === 0);
  add('version <= ?', options.versionMax, options.versionMax === 0);
  add('created_at_ms >= ?', options.createdAfterMs, options.createdAfterMs === 0);
  add('created_at_ms <= ?', options.createdBeforeMs, options.createdBeforeMs === 0);
  add('updated_at_ms >= ?', options.updatedAfterMs, options.updatedAfterMs === 0);
  add('updated_at_ms <= ?', options.updatedBeforeMs, options.updatedBeforeMs === 0);
  const descending = options.order.startsWith('-');
  const column = orderColumns[options.order.replace(/^-/, '')] ?? 'version';
  const rows = withTimeline(options.db, (db) =>
    db
      .prepare(
        `SELECT * FROM timeline_entities WHERE ${conditions.join(' AND ')}
         ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}, entity_id ASC LIMIT ?`,
      )
      .all(...values, sqlLimit(options.limit))
      .map(toEntityRow),
  );
  const out = rows.map((row) => {
    const result: Record<string, unknown> = {
      conv_id: row.conv_id,
      entity_id: row.entity_id,
      kind: row.kind,
      created_at_ms: row.created_at_ms,
      updated_at_ms: row.updated_at_ms,
      version: row.version,
    };
    if (options.includeSummary) {
      try {
        result.summary = summarizeEntity(row.entity_json);
      } catch (error) {
        result.summary_error = error instanceof Error ? error.message : String(error);
      }
    }
    if (options.includeJson) result.entity_json = row.entity_json;
    return result;
  });
  const columns = ['conv_id', 'entity_id', 'kind', 'created_at_ms', 'updated_at_ms', 'version'];
  if (options.includeSummary) columns.push('summary', 'summary_error');
  if (options.includeJson) columns.push('entity_json');
  output(out, columns, options.json);
}

// ---- stats --------------------------------------------------------------------------------------

function stats(options: ListOptions): void {
  const rows = withTimeline(options.db, (db) => {
    const conversations = conversationRows(db, options.convIdPrefix, options.limit);
    const kinds = db.prepare('SELECT kind, count(*) AS n FROM timeline_entities WHERE conv_id = ? GROUP BY kind');
    return conversations.map((row) => {
      const kind_counts: Record<string, number> = {};
      for (const kind of kinds.all(row.conv_id) as { kind: string; n: number }[]) kind_counts[kind.kind] = kind.n;
      return { ...row, kind_counts };
    });
  });
  output(
    rows,
    ['conv_id', 'version', 'entity_count', 'min_created_at_ms', 'max_updated_at_ms', 'kind_counts'],
    options.json,
  );
}

// ---- verify -------------------------------------------------------------------------------------

interface VerifyOptions extends ListOptions {
  checkJson: boolean;
  emitOk: boolean;
}

interface Issue {
  conv_id: string;
  entity_id?: string;
  issue: string;
  details: Record<string, unknown>;
}

function verify(options: VerifyOptions): void {
  const issues = withTimeline(options.db, (db) => {
    const found: Issue[] = [];
    const full = () => options.limit > 0 && found.length >= options.limit;
    const push = (issue: Issue) => {
      if (!full()) found.push(issue);
    };
    const pattern = prefixPattern(options.convIdPrefix);
    const conversations = db
      .prepare(
        `SELECT e.conv_id AS conv_id, count(*) AS entity_count, max(e.version) AS max_version, v.version AS stored
         FROM timeline_entities e LEFT JOIN timeline_versions v ON v.conv_id = e.conv_id
         WHERE e.conv_id LIKE ? ESCAPE '\\' GROUP BY e.conv_id ORDER BY e.conv_id`,
      )
      .all(pattern) as { conv_id: string; entity_count: number; max_version: number; stored: number | null }[];
    for (const row of conversations) {
      if (row.stored === null)
        push({ conv_id: row.conv_id, issue: 'missing_version_row', details: { entity_count: row.entity_count } });
      else if (row.max_version !== row.stored)
        push({
          conv_id: row.conv_id,
          issue: 'version_mismatch',
          details: { max_entity_version: row.max_version, current_version: row.stored },
        });
    }
    const entityRows = db
      .prepare(`SELECT * FROM timeline_entities WHERE conv_id LIKE ? ESCAPE '\\' ORDER BY conv_id, entity_id`)
      .iterate(pattern);
    for (const value of entityRows) {
      if (full()) break;
      const row = toEntityRow(value);
      if (row.updated_at_ms < row.created_at_ms)
        push({
          conv_id: row.conv_id,
          entity_id: row.entity_id,
          issue: 'updated_before_created',
          details: { created_at_ms: row.created_at_ms, updated_at_ms: row.updated_at_ms },
        });
      if (row.kind.trim() === '')
        push({ conv_id: row.conv_id, entity_id: row.entity_id, issue: 'empty_kind', details: {} });
      if (options.checkJson) {
        try {
          JSON.parse(row.entity_json);
        } catch (error) {
          push({
            conv_id: row.conv_id,
            entity_id: row.entity_id,
            issue: 'json_parse_error',
            details: { error: error instanceof Error ? error.message : String(error) },
          });
        }
      }
    }
    return found;
  });
  if (issues.length === 0 && options.emitOk) {
    if (options.json) printJson([{ status: 'ok', issues: 0 }]);
    else process.stdout.write('status ok, 0 issues\n');
    return;
  }
  output(issues as unknown as Record<string, unknown>[], ['conv_id', 'entity_id', 'issue', 'details'], options.json);
}

// ---- registration -------------------------------------------------------------------------------

function common(command: Command): Command {
  return command
    .option('--db <file>', 'SQLite database file (Cricket or reference timeline layout)', defaultDatabasePath())
    .option('--json', 'print JSON', false)
    .addHelpText('after', exitCodesHelp);
}

/** Registers `cricket timeline list|snapshot|entities|stats|verify` (reference §5.8; read-only, SQLite). */
export function registerTimelineCommand(program: Command): void {
  const timeline = usageExitCodes(
    program.command('timeline').description('Inspect the timeline projection stored in a database file (read-only).'),
  );
  common(timeline.command('list').description('One row per conversation that has entities, by conv_id.'))
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'at most n conversations (0 = all)', parseCount, 200)
    .action(action('timeline list', list));
  common(timeline.command('snapshot').description('The /timeline snapshot of one conversation, from SQLite.'))
    .requiredOption('--conv-id <id>', 'conversation id')
    .option('--since-version <n>', 'only entities with a version above n', parseCount, 0)
    .option('--limit <n>', 'at most n entities (0 = all)', parseCount, 5000)
    .option('--include-entities', 'include the entities', false)
    .option('--raw-json', 'include the snapshot JSON as one string', false)
    .action(action('timeline snapshot', snapshot));
  common(timeline.command('entities').description('Entities of one conversation, filtered and ordered.'))
    .requiredOption('--conv-id <id>', 'conversation id')
    .option('--kind <kind>', 'only this kind')
    .option('--entity-id <id>', 'only this entity')
    .option('--version-min <n>', 'version ≥ n (0 = ignore)', parseCount, 0)
    .option('--version-max <n>', 'version ≤ n (0 = ignore)', parseCount, 0)
    .option('--created-after-ms <ms>', 'created_at_ms ≥ ms (0 = ignore)', parseCount, 0)
    .option('--created-before-ms <ms>', 'created_at_ms ≤ ms (0 = ignore)', parseCount, 0)
    .option('--updated-after-ms <ms>', 'updated_at_ms ≥ ms (0 = ignore)', parseCount, 0)
    .option('--updated-before-ms <ms>', 'updated_at_ms ≤ ms (0 = ignore)', parseCount, 0)
    .option('--limit <n>', 'at most n entities (0 = all)', parseCount, 5000)
    .option('--order <order>', 'version | created | updated, "-" prefix for descending', parseOrder, 'version')
    .option('--include-json', 'include entity_json', false)
    .option('--no-include-summary', 'omit the one-line summary')
    .action(action('timeline entities', entities));
  common(timeline.command('stats').description('Per conversation: counts, times and entity kinds.'))
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'at most n conversations (0 = all)', parseCount, 200)
    .action(action('timeline stats', stats));
  common(
    timeline
      .command('verify')
      .description(
        'Consistency checks: missing_version_row, version_mismatch, updated_before_created, empty_kind, ' +
          'json_parse_error (with --check-json). Exit 0 even with issues; they are the output.',
      ),
  )
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'stop after n issues (0 = unlimited)', parseCount, 200)
    .option('--check-json', 'also parse every entity_json', false)
    .option('--emit-ok', 'print {status: ok, issues: 0} when nothing is wrong', false)
    .action(action('timeline verify', verify));
}
