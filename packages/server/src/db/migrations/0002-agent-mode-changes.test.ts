import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAgentModeStore } from '../../middlewares/agent-mode/sqlite-agent-mode-store.js';
import { columnNames, indexExists } from '../sqlite-introspection.js';
import { legacyAgentModeDdl } from '../testing/legacy-fixtures.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../testing/temp-database.js';

// Legacy-migration tests: they build agent-mode tables of the reference's pre-session schema.
describe('migration 0002 on a reference agent-mode database', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile('cricket-agentmode-legacy-');
  });
  afterEach(() => file.cleanup());

  it("migrates a reference database's run_id table in the right order and keeps every row", () => {
    const raw = new Database(file.path);
    raw.exec(`${legacyAgentModeDdl}
      INSERT INTO agent_mode_changes (run_id, turn_id, from_mode, to_mode, analysis, at)
        VALUES ('run-1', 't1', NULL, 'chat', NULL, '2026-02-01T10:00:00.000000001Z'),
               ('run-1', NULL, 'chat', 'clock', 'needs time', '2026-02-01T10:00:01Z');
    `);
    raw.close();
    const db = file.open();
    expect(db.migration.applied).toContain('0002-agent-mode-changes');
    expect(columnNames(db.raw, 'agent_mode_changes').has('run_id')).toBe(false);
    expect(indexExists(db.raw, 'idx_agent_mode_changes_run_id_at')).toBe(false);
    expect(indexExists(db.raw, 'idx_agent_mode_changes_session_id_at')).toBe(true);
    const store = new SqliteAgentModeStore(db);
    expect(store.currentMode('run-1')).toBe('clock');
    expect(store.changes('run-1').map((row) => [row.fromMode, row.toMode, row.turnId])).toEqual([
      [null, 'chat', 't1'],
      ['chat', 'clock', ''],
    ]);
  });

  it('refuses a table with both run_id and session_id, leaving it untouched', () => {
    const raw = new Database(file.path);
    raw.exec(`CREATE TABLE agent_mode_changes (id INTEGER PRIMARY KEY, run_id TEXT, session_id TEXT, turn_id TEXT,
      from_mode TEXT, to_mode TEXT, analysis TEXT, at TEXT);
      INSERT INTO agent_mode_changes (run_id, session_id, to_mode, at) VALUES ('r', 's', 'm', 'x');`);
    raw.close();
    expect(() => file.open()).toThrow(
      expect.objectContaining({
        code: 'store-legacy-schema',
        message: expect.stringContaining('both run_id and session_id'),
      }),
    );
    const check = new Database(file.path);
    expect(check.prepare('SELECT run_id, session_id FROM agent_mode_changes').all()).toEqual([
      { run_id: 'r', session_id: 's' },
    ]);
    // One transaction: migration 0001, which ran before the refusal, is rolled back too.
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'turns'").get()).toEqual({ n: 0 });
    check.close();
  });
});
