import type BetterSqlite3 from 'better-sqlite3';
import { CliFailure, hasTable, openReadOnly } from '../cli-support.js';
import { type EntityRow, entityRowFromColumns } from './entity-row.js';
import type { SnapshotQuery, SnapshotView, TimelineSource, VersionRange } from './timeline-source.js';

/** Opens the timeline tables of a database file (Cricket's or the reference's layout) read-only. */
function openTimeline(path: string): BetterSqlite3.Database {
  const db = openReadOnly(path);
  if (!hasTable(db, 'timeline_entities') || !hasTable(db, 'timeline_versions')) {
    db.close();
    throw new CliFailure(`${path} has no timeline tables (timeline_entities, timeline_versions)`);
  }
  return db;
}

/** Calls `read` with the database file opened read-only, and closes it again. */
export function withTimeline<T>(path: string, read: (db: BetterSqlite3.Database) => T): T {
  const db = openTimeline(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A `LIKE … ESCAPE '\'` pattern matching ids that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQLite's `LIMIT` for a count where 0 means all. */
export const sqlLimit = (limit: number): number => (limit > 0 ? limit : -1);

/** The entity JSON of a row, or a placeholder naming it when the JSON does not parse. */
function parseEntity(row: EntityRow): unknown {
  try {
    return JSON.parse(row.entity_json);
  } catch {
    return { id: row.entity_id, kind: row.kind, unparsable: true };
  }
}

/** Reads a database file: every row as stored, including rows whose JSON does not parse. */
export class SqliteTimelineSource implements TimelineSource {
  readonly perEntityVersions = true;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  /** Version: `timeline_versions`, else the highest entity version. */
  async snapshot(convId: string, query: SnapshotQuery): Promise<SnapshotView> {
    return withTimeline(this.#path, (db) => {
      const stored = db.prepare('SELECT version FROM timeline_versions WHERE conv_id = ?').pluck().get(convId);
      const maxEntity = db.prepare('SELECT max(version) FROM timeline_entities WHERE conv_id = ?').pluck().get(convId);
      const version = Number(stored ?? maxEntity ?? 0);
      const entities = db
        .prepare(
          `SELECT * FROM timeline_entities WHERE conv_id = ? AND version > ?
           ORDER BY version ASC, entity_id ASC LIMIT ?`,
        )
        .all(convId, query.sinceVersion, sqlLimit(query.limit))
        .map((value) => parseEntity(entityRowFromColumns(value)));
      const serverTimeMs = Date.now();
      const body = { convId, version: String(version), serverTimeMs: String(serverTimeMs), entities };
      return { convId, version, serverTimeMs, entities, json: JSON.stringify(body) };
    });
  }

  async entities(convId: string, range: VersionRange): Promise<EntityRow[]> {
    return withTimeline(this.#path, (db) =>
      db
        .prepare(
          `SELECT * FROM timeline_entities
           WHERE conv_id = ? AND (? = 0 OR version >= ?) AND (? = 0 OR version <= ?)
           ORDER BY version ASC, entity_id ASC`,
        )
        .all(convId, range.min, range.min, range.max, range.max)
        .map(entityRowFromColumns),
    );
  }
}
