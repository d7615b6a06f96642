import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CricketDatabase } from '../../db/cricket-database.js';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import { type AgentModeStore, InMemoryAgentModeStore, newAgentModeChange } from './agent-mode-store.js';
import { SqliteAgentModeStore } from './sqlite-agent-mode-store.js';

const change = (sessionId: string, toMode: string, at: string, fromMode: string | null = null) => ({
  sessionId,
  turnId: `turn-${toMode}`,
  fromMode,
  toMode,
  analysis: `why ${toMode}`,
  at,
});

function contract(name: string, make: () => AgentModeStore) {
  describe(`${name} (AgentModeStore contract)`, () => {
    it('has no mode for an unknown session', () => {
      expect(make().currentMode('nobody')).toBeUndefined();
      expect(make().changes('nobody')).toEqual([]);
    });

    it('answers the latest change by time, then by insertion order, per session', () => {
      const store = make();
      store.recordChange(change('s1', 'late', '2026-01-02T00:00:00.000Z'));
      store.recordChange(change('s1', 'early', '2026-01-01T00:00:00.000Z'));
      store.recordChange(change('s2', 'other', '2026-01-03T00:00:00.000Z'));
      expect(store.currentMode('s1')).toBe('late');
      store.recordChange(change('s1', 'same-time-later-row', '2026-01-02T00:00:00.000Z', 'late'));
      expect(store.currentMode('s1')).toBe('same-time-later-row');
      expect(store.currentMode('s2')).toBe('other');
      expect(store.changes('s1').map((row) => row.toMode)).toEqual(['early', 'late', 'same-time-later-row']);
      expect(store.changes('s1')[2]).toMatchObject({
        sessionId: 's1',
        turnId: 'turn-same-time-later-row',
        fromMode: 'late',
        analysis: 'why same-time-later-row',
      });
    });
  });
}

contract('InMemoryAgentModeStore', () => new InMemoryAgentModeStore());

describe('SqliteAgentModeStore', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile('cricket-agentmode-');
  });
  afterEach(() => file.cleanup());

  contract('SqliteAgentModeStore', () => {
    const db = file.open();
    db.raw.exec('DELETE FROM agent_mode_changes');
    return new SqliteAgentModeStore(db);
  });

  it('keeps changes across a reopen of the file, keyed by session_id', () => {
    const first = new SqliteAgentModeStore(file.open());
    first.recordChange(
      newAgentModeChange({ sessionId: 's1', turnId: 't1', fromMode: 'chat', toMode: 'math', analysis: null }, () => 0),
    );
    const reopened = file.open();
    expect(new SqliteAgentModeStore(reopened).currentMode('s1')).toBe('math');
    expect(reopened.raw.prepare('SELECT session_id, to_mode, at FROM agent_mode_changes').all()).toEqual([
      { session_id: 's1', to_mode: 'math', at: '1970-01-01T00:00:00.000Z' },
    ]);
  });

  it('refuses blank session ids and target modes', () => {
    const store = new SqliteAgentModeStore(file.open());
    expect(() => store.recordChange(change('', 'x', 'now'))).toThrow(
      expect.objectContaining({ code: 'store-invalid-argument' }),
    );
    expect(() => store.recordChange(change('s', '', 'now'))).toThrow(
      expect.objectContaining({ code: 'store-invalid-argument' }),
    );
  });

  it('refuses a database that was not migrated', () => {
    const raw = new Database(':memory:');
    expect(
      () =>
        new SqliteAgentModeStore(
          new CricketDatabase(raw, ':memory:', { fromVersion: 0, toVersion: 0, legacyApplied: [], applied: [] }),
        ),
    ).toThrow(/has no agent_mode_changes table/);
    raw.close();
  });
});
