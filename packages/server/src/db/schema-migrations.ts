import type { LegacyMigration, Migration } from './migration.js';
import { initialSchemaMigration } from './migrations/0001-initial-schema.js';
import { agentModeChangesMigration } from './migrations/0002-agent-mode-changes.js';
import { timelineJsonVerifiedMigration } from './migrations/0003-timeline-json-verified.js';
import { legacyAgentModeRepair } from './migrations/legacy-agent-mode.js';
import { legacyTurnsMigration } from './migrations/legacy-turns.js';

/**
 * Cricket's versioned migrations, in order: entry `i` has version `i + 1`. Append only; never edit a
 * migration that has shipped (add a new one instead).
 */
export const cricketMigrations: readonly Migration[] = [
  initialSchemaMigration,
  agentModeChangesMigration,
  timelineJsonVerifiedMigration,
];

/**
 * Legacy pre-migrations for databases written by the reference system, run before
 * {@link cricketMigrations} on every open (see {@link LegacyMigration} for the contract).
 *
 * `turns.run_id` → `session_id` (see `migrations/legacy-turns.ts`); the repair of an agent-mode table
 * with both columns, inert unless a repair choice is given (`migrations/legacy-agent-mode.ts`). The
 * agent-mode table's plain legacy layout is migrated by versioned migration 0002.
 */
export const cricketLegacyMigrations: readonly LegacyMigration[] = [legacyTurnsMigration, legacyAgentModeRepair];
