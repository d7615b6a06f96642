import {
  int64,
  type TimelineEntity,
  type TimelineSnapshot,
  timelineEntitySchema,
  type VersionedEntity,
} from '@cricket/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import { stampTimelineEntity } from '../timeline-entity-encoding.js';
import type { TimelineSnapshotOptions, TimelineStore } from '../timeline-store.js';
import {
  assertUpsertArguments,
  buildTimelineSnapshot,
  firstWriteCreation,
  resolveSnapshotOptions,
} from '../timeline-store-rules.js';

/** Options of {@link SqliteTimelineStore}. */
export interface SqliteTimelineStoreOptions {
  /** Receives rows whose `entity_json` does not decode; they are skipped (default: a process warning). */
  onCorruptRow?: CorruptRowHandler;
  /** Clock for `serverTimeMs` (default `Date.now`). */
  now?: () => number;
  /** Whether {@link SqliteTimelineStore.close} closes the shared database (default false). */
  closeDatabase?: boolean;
}

const createdRowSchema = z.tuple([z.number().int(), z.number().int()]);
const entityRowSchema = z.object({
  entity_id: z.string(),
  version: z.number().int(),
  created_at_ms: z.number().int(),
  updated_at_ms: z.number().int(),
  created_version: z.number().int(),
  entity_json: z.string(),
});
type EntityRow = z.infer<typeof entityRowSchema>;

const entityColumns =
  'entity_id, version, created_at_ms, updated_at_ms, COALESCE(created_version, version) AS created_version, entity_json';

/**
 * The {@link TimelineStore} on SQLite (tables `timeline_entities` / `timeline_versions`, compatible with
 * the reference system's). Each entity is one row holding its protobuf-JSON (`entity_json`, zero values
 * omitted) and its version; `created_at_ms` / `created_version` are kept from the first write. Calls
 * join the caller's transaction when there is one (the pipeline's group commit), else run in their own.
 *
 * Reads decode every row with the protocol schema; a row that does not decode is skipped and reported
 * through `onCorruptRow` rather than failing the whole snapshot (so a snapshot may hold fewer than
 * `limit` entities).
 */
export class SqliteTimelineStore implements TimelineStore {
  readonly #db: CricketDatabase;
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #now: () => number;
  readonly #closeDatabase: boolean;
  readonly #selectCreated: BetterSqlite3.Statement<[string, string], unknown[]>;
  readonly #upsertEntity: BetterSqlite3.Statement<[string, string, string, number, number, number, string, number]>;
  readonly #bumpVersion: BetterSqlite3.Statement<[string, number]>;
  readonly #selectVersion: BetterSqlite3.Statement<[string, string], unknown>;
  readonly #selectSince: BetterSqlite3.Statement<[string, number, number], unknown>;
  readonly #selectAll: BetterSqlite3.Statement<[string], unknown>;

