import type BetterSqlite3 from 'better-sqlite3';
import { columnNames, indexExists, tableExists } from '../sqlite-introspection.js';
import type { LegacyRepair, RepairableLegacyMigration } from './legacy-turns.js';

function hasBothColumns(db: BetterSqlite3.Database): boolean {
  if (!tableExists(db, 'agent_mode_changes')) return false;
  const columns = columnNames(db, 'agent_mode_changes');
  return columns.has('run_id') && columns.has('session_id');
}

/**
 * Repair of a half-migrated agent-mode table (both `run_id` and `session_id`), only when a repair
 * choice is given: the winner's values go to `session_id` (the other column fills NULL or empty ones),
 * then `idx_agent_mode_changes_run_id_at` and the `run_id` column are dropped, all in the runner's one
 * transaction. Without a repair choice it is never needed, and versioned migration 0002 refuses the
 * table (`store-legacy-schema`); the plain legacy layout (only `run_id`) is 0002's job too.
 */
export function createLegacyAgentModeRepair(repair?: LegacyRepair): RepairableLegacyMigration {
  return {
    name: 'legacy-agent-mode-repair',
    description:
      'repairs agent_mode_changes with both run_id and session_id columns (the --repair choice wins), ' +
      'dropping run_id and idx_agent_mode_changes_run_id_at',
    needed(db) {
      return repair !== undefined && hasBothColumns(db);
    },
    apply(db) {
      if (!repair || !hasBothColumns(db)) return;
      const [winner, other] = repair === 'keep-legacy' ? ['run_id', 'session_id'] : ['session_id', 'run_id'];
      db.exec(`UPDATE agent_mode_changes SET session_id = coalesce(nullif(${winner}, ''), ${other})`);
      if (indexExists(db, 'idx_agent_mode_changes_run_id_at')) db.exec('DROP INDEX idx_agent_mode_changes_run_id_at');
      db.exec('ALTER TABLE agent_mode_changes DROP COLUMN run_id');
    },
    withRepair(choice) {
      return createLegacyAgentModeRepair(choice);
    },
    findings(db) {
      if (!tableExists(db, 'agent_mode_changes')) return [];
      const columns = columnNames(db, 'agent_mode_changes');
      const out: string[] = [];
      if (columns.has('run_id')) {
        out.push(
          columns.has('session_id')
            ? 'agent_mode_changes has both run_id and session_id columns (needs --repair keep-session-id|keep-legacy)'
            : 'agent_mode_changes has the legacy column run_id',
        );
      }
      if (indexExists(db, 'idx_agent_mode_changes_run_id_at'))
        out.push('agent_mode_changes has the legacy index idx_agent_mode_changes_run_id_at');
      return out;
    },
  };
}

/** Registered instance: inert until re-created with a repair choice (see `withLegacyRepair`). */
export const legacyAgentModeRepair: RepairableLegacyMigration = createLegacyAgentModeRepair();
