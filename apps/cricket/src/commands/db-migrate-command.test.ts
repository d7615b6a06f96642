import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  latestSchemaVersion,
  legacyAgentModeDdl,
  legacyTurnsDdl,
} from '../../../../packages/server/src/db/testing/legacy-fixtures.js';

const binary = join(import.meta.dirname, '..', '..', 'bin', 'cricket.mjs');

function cricket(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binary, ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

// The reference's turn store and agent-mode log before the session_id hard cut, with two mode changes.
const legacySchema = `${legacyTurnsDdl}${legacyAgentModeDdl}
INSERT INTO agent_mode_changes (run_id, turn_id, from_mode, to_mode, analysis, at)
  VALUES ('session-0', 't1', NULL, 'chat', NULL, '2026-02-01T10:00:00Z'),
         ('session-0', 't2', 'chat', 'clock', 'needs time', '2026-02-01T10:00:01Z');
`;

const phases = ['pre_inference', 'post_inference', 'final'];

async function legacyDatabase(rows = 30): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cricket-cli-migrate-'));
  const path = join(dir, 'legacy.db');
  const db = new Database(path);
  db.exec(legacySchema);
  const insert = db.prepare('INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)');
  for (let index = 0; index < rows; index += 1) {
    const turn = `turn-${index % 4}`;
    insert.run(
      `conv-${index % 2}`,
      `session-${index % 3}`,
      turn,
      phases[index % 3],
      1_700_000_000_000 + index,
      `id: ${turn}\nblocks:\n  - kind: user\n    role: user\n    payload:\n      text: row ${index}\n`,
    );
  }
  db.close();
  return path;
}

