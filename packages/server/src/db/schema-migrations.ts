import type { LegacyMigration, Migration } from './migration.js';
import { initialSchemaMigration } from './migrations/0001-initial-schema.js';
import { agentModeChangesMigration } from './migrations/0002-agent-mode-changes.js';

/**
 * Cricket's versioned migrations, in order: entry `i` has version `i + 1`. Append only; never edit a
 * migration that has shipped (add a new one instead).
 */
export const cricketMigrations: readonly Migration[] = [initialSchemaMigration, agentModeChangesMigration];

/**
 * Legacy pre-migrations for databases written by the reference system, run before
 * {@link cricketMigrations} on every open (see {@link LegacyMigration} for the contract).
 *
 * Empty for now. The planned entries: renaming `turns.run_id` → `session_id` (dropping `turns_by_run`),
 * and the same for `agent_mode_changes` (dropping `idx_agent_mode_changes_run_id_at`), repairing or
 * refusing tables that have both columns.
 */
export const cricketLegacyMigrations: readonly LegacyMigration[] = [];
