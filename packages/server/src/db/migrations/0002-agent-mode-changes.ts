import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../../stores/store-error.js';
import type { Migration } from '../migration.js';
import { columnNames, indexExists } from '../sqlite-introspection.js';

/** The agent-mode change log (reference webchat-backend §7.4, NOT NULL variant of its `schema.sql`). */
const createTable = `
CREATE TABLE IF NOT EXISTS agent_mode_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  turn_id TEXT NOT NULL,
  from_mode TEXT,
  to_mode TEXT NOT NULL,
  analysis TEXT,
  at TEXT NOT NULL
);
`;

const createIndex =
  'CREATE INDEX IF NOT EXISTS idx_agent_mode_changes_session_id_at ON agent_mode_changes(session_id, at)';

/**
 * Migration 2: table `agent_mode_changes` (the agent-mode middleware's record of mode switches, keyed by
 * `session_id`) and its index `idx_agent_mode_changes_session_id_at`.
 *
 * A table the reference system created before the session_id hard cut (column `run_id`, index
 * `idx_agent_mode_changes_run_id_at`) is repaired in the order the reference got wrong (§7.4): create
 * the table only (a no-op when it exists) → rename `run_id` to `session_id` → drop the old index →
 * create the new index. A table with both columns is refused (`store-legacy-schema`): which one holds
 * the truth is not ours to guess. The whole migration is one transaction (see `runMigrations`).
 */
export const agentModeChangesMigration: Migration = {
  version: 2,
  name: 'agent-mode-changes',
  up(db: BetterSqlite3.Database): void {
    db.exec(createTable);
    const columns = columnNames(db, 'agent_mode_changes');
    if (columns.has('run_id')) {
      if (columns.has('session_id')) {
        throw new StoreError(
          'store-legacy-schema',
          'table agent_mode_changes has both run_id and session_id columns (a half-migrated reference database); repair it before opening',
        );
      }
      db.exec('ALTER TABLE agent_mode_changes RENAME COLUMN run_id TO session_id');
    }
    if (indexExists(db, 'idx_agent_mode_changes_run_id_at')) db.exec('DROP INDEX idx_agent_mode_changes_run_id_at');
    db.exec(createIndex);
  },
};