  constructor(db: CricketDatabase, options: SqliteTimelineStoreOptions = {}) {
    this.#db = db;
    this.#onCorruptRow = options.onCorruptRow ?? warnCorruptRow;
    this.#now = options.now ?? Date.now;
    this.#closeDatabase = options.closeDatabase ?? false;
    const raw = db.raw;
    this.#selectCreated = raw
      .prepare<[string, string], unknown[]>(
        'SELECT created_at_ms, COALESCE(created_version, version) FROM timeline_entities WHERE conv_id = ? AND entity_id = ?',
      )
      .raw(true);
    this.#upsertEntity = raw.prepare(
      `INSERT INTO timeline_entities
         (conv_id, entity_id, kind, created_at_ms, updated_at_ms, version, entity_json, created_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (conv_id, entity_id) DO UPDATE SET
         kind = excluded.kind, updated_at_ms = excluded.updated_at_ms, version = excluded.version,
         entity_json = excluded.entity_json, created_version = excluded.created_version`,
    );
    this.#bumpVersion = raw.prepare(
      `INSERT INTO timeline_versions (conv_id, version) VALUES (?, ?)
       ON CONFLICT (conv_id) DO UPDATE SET version = max(version, excluded.version)`,
    );
    this.#selectVersion = raw
      .prepare<[string, string], unknown>(
        `SELECT max(
           COALESCE((SELECT version FROM timeline_versions WHERE conv_id = ?), 0),
           COALESCE((SELECT max(version) FROM timeline_entities WHERE conv_id = ?), 0))`,
      )
      .pluck(true);
    this.#selectSince = raw.prepare(
      `SELECT ${entityColumns} FROM timeline_entities
       WHERE conv_id = ? AND version > ? ORDER BY version, entity_id LIMIT ?`,
    );
    this.#selectAll = raw.prepare(
      `SELECT ${entityColumns} FROM timeline_entities WHERE conv_id = ? ORDER BY version, entity_id`,
    );
  }

  /** See {@link TimelineStore.upsert}. One statement per entity plus one for the conversation version. */
  upsert(convId: string, version: number, entities: readonly TimelineEntity[], nowMs: number): TimelineEntity[] {
    assertUpsertArguments(convId, version, entities, nowMs);
    if (entities.length === 0) return [];
    const updatedAtMs = Math.trunc(nowMs);
    return this.#db.transaction(() => {
      const stamped = entities.map((entity) => {
        const existing = this.#selectCreated.get(convId, entity.id);
        const [createdAtMs, createdVersion] =
          existing === undefined ? firstWriteCreation(entity, updatedAtMs, version) : createdRowSchema.parse(existing);
        const result = stampTimelineEntity(entity, { createdAtMs, updatedAtMs, createdVersion });
        const json = JSON.stringify(result);
        this.#upsertEntity.run(convId, entity.id, entity.kind, createdAtMs, updatedAtMs, version, json, createdVersion);
        return result;
      });
      this.#bumpVersion.run(convId, version);
      return stamped;
    });
  }

  /** See {@link TimelineStore.snapshot}. */
  snapshot(convId: string, options?: TimelineSnapshotOptions): TimelineSnapshot {
    const { sinceVersion, limit } = resolveSnapshotOptions(options);
    const entities: TimelineEntity[] = [];
    for (const row of this.#selectSince.all(convId, sinceVersion, limit)) {
      const decoded = this.#decode(convId, row);
      if (decoded !== undefined) entities.push(decoded.entity);
    }
    return buildTimelineSnapshot(convId, this.version(convId), this.#now(), entities);
  }

  /** See {@link TimelineStore.entities}: ordered by (version, id); corrupt rows skipped. */
  entities(convId: string): VersionedEntity[] {
    const out: VersionedEntity[] = [];
    for (const row of this.#selectAll.all(convId)) {
      const decoded = this.#decode(convId, row);
      if (decoded !== undefined) out.push(decoded);
    }
    return out;
  }

  /** See {@link TimelineStore.version}: the stored version, or the highest entity version if larger. */
  version(convId: string): number {
    return z.number().int().catch(0).parse(this.#selectVersion.get(convId, convId));
  }

  /** Closes the database when the store was created with `closeDatabase: true`; otherwise nothing. */
  close(): void {
    if (this.#closeDatabase) this.#db.close();
  }

  #decode(convId: string, value: unknown): VersionedEntity | undefined {
    const row = entityRowSchema.safeParse(value);
    if (!row.success) {
      this.#report(convId, rowKey(value), describeDecodeError(row.error));
      return undefined;
    }
    try {
      return { entity: decodeEntity(row.data), version: row.data.version };
    } catch (error) {
      this.#report(convId, row.data.entity_id, describeDecodeError(error));
      return undefined;
    }
  }

  #report(convId: string, entityId: string, reason: string): void {
    this.#onCorruptRow({ table: 'timeline_entities', key: `${convId}/${entityId}`, reason });
  }
}

/** Decodes `entity_json`; the store-managed columns win over the JSON for the stamp fields. */
function decodeEntity(row: EntityRow): TimelineEntity {
  const parsed: unknown = JSON.parse(row.entity_json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('entity_json is not a JSON object');
  }
  const entity = timelineEntitySchema.parse({
    ...parsed,
    createdAtMs: int64(row.created_at_ms),
    updatedAtMs: int64(row.updated_at_ms),
    createdVersion: int64(row.created_version),
  });
  if (entity.id !== row.entity_id) throw new Error(`entity_json id ${entity.id} differs from the row key`);
  return entity;
}

function rowKey(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'entity_id' in value) return String(value.entity_id);
  return '?';
}
