import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../../stores/store-error.js';
import type { Migration } from '../migration.js';
import { columnNames, tableExists } from '../sqlite-introspection.js';

/**
 * The reference system's timeline tables and indexes, verbatim (reference webchat-backend §5.6), so a
 * database it wrote opens unchanged.
 */
const referenceTimelineDdl = `
CREATE TABLE IF NOT EXISTS timeline_versions (
  conv_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS timeline_entities (
  conv_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL,
  entity_json TEXT NOT NULL,
  PRIMARY KEY (conv_id, entity_id)
);
CREATE INDEX IF NOT EXISTS timeline_entities_by_version ON timeline_entities(conv_id, version);
CREATE INDEX IF NOT EXISTS timeline_entities_by_created ON timeline_entities(conv_id, created_at_ms);
`;

/** The reference system's current `turns` table and indexes, verbatim (reference webchat-backend §6). */
const referenceTurnsDdl = `
CREATE TABLE IF NOT EXISTS turns (
  conv_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  turn_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (conv_id, session_id, turn_id, phase, created_at_ms)
);
CREATE INDEX IF NOT EXISTS turns_by_conv ON turns(conv_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_phase ON turns(phase, created_at_ms DESC);
`;

/**
 * Cricket-only tables.
 *
 * `event_log` is deliberately a rowid table (not WITHOUT ROWID): frames are then stored in append
 * order and only the small `(conv_id, seq)` key index is updated at one point per conversation. A
 * WITHOUT ROWID table clusters the ~200-byte frames by conversation, so every group commit dirties one
 * 4 KB leaf per streaming conversation; measured 3× slower with 20 interleaved conversations.
 */
const cricketDdl = `
CREATE TABLE IF NOT EXISTS conversations (
  conv_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  last_activity_ms INTEGER NOT NULL,
  title TEXT
);
CREATE TABLE IF NOT EXISTS event_log (
  conv_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  session_id TEXT,
  inference_id TEXT,
  turn_id TEXT,
  created_at_ms INTEGER NOT NULL,
  frame_json TEXT NOT NULL,
  PRIMARY KEY (conv_id, seq)
);
CREATE TABLE IF NOT EXISTS chat_requests (
  idempotency_key TEXT PRIMARY KEY,
  conv_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  response_json TEXT NOT NULL,
  error TEXT,
  prompt TEXT NOT NULL,
  profile TEXT NOT NULL,
  overrides_json TEXT,
  enqueued_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER,
  completed_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS chat_requests_by_conv_status ON chat_requests(conv_id, status, enqueued_at_ms);
`;

/**
 * Migration 1: every table of the embedded database. Works on an empty file and on a database the
 * reference system wrote (its `timeline_*` and current-layout `turns` tables are kept as they are):
 * - `timeline_entities` gains the Cricket column `created_version` (the `seq` that created the entity),
 *   back-filled with the row's `version` for rows the reference wrote (the best value it left);
 * - a `turns` table still in the pre-hard-cut layout is refused with `store-legacy-schema`: the
 *   legacy migrations, which run first, must have renamed it (see `LegacyMigration`).
 */
export const initialSchemaMigration: Migration = {
  version: 1,
  name: 'initial-schema',
  up(db: BetterSqlite3.Database): void {
    assertTurnsNotLegacy(db);
    db.exec(referenceTimelineDdl);
    if (!columnNames(db, 'timeline_entities').has('created_version')) {
      db.exec('ALTER TABLE timeline_entities ADD COLUMN created_version INTEGER');
    }
    db.exec('UPDATE timeline_entities SET created_version = version WHERE created_version IS NULL');
    db.exec(referenceTurnsDdl);
    db.exec(cricketDdl);
  },
};

function assertTurnsNotLegacy(db: BetterSqlite3.Database): void {
  if (!tableExists(db, 'turns')) return;
  const columns = columnNames(db, 'turns');
  if (!columns.has('run_id')) return;
  const state = columns.has('session_id') ? 'both run_id and session_id columns' : 'the legacy run_id column';
  throw new StoreError(
    'store-legacy-schema',
    `table turns has ${state} (written by the reference system before the session_id rename); it needs the legacy turns migration, which this build does not have`,
  );
}
