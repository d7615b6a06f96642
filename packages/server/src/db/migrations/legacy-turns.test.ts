import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { turnPayloadAsYaml } from '../../conversations/turn-payload.js';
import { SqliteTurnStore } from '../../stores/sqlite/sqlite-turn-store.js';
import { getJson } from '../../testing/integration-helpers.js';
import { startTestServer } from '../../testing/start-test-server.js';
import { columnNames, indexExists, readUserVersion } from '../sqlite-introspection.js';
import { type LegacyTurnRow, legacyTurnsDdl } from '../testing/legacy-fixtures.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../testing/temp-database.js';
import { createLegacyTurnsMigration, withLegacyRepair } from './legacy-turns.js';

const phases = ['pre_inference', 'post_inference', 'post_tools', 'final'];

function yamlPayload(turn: string, text: string): string {
  return `id: ${turn}\nblocks:\n  - kind: user\n    role: user\n    payload:\n      text: ${JSON.stringify(text)}\n`;
}

function jsonPayload(turn: string, text: string): string {
  return JSON.stringify({ id: turn, blocks: [{ kind: 'llm_text', role: 'assistant', payload: { text } }] });
}

/** Rows over 2 conversations × 3 sessions × 2 turns × 4 phases, YAML and JSON payloads alternating. */
function legacyRows(count = 48): LegacyTurnRow[] {
  const rows: LegacyTurnRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const conv = `conv-${index % 2}`;
    const session = `${conv}-session-${Math.floor(index / 2) % 3}`;
    const turn = `turn-${Math.floor(index / 24)}-${index % 5}`;
    const phase = phases[index % 4] ?? 'final';
    const text = `row ${index}: ${'x'.repeat(index % 7)}`;
    rows.push({
      conv_id: conv,
      run_id: session,
      turn_id: turn,
      phase,
      created_at_ms: 1_700_000_000_000 + index,
      payload: index % 3 === 0 ? jsonPayload(turn, text) : yamlPayload(turn, text),
    });
  }
  return rows;
}

function writeLegacyDatabase(path: string, rows: readonly LegacyTurnRow[]): void {
  const raw = new Database(path);
  raw.exec(legacyTurnsDdl);
  const insert = raw.prepare(
    'INSERT INTO turns (conv_id, run_id, turn_id, phase, created_at_ms, payload) VALUES (@conv_id, @run_id, @turn_id, @phase, @created_at_ms, @payload)',
  );
  raw.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  raw.close();
}

function sortedRows(rows: readonly { created_at_ms: number }[]): unknown[] {
  return [...rows].sort((a, b) => a.created_at_ms - b.created_at_ms);
}

function asCurrent(row: LegacyTurnRow): Record<string, unknown> {
  const { run_id, ...rest } = row;
  return { ...rest, session_id: run_id };
}

function schemaDump(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
}