describe.concurrent('cricket db migrate / check', () => {
  it('checks, dry-runs, migrates a legacy turns database and serves every row through cricket turns', async () => {
    const path = await legacyDatabase(30);

    const before = await cricket(['db', 'check', path, '--json']);
    expect(before.code).toBe(0);
    const checked = JSON.parse(before.stdout);
    expect(checked).toMatchObject({ schema_version: 0, status: 'needs-migration', integrity: 'ok' });
    expect(checked.legacy_columns).toEqual([
      'turns has the legacy column run_id',
      'turns has the legacy index turns_by_run',
      'agent_mode_changes has the legacy column run_id',
      'agent_mode_changes has the legacy index idx_agent_mode_changes_run_id_at',
    ]);
    expect(checked.legacy_migrations).toEqual(['legacy-turns-session-id']);

    const dry = await cricket(['db', 'migrate', path, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dry_run: true,
      schema_version: 0,
      legacy: [
        { migration: 'legacy-turns-session-id', needed: true },
        { migration: 'legacy-agent-mode-repair', needed: false },
      ],
      pending: ['0001-initial-schema', '0002-agent-mode-changes', '0003-timeline-json-verified'],
    });
    const untouched = new Database(path, { readonly: true });
    expect(
      untouched.prepare("SELECT count(*) FROM pragma_table_info('turns') WHERE name = 'run_id'").pluck().get(),
    ).toBe(1);
    untouched.close();

    const migrated = await cricket(['db', 'migrate', path]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('applied legacy migration legacy-turns-session-id');
    expect(migrated.stdout).toContain('applied migration 0001-initial-schema');
    expect(migrated.stdout).toContain(`schema version 0 → ${latestSchemaVersion}`);
    expect(migrated.stdout).toContain('integrity check: ok');

    const again = await cricket(['db', 'migrate', path, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      legacy_applied: [],
      applied: [],
      from_version: latestSchemaVersion,
      to_version: latestSchemaVersion,
    });

    const after = await cricket(['db', 'check', path]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('status: up-to-date');
    expect(after.stdout).toContain('legacy layout: none');

    let total = 0;
    for (const session of ['session-0', 'session-1', 'session-2']) {
      const listed = await cricket(['turns', 'list', '--db', path, '--session', session, '--limit', '0', '--json']);
      expect(listed.code).toBe(0);
      const items = JSON.parse(listed.stdout) as { session_id: string }[];
      expect(items).toHaveLength(10);
      expect(new Set(items.map((item) => item.session_id))).toEqual(new Set([session]));
      total += items.length;
    }
    expect(total).toBe(30);
    const migratedDb = new Database(path, { readonly: true });
    expect(migratedDb.prepare('SELECT session_id, to_mode FROM agent_mode_changes ORDER BY id').all()).toEqual([
      { session_id: 'session-0', to_mode: 'chat' },
      { session_id: 'session-0', to_mode: 'clock' },
    ]);
    expect(
      migratedDb
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_agent_mode_changes%'")
        .pluck()
        .all(),
    ).toEqual(['idx_agent_mode_changes_session_id_at']);
    migratedDb.close();
    const shown = await cricket(['turns', 'show', 'turn-1', '--db', path, '--phase', 'post_inference']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^id: turn-1\n/);
  }, 240_000);

  it('refuses a table with both session columns until --repair says which wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-cli-migrate-'));
    const path = join(dir, 'both.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE turns (conv_id TEXT NOT NULL, run_id TEXT, session_id TEXT, turn_id TEXT NOT NULL,
      phase TEXT NOT NULL, created_at_ms INTEGER NOT NULL, payload TEXT NOT NULL,
      PRIMARY KEY (conv_id, run_id, turn_id, phase, created_at_ms));
      INSERT INTO turns VALUES ('c', 'old', 'new', 't', 'final', 1, 'id: t');
      CREATE TABLE agent_mode_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, session_id TEXT,
        turn_id TEXT, from_mode TEXT, to_mode TEXT, analysis TEXT, at TEXT);
      INSERT INTO agent_mode_changes (run_id, session_id, turn_id, to_mode, at) VALUES ('old', 'new', 't', 'chat', 'x');`);
    db.close();
    const check = await cricket(['db', 'check', path, '--json']);
    expect(JSON.parse(check.stdout).legacy_columns[0]).toContain('both run_id and session_id');
    const refused = await cricket(['db', 'migrate', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('both run_id and session_id');
    expect(refused.stderr).toContain('--repair keep-session-id|keep-legacy');
    const repaired = await cricket(['db', 'migrate', path, '--repair', 'keep-legacy', '--json']);
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.stdout).legacy_applied).toEqual(['legacy-turns-session-id', 'legacy-agent-mode-repair']);
    const agentModes = new Database(path, { readonly: true });
    expect(agentModes.prepare('SELECT * FROM agent_mode_changes').all()).toEqual([
      { id: 1, session_id: 'old', turn_id: 't', from_mode: null, to_mode: 'chat', analysis: null, at: 'x' },
    ]);
    agentModes.close();
    const listed = await cricket(['turns', 'list', '--db', path, '--conv', 'c', '--json']);
    expect(JSON.parse(listed.stdout).map((item: { session_id: string }) => item.session_id)).toEqual(['old']);
  }, 240_000);

  it('reports missing files, non-databases and usage errors with exit codes 1 and 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-cli-migrate-'));
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not a database at all, just some text that is long enough to have a header\n');
    const missing = await cricket(['db', 'migrate', join(dir, 'missing.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('database file not found');
    const notDb = await cricket(['db', 'check', text]);
    expect(notDb.code).toBe(1);
    expect(notDb.stderr).toContain('not a readable SQLite database');
    const notDbMigrate = await cricket(['db', 'migrate', text]);
    expect(notDbMigrate.code).toBe(1);
    expect(notDbMigrate.stderr).toContain('not a readable SQLite database');
    expect((await cricket(['db', 'migrate'])).code).toBe(2);
    const badRepair = await cricket(['db', 'migrate', text, '--repair', 'both']);
    expect(badRepair.code).toBe(2);
    expect(badRepair.stderr).toContain('Allowed choices are keep-session-id, keep-legacy');
    const help = await cricket(['db', 'migrate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage error.');
  }, 240_000);
});
