import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAgentModeStore } from '../../middlewares/agent-mode/sqlite-agent-mode-store.js';
import { cricketLegacyMigrations } from '../schema-migrations.js';
import { columnNames, indexExists } from '../sqlite-introspection.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../testing/temp-database.js';
import { withLegacyRepair } from './legacy-turns.js';

// A half-migrated reference agent-mode table: both run_id and session_id, the legacy index kept.
function writeBothColumns(path: string): void {
  const raw = new Database(path);
  raw.exec(`CREATE TABLE agent_mode_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, session_id TEXT,
      turn_id TEXT, from_mode TEXT, to_mode TEXT, analysis TEXT, at TEXT);
    CREATE INDEX idx_agent_mode_changes_run_id_at ON agent_mode_changes(run_id, at);
    INSERT INTO agent_mode_changes (run_id, session_id, turn_id, from_mode, to_mode, at) VALUES
      ('old', 'new', 't1', NULL, 'chat', '2026-01-01T00:00:00Z'),
      ('old', NULL, 't2', 'chat', 'clock', '2026-01-01T00:00:01Z');`);
  raw.close();
}

describe('legacy agent-mode repair', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile('cricket-agentmode-repair-');
  });
  afterEach(() => file.cleanup());

  it('is inert without a repair choice: migration 0002 refuses the table', () => {
    writeBothColumns(file.path);
    expect(() => file.open()).toThrow(expect.objectContaining({ code: 'store-legacy-schema' }));
    const check = new Database(file.path);
    expect(columnNames(check, 'agent_mode_changes').has('run_id')).toBe(true);
    check.close();
  });

  for (const [repair, sessions] of [
    ['keep-session-id', ['new', 'old']],
    ['keep-legacy', ['old', 'old']],
  ] as const) {
    it(`repairs with ${repair}, keeping every row, and is a no-op afterwards`, () => {
      writeBothColumns(file.path);
      const db = file.open({ legacyMigrations: withLegacyRepair(cricketLegacyMigrations, repair) });
      expect(db.migration.legacyApplied).toEqual(['legacy-agent-mode-repair']);
      expect(db.raw.prepare('SELECT session_id FROM agent_mode_changes ORDER BY id').pluck().all()).toEqual([
        ...sessions,
      ]);
      expect(columnNames(db.raw, 'agent_mode_changes').has('run_id')).toBe(false);
      expect(indexExists(db.raw, 'idx_agent_mode_changes_run_id_at')).toBe(false);
      expect(indexExists(db.raw, 'idx_agent_mode_changes_session_id_at')).toBe(true);
      expect(new SqliteAgentModeStore(db).currentMode(sessions[1])).toBe('clock');
      expect(db.integrityCheck()).toBe('ok');
      db.close();
      expect(file.open().migration.legacyApplied).toEqual([]);
    });
  }
});