describe('legacy turns migration', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile('cricket-turns-legacy-');
  });
  afterEach(() => file.cleanup());

  it('renames the legacy column, swaps the index and keeps every row readable through the store', () => {
    const rows = legacyRows();
    writeLegacyDatabase(file.path, rows);
    const db = file.open();
    expect(db.migration.legacyApplied).toEqual(['legacy-turns-session-id']);
    expect(db.migration.applied).toEqual([
      '0001-initial-schema',
      '0002-agent-mode-changes',
      '0003-timeline-json-verified',
    ]);
    expect([...columnNames(db.raw, 'turns')]).toEqual([
      'conv_id',
      'session_id',
      'turn_id',
      'phase',
      'created_at_ms',
      'payload',
    ]);
    expect(indexExists(db.raw, 'turns_by_run')).toBe(false);
    for (const index of ['turns_by_conv', 'turns_by_session', 'turns_by_phase'])
      expect(indexExists(db.raw, index)).toBe(true);
    const pk = db.raw.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all('turns');
    expect(pk).toEqual(['conv_id', 'session_id', 'turn_id', 'phase', 'created_at_ms']);
    const stored = db.raw.prepare('SELECT * FROM turns').all();
    expect(sortedRows(stored as LegacyTurnRow[])).toEqual(rows.map(asCurrent));

    const store = new SqliteTurnStore(db);
    const sessions = new Set(rows.map((row) => row.run_id));
    let served = 0;
    for (const session of sessions) {
      const listed = store.list({ sessionId: session, limit: 1000 });
      expect(sortedRows(listed)).toEqual(rows.filter((row) => row.run_id === session).map(asCurrent));
      served += listed.length;
    }
    expect(served).toBe(rows.length);
    expect(store.list({ convId: 'conv-0', phase: 'final', limit: 1000 })).toHaveLength(
      rows.filter((row) => row.conv_id === 'conv-0' && row.phase === 'final').length,
    );
    // New snapshots go in normally after the migration.
    store.save({
      conv_id: 'conv-0',
      session_id: 'new',
      turn_id: 't',
      phase: 'final',
      created_at_ms: 5,
      payload: '{}',
    });
    expect(db.integrityCheck()).toBe('ok');
  });

  it('is a no-op on the second open', () => {
    writeLegacyDatabase(file.path, legacyRows(10));
    const first = file.open();
    const before = schemaDump(first.raw);
    first.close();
    const second = file.open();
    expect(second.migration).toEqual({ fromVersion: 3, toVersion: 3, legacyApplied: [], applied: [] });
    expect(schemaDump(second.raw)).toEqual(before);
    expect(second.raw.prepare('SELECT count(*) FROM turns').pluck().get()).toBe(10);
  });

  it('serves every migrated row through GET /turns of a real server', async () => {
    const rows = legacyRows();
    writeLegacyDatabase(file.path, rows);
    const server = await startTestServer({ databasePath: file.path });
    try {
      for (const session of new Set(rows.map((row) => row.run_id))) {
        const response = await getJson(server.url, `/turns?session_id=${encodeURIComponent(session)}&limit=1000`);
        expect(response.status).toBe(200);
        const expected = rows
          .filter((row) => row.run_id === session)
          .map((row) => ({ ...asCurrent(row), payload: turnPayloadAsYaml(row.payload) }));
        expect(sortedRows(response.body.items)).toEqual(expected);
        for (const item of response.body.items as { payload: string }[])
          expect(item.payload.trimStart().startsWith('{')).toBe(false);
      }
      const byConv = await getJson(server.url, '/turns?conv_id=conv-1&phase=post_tools&limit=1000');
      expect(byConv.body.items).toHaveLength(
        rows.filter((r) => r.conv_id === 'conv-1' && r.phase === 'post_tools').length,
      );
    } finally {
      await server.close();
    }
    // The server's own restart over the same file migrates nothing more.
    expect(file.open().migration.legacyApplied).toEqual([]);
  });

  it('refuses a table with both columns, untouched, unless a repair says which wins', () => {
    writeBothColumnsDatabase(file.path);
    const raw = new Database(file.path);
    const before = schemaDump(raw);
    raw.close();
    expect(() => file.open()).toThrow(
      expect.objectContaining({
        code: 'store-legacy-schema',
        message: expect.stringMatching(/both run_id and session_id.*--repair keep-session-id\|keep-legacy/),
      }),
    );
    const check = new Database(file.path);
    expect(schemaDump(check)).toEqual(before);
    expect(readUserVersion(check)).toBe(0);
    check.close();

    for (const [repair, expected] of [
      ['keep-session-id', ['new-1', 'old-2', 'old-3', 'new-4']],
      ['keep-legacy', ['old-1', 'old-2', 'old-3', 'new-4']],
    ] as const) {
      const repaired = createTempDatabaseFile('cricket-turns-repair-');
      try {
        writeBothColumnsDatabase(repaired.path);
        const db = repaired.open({ legacyMigrations: withLegacyRepair([createLegacyTurnsMigration()], repair) });
        expect(db.migration.legacyApplied).toEqual(['legacy-turns-session-id']);
        expect(db.raw.prepare('SELECT session_id FROM turns ORDER BY created_at_ms').pluck().all()).toEqual([
          ...expected,
        ]);
        expect([...columnNames(db.raw, 'turns')]).toEqual([
          'conv_id',
          'session_id',
          'turn_id',
          'phase',
          'created_at_ms',
          'payload',
        ]);
        expect(indexExists(db.raw, 'turns_by_run')).toBe(false);
        expect(indexExists(db.raw, 'turns_by_session')).toBe(true);
        expect(db.integrityCheck()).toBe('ok');
        db.close();
        expect(repaired.open().migration.legacyApplied).toEqual([]);
      } finally {
        repaired.cleanup();
      }
    }
  });

  it('refuses a repair that would merge two rows into one key, changing nothing', () => {
    const raw = new Database(file.path);
    raw.exec(`CREATE TABLE turns (conv_id TEXT NOT NULL, run_id TEXT, session_id TEXT, turn_id TEXT NOT NULL,
      phase TEXT NOT NULL, created_at_ms INTEGER NOT NULL, payload TEXT NOT NULL,
      PRIMARY KEY (conv_id, run_id, turn_id, phase, created_at_ms));
      INSERT INTO turns VALUES ('c', 'a', 's', 't', 'final', 1, 'p1');
      INSERT INTO turns VALUES ('c', 'b', 's', 't', 'final', 1, 'p2');`);
    raw.close();
    const legacyMigrations = withLegacyRepair([createLegacyTurnsMigration()], 'keep-session-id');
    expect(() => file.open({ legacyMigrations })).toThrow(
      expect.objectContaining({ code: 'store-legacy-schema', message: expect.stringContaining('merge two rows') }),
    );
    const check = new Database(file.path);
    expect(check.prepare('SELECT count(*) FROM turns').pluck().get()).toBe(2);
    expect(columnNames(check, 'turns').has('run_id')).toBe(true);
    check.close();
  });

  it('refuses a legacy table with unexpected extra columns and changes nothing', () => {
    const raw = new Database(file.path);
    raw.exec(legacyTurnsDdl);
    raw.exec(
      "ALTER TABLE turns ADD COLUMN note TEXT; INSERT INTO turns VALUES ('c', 'r', 't', 'final', 1, 'p', 'keep me')",
    );
    const before = schemaDump(raw);
    raw.close();
    expect(() => file.open()).toThrow(
      expect.objectContaining({
        code: 'store-legacy-schema',
        message: expect.stringContaining('unexpected column(s) note'),
      }),
    );
    const check = new Database(file.path);
    expect(schemaDump(check)).toEqual(before);
    expect(check.prepare('SELECT note FROM turns').pluck().all()).toEqual(['keep me']);
    check.close();
  });

  it('rolls back completely when a step fails midway', () => {
    const rows = legacyRows(20);
    writeLegacyDatabase(file.path, rows);
    for (const failAt of ['renamed', 'old-index-dropped', 'new-index-created']) {
      const failing = createLegacyTurnsMigration({
        onStep: (step) => {
          if (step === failAt) throw new Error(`injected failure at ${step}`);
        },
      });
      expect(() => file.open({ legacyMigrations: [failing] }), failAt).toThrow(
        expect.objectContaining({ code: 'store-migration-failed', message: expect.stringContaining(failAt) }),
      );
      const check = new Database(file.path);
      expect(describeState(check), failAt).toEqual({ layout: 'legacy', rows: rows.length, integrity: 'ok' });
      check.close();
    }
  });
});

