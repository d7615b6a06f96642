import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from '../migration.js';
import { columnNames } from '../sqlite-introspection.js';

/**
 * Migration 3: `timeline_entities.json_verified`. 1 means Cricket wrote `entity_json` itself, from a
 * typed entity, with the stamp fields (`createdAtMs`, `updatedAtMs`, `createdVersion`) equal to the
 * row's columns: the text is the entity's protobuf-JSON by construction, so `/timeline` can send it as
 * stored instead of parsing, validating and re-encoding it. 0 (every row present when the migration
 * runs, e.g. rows the reference system wrote) means the row is decoded and checked on every read.
 */
export const timelineJsonVerifiedMigration: Migration = {
  version: 3,
  name: 'timeline-json-verified',
  up(db: BetterSqlite3.Database): void {
    if (!columnNames(db, 'timeline_entities').has('json_verified')) {
      db.exec('ALTER TABLE timeline_entities ADD COLUMN json_verified INTEGER NOT NULL DEFAULT 0');
    }
  },
};
