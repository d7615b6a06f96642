import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { tableExists } from '../../db/sqlite-introspection.js';
import { StoreError } from '../../stores/store-error.js';
import type { AgentModeChange, AgentModeStore, StoredAgentModeChange } from './agent-mode-store.js';

const changeRowSchema = z.object({
  id: z.number().int(),
  session_id: z.string(),
  // Nullable: rows a reference database carries over may lack them (its runtime table had no NOT NULL).
  turn_id: z.string().nullable(),
  from_mode: z.string().nullable(),
  to_mode: z.string().nullable(),
  analysis: z.string().nullable(),
  at: z.string(),
});

const currentRowSchema = z.object({ to_mode: z.string() }).optional();

/**
 * The {@link AgentModeStore} on SQLite: table `agent_mode_changes`, created by Cricket's migration
 * `0002-agent-mode-changes` when the database is opened with `openDatabase` (which also migrates a
 * reference database's pre-session column). Share the server's `CricketDatabase` (its single writer), or
 * open the same file separately: writes are single-row inserts.
 *
 * The current mode of a session is the `to_mode` of its latest row by `at`, then `id` (reference §7.4).
 */
export class SqliteAgentModeStore implements AgentModeStore {
  readonly #insert: BetterSqlite3.Statement<[string, string, string | null, string, string | null, string]>;
  readonly #current: BetterSqlite3.Statement<[string], unknown>;
  readonly #list: BetterSqlite3.Statement<[string], unknown>;

  /** Throws `StoreError` (`store-legacy-schema`) when the database lacks the table (not opened through `openDatabase`). */
  constructor(database: CricketDatabase) {
    if (!tableExists(database.raw, 'agent_mode_changes')) {
      throw new StoreError(
        'store-legacy-schema',
        `database ${database.path} has no agent_mode_changes table: open it with openDatabase() so migration 0002 creates it`,
      );
    }
    this.#insert = database.raw.prepare(
      `INSERT INTO agent_mode_changes (session_id, turn_id, from_mode, to_mode, analysis, at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#current = database.raw.prepare(
      `SELECT to_mode FROM agent_mode_changes WHERE session_id = ? AND to_mode IS NOT NULL AND to_mode <> ''
       ORDER BY at DESC, id DESC LIMIT 1`,
    );
    this.#list = database.raw.prepare(
      `SELECT id, session_id, turn_id, from_mode, to_mode, analysis, at
       FROM agent_mode_changes WHERE session_id = ? ORDER BY at, id`,
    );
  }

  currentMode(sessionId: string): string | undefined {
    return currentRowSchema.parse(this.#current.get(sessionId))?.to_mode;
  }

  recordChange(change: AgentModeChange): void {
    if (!change.sessionId || !change.toMode) {
      throw new StoreError('store-invalid-argument', 'an agent mode change needs a session id and a target mode');
    }
    this.#insert.run(change.sessionId, change.turnId, change.fromMode, change.toMode, change.analysis, change.at);
  }

  changes(sessionId: string): StoredAgentModeChange[] {
    return this.#list.all(sessionId).map((row) => {
      const parsed = changeRowSchema.parse(row);
      return {
        id: parsed.id,
        sessionId: parsed.session_id,
        turnId: parsed.turn_id ?? '',
        fromMode: parsed.from_mode,
        toMode: parsed.to_mode ?? '',
        analysis: parsed.analysis,
        at: parsed.at,
      };
    });
  }
}