/** A half-migrated table with both columns; session ids differ, are NULL or empty in some rows. */
function writeBothColumnsDatabase(path: string): void {
  const raw = new Database(path);
  raw.exec(`CREATE TABLE turns (conv_id TEXT NOT NULL, run_id TEXT, session_id TEXT, turn_id TEXT NOT NULL,
    phase TEXT NOT NULL, created_at_ms INTEGER NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (conv_id, run_id, turn_id, phase, created_at_ms));
    CREATE INDEX turns_by_run ON turns(run_id, created_at_ms DESC);
    INSERT INTO turns VALUES ('c', 'old-1', 'new-1', 't1', 'final', 1, 'a: 1');
    INSERT INTO turns VALUES ('c', 'old-2', NULL, 't2', 'final', 2, 'a: 2');
    INSERT INTO turns VALUES ('c', 'old-3', '', 't3', 'final', 3, 'a: 3');
    INSERT INTO turns VALUES ('c', '', 'new-4', 't4', 'final', 4, 'a: 4');`);
  raw.close();
}

interface FileState {
  layout: 'legacy' | 'current' | 'mixed';
  rows: number;
  integrity: string;
}

function describeState(db: Database.Database): FileState {
  const columns = columnNames(db, 'turns');
  const legacy = columns.has('run_id') && indexExists(db, 'turns_by_run') && !columns.has('session_id');
  const current =
    columns.has('session_id') &&
    !columns.has('run_id') &&
    !indexExists(db, 'turns_by_run') &&
    indexExists(db, 'turns_by_session');
  const layout = legacy && !indexExists(db, 'turns_by_session') ? 'legacy' : current ? 'current' : 'mixed';
  return {
    layout,
    rows: Number(db.prepare('SELECT count(*) FROM turns').pluck().get()),
    integrity: String(db.pragma('integrity_check', { simple: true })),
  };
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const openDatabaseModule = pathToFileURL(join(import.meta.dirname, '..', 'open-database.ts')).href;
const legacyModule = pathToFileURL(join(import.meta.dirname, 'legacy-turns.ts')).href;

/**
 * Runs a child process that opens `path` (migrating it) and SIGKILLs itself at `killAt` (a step of the
 * legacy migration, `after-open`, or never), or is killed by the parent after `killAfterMs`.
 */
function migrateInChild(path: string, options: { killAt?: string; killAfterMs?: number }): Promise<string> {
  const code = `
    const { openDatabase } = await import(${JSON.stringify(openDatabaseModule)});
    const { createLegacyTurnsMigration } = await import(${JSON.stringify(legacyModule)});
    const killAt = ${JSON.stringify(options.killAt ?? '')};
    const die = (step) => { if (step === killAt) process.kill(process.pid, 'SIGKILL'); };
    process.stdout.write('ready\\n');
    const db = openDatabase(${JSON.stringify(path)}, { legacyMigrations: [createLegacyTurnsMigration({ onStep: die })] });
    die('after-open');
    db.close();
    process.stdout.write('done\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (options.killAfterMs !== undefined && out.startsWith('ready') && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      if (exitCode !== 0 && signal !== 'SIGKILL') reject(new Error(`child failed (${exitCode}): ${err}`));
      else resolve(signal === 'SIGKILL' ? 'killed' : (out.trim().split('\n').at(-1) ?? ''));
    });
  });
}

describe('legacy turns migration killed with SIGKILL', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile('cricket-turns-kill-');
  });
  afterEach(() => file.cleanup());

  const rows = legacyRows(8000);
  const cases: [string, FileState['layout']][] = [
    ['inspected', 'legacy'],
    ['renamed', 'legacy'],
    ['old-index-dropped', 'legacy'],
    ['new-index-created', 'legacy'],
    ['after-open', 'current'],
  ];

  it.each(cases)(
    'killed at %s leaves the %s schema, every row and a sound file',
    async (killAt, layout) => {
      writeLegacyDatabase(file.path, rows);
      expect(await migrateInChild(file.path, { killAt })).toBe('killed');
      const check = new Database(file.path);
      expect(describeState(check)).toEqual({ layout, rows: rows.length, integrity: 'ok' });
      check.close();
      const db = file.open();
      expect(db.raw.prepare('SELECT count(*) FROM turns').pluck().get()).toBe(rows.length);
      expect(new SqliteTurnStore(db).list({ sessionId: 'conv-1-session-2', limit: 100_000 })).toHaveLength(
        rows.filter((row) => row.run_id === 'conv-1-session-2').length,
      );
      expect(db.integrityCheck()).toBe('ok');
    },
    30_000,
  );

  it('killed at seeded moments leaves either the old or the new schema, never a mix', async () => {
    const seen = new Set<string>();
    for (const delay of [0, 3, 15, 40]) {
      writeLegacyDatabase(file.path, rows);
      const outcome = await migrateInChild(file.path, { killAfterMs: delay });
      const check = new Database(file.path);
      const state = describeState(check);
      check.close();
      expect(state.layout, `${delay} ms (${outcome})`).not.toBe('mixed');
      expect(state.rows).toBe(rows.length);
      expect(state.integrity).toBe('ok');
      seen.add(state.layout);
      file.cleanup();
      file = createTempDatabaseFile('cricket-turns-kill-');
    }
    expect(seen.size).toBeGreaterThan(0);
  }, 60_000);
});
