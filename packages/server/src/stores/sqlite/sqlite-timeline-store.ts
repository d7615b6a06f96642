import {
  int64,
  type TimelineEntity,
  type TimelineSnapshot,
  timelineEntitySchema,
  type VersionedEntity,
} from '@cricket/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import { StoreError } from '../store-error.js';
import { stampTimelineEntity } from '../timeline-entity-encoding.js';
import type { TimelineSnapshotOptions, TimelineStore } from '../timeline-store.js';
import {
  assertUpsertArguments,
  buildTimelineSnapshot,
  firstWriteCreation,
  resolveSnapshotOptions,
  timelineSnapshotJson,
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

/** `[entity_id, version, created_at_ms, updated_at_ms, created_version, entity_json, json_verified]`. */
type EntityRow = [string, number, number, number, number, string, number];

/**
 * An {@link EntityRow} whose `entity_json` was read as its UTF-8 bytes: snapshot pages are read this
 * way so that `snapshotJson` can copy verified rows without decoding them.
 */
type EntityBytesRow = [string, number, number, number, number, Buffer, number];

/**
 * The entity body as stored in `entity_json`. The stamp fields come from the columns, so they are not
 * validated here (their int64 union costs more than the rest of the entity on `/timeline` reads).
 */
const entityBodySchema = timelineEntitySchema.omit({ createdAtMs: true, updatedAtMs: true, createdVersion: true });

const entityColumns =
  'entity_id, version, created_at_ms, updated_at_ms, COALESCE(created_version, version) AS created_version, entity_json, json_verified';
const entityBytesColumns = entityColumns.replace(', entity_json,', ', CAST(entity_json AS BLOB) AS entity_json,');

/**
 * The {@link TimelineStore} on SQLite (tables `timeline_entities` / `timeline_versions`, compatible with
 * the reference system's). Each entity is one row holding its protobuf-JSON (`entity_json`, zero values
 * omitted) and its version; `created_at_ms` / `created_version` are kept from the first write. Calls
 * join the caller's transaction when there is one (the pipeline's group commit), else run in their own.
 *
 * Reads decode rows with the protocol schema; a row that does not decode is skipped and reported
 * through `onCorruptRow` rather than failing the whole snapshot (so a snapshot may hold fewer than
 * `limit` entities). Rows this store wrote are marked `json_verified`: their text is the stamped
 * entity's JSON by construction, and {@link snapshotJson} sends it as stored.
 */
export class SqliteTimelineStore implements TimelineStore {
  readonly #db: CricketDatabase;
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #now: () => number;
  readonly #closeDatabase: boolean;
  readonly #selectCreated: BetterSqlite3.Statement<[string, string], unknown[]>;
  readonly #upsertEntity: BetterSqlite3.Statement<[string, string, string, number, number, number, string, number]>;
  readonly #bumpVersion: BetterSqlite3.Statement<[string, number]>;
  readonly #selectVersion: BetterSqlite3.Statement<[string, string], unknown[]>;
  readonly #selectSince: BetterSqlite3.Statement<[string, number, number], unknown[]>;
  readonly #selectAtVersion: BetterSqlite3.Statement<[string, number], unknown[]>;
  readonly #selectAll: BetterSqlite3.Statement<[string], unknown[]>;

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
         (conv_id, entity_id, kind, created_at_ms, updated_at_ms, version, entity_json, created_version, json_verified)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (conv_id, entity_id) DO UPDATE SET
         kind = excluded.kind, updated_at_ms = excluded.updated_at_ms, version = excluded.version,
         entity_json = excluded.entity_json, created_version = excluded.created_version, json_verified = 1`,
    );
    this.#bumpVersion = raw.prepare(
      `INSERT INTO timeline_versions (conv_id, version) VALUES (?, ?)
       ON CONFLICT (conv_id) DO UPDATE SET version = max(version, excluded.version)`,
    );
    // Two scalars: the stored conversation version and the highest integer entity version (text sorts
    // above every number in SQLite, so the bound keeps a corrupt text version out of the max).
    this.#selectVersion = raw
      .prepare<[string, string], unknown[]>(
        `SELECT (SELECT version FROM timeline_versions WHERE conv_id = ?),
                (SELECT max(version) FROM timeline_entities WHERE conv_id = ? AND version < 9223372036854775807)`,
      )
      .raw(true);
    this.#selectSince = raw
      .prepare<[string, number, number], unknown[]>(
        `SELECT ${entityBytesColumns} FROM timeline_entities
         WHERE conv_id = ? AND version > ? ORDER BY version LIMIT ?`,
      )
      .raw(true);
    this.#selectAtVersion = raw
      .prepare<[string, number], unknown[]>(
        `SELECT ${entityBytesColumns} FROM timeline_entities WHERE conv_id = ? AND version = ?`,
      )
      .raw(true);
    this.#selectAll = raw
      .prepare<[string], unknown[]>(`SELECT ${entityColumns} FROM timeline_entities WHERE conv_id = ? ORDER BY version`)
      .raw(true);
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
          existing === undefined
            ? firstWriteCreation(entity, updatedAtMs, version)
            : storedCreation(convId, entity.id, existing);
        const result = stampTimelineEntity(entity, { createdAtMs, updatedAtMs, createdVersion });
        const json = JSON.stringify(result);
        this.#upsertEntity.run(convId, entity.id, entity.kind, createdAtMs, updatedAtMs, version, json, createdVersion);
        return result;
      });
      this.#bumpVersion.run(convId, version);
      return stamped;
    });
  }

  /**
   * See {@link TimelineStore.snapshot}. SQL returns rows in index order (by version); ties are ordered
   * by id here, which is cheaper than SQLite's sorter on a 10k-entity page. When the page is full, the
   * whole group of the last version is fetched so the (version, id) order decides what makes the cut.
   */
  snapshot(convId: string, options?: TimelineSnapshotOptions): TimelineSnapshot {
    const entities: TimelineEntity[] = [];
    for (const row of this.#page(convId, options)) {
      const entity = this.#decode(convId, textRow(row));
      if (entity !== undefined) entities.push(entity);
    }
    return buildTimelineSnapshot(convId, this.version(convId), this.#now(), entities);
  }

  /**
   * See {@link TimelineStore.snapshotJson}. Rows marked `json_verified` are copied in as stored, as
   * bytes (no UTF-8 decoding, parsing, validation or re-encoding: on a 10k-entity page that is most of
   * the cost of a read); other rows (written by the reference system) are decoded like
   * {@link snapshot} does, corrupt ones skipped and reported, so the body is always valid JSON.
   */
  snapshotJson(convId: string, options?: TimelineSnapshotOptions): Buffer {
    const parts: Buffer[] = [];
    for (const row of this.#page(convId, options)) {
      if (row[6] === 1) {
        parts.push(row[5]);
        continue;
      }
      const entity = this.#decode(convId, textRow(row));
      if (entity !== undefined) parts.push(Buffer.from(JSON.stringify(entity)));
    }
    return timelineSnapshotJson(convId, this.version(convId), this.#now(), parts);
  }

  /** The rows of one snapshot page, in (version, id) order, cut to the limit. */
  #page(convId: string, options: TimelineSnapshotOptions | undefined): EntityBytesRow[] {
    const { sinceVersion, limit } = resolveSnapshotOptions(options);
    let rows = this.#rows(convId, this.#selectSince.all(convId, sinceVersion, limit), isEntityBytesRow);
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    if (last !== undefined) {
      const tieGroup = this.#rows(convId, this.#selectAtVersion.all(convId, last[1]), isEntityBytesRow);
      rows = rows.filter((row) => row[1] !== last[1]).concat(tieGroup);
    }
    rows.sort(compareRows);
    if (rows.length > limit) rows.length = limit;
    return rows;
  }

  /** See {@link TimelineStore.entities}: ordered by (version, id); corrupt rows skipped and reported. */
  entities(convId: string): VersionedEntity[] {
    const rows = this.#rows(convId, this.#selectAll.all(convId), isEntityRow).sort(compareRows);
    const out: VersionedEntity[] = [];
    for (const row of rows) {
      const entity = this.#decode(convId, row);
      if (entity !== undefined) out.push({ entity, version: row[1] });
    }
    return out;
  }

  /**
   * See {@link TimelineStore.version}: the stored version, or the highest entity version if larger (a
   * database where they disagree still reports what its entities say). A non-integer stored version is
   * reported as a corrupt row and ignored.
   */
  version(convId: string): number {
    const [stored, highest] = this.#selectVersion.get(convId, convId) ?? [];
    if (stored !== null && stored !== undefined && !isInteger(stored)) {
      this.#onCorruptRow({
        table: 'timeline_versions',
        key: convId,
        reason: `version is not an integer: ${String(stored)}`,
      });
    }
    return Math.max(isInteger(stored) ? stored : 0, isInteger(highest) ? highest : 0);
  }

  /** Closes the database when the store was created with `closeDatabase: true`; otherwise nothing. */
  close(): void {
    if (this.#closeDatabase) this.#db.close();
  }

  /**
   * Checks the column types of raw rows; rows that fail are reported and dropped. By hand rather than
   * with a zod tuple: on a 10k-entity `/timeline` read the tuple cost more than decoding the entities.
   * `entity_json` itself is decoded with zod in {@link decodeEntity}.
   */
  #rows<Row extends EntityRow | EntityBytesRow>(
    convId: string,
    values: unknown[][],
    isRow: (value: unknown[]) => value is Row,
  ): Row[] {
    const rows: Row[] = [];
    for (const value of values) {
      if (isRow(value)) {
        rows.push(value);
      } else {
        const key = typeof value[0] === 'string' ? value[0] : '?';
        this.#report(convId, key, 'a column has the wrong type (expected text id/json and integer versions/times)');
      }
    }
    return rows;
  }

  #decode(convId: string, row: EntityRow): TimelineEntity | undefined {
    try {
      return decodeEntity(row);
    } catch (error) {
      this.#report(convId, row[0], describeDecodeError(error));
      return undefined;
    }
  }

  #report(convId: string, entityId: string, reason: string): void {
    this.#onCorruptRow({ table: 'timeline_entities', key: `${convId}/${entityId}`, reason });
  }
}

/** `[created_at_ms, created_version]` of a stored row; throws `store-corrupt-row` when they are not integers. */
function storedCreation(convId: string, entityId: string, [createdAtMs, createdVersion]: unknown[]): [number, number] {
  if (isInteger(createdAtMs) && isInteger(createdVersion)) return [createdAtMs, createdVersion];
  throw new StoreError(
    'store-corrupt-row',
    `timeline entity ${convId}/${entityId}: created_at_ms or created_version is not an integer`,
  );
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function hasEntityColumns(value: unknown[]): boolean {
  return (
    typeof value[0] === 'string' &&
    isInteger(value[1]) &&
    isInteger(value[2]) &&
    isInteger(value[3]) &&
    isInteger(value[4]) &&
    isInteger(value[6])
  );
}

function isEntityRow(value: unknown[]): value is EntityRow {
  return hasEntityColumns(value) && typeof value[5] === 'string';
}

function isEntityBytesRow(value: unknown[]): value is EntityBytesRow {
  return hasEntityColumns(value) && Buffer.isBuffer(value[5]);
}

/** The row with `entity_json` as text, for decoding. */
function textRow(row: EntityBytesRow): EntityRow {
  return [row[0], row[1], row[2], row[3], row[4], row[5].toString('utf8'), row[6]];
}

/** Snapshot order on rows: version, then entity id (see `compareVersionThenId`). */
function compareRows(a: EntityRow | EntityBytesRow, b: EntityRow | EntityBytesRow): number {
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Decodes `entity_json` with the protocol schema; the stamp fields come from the store's columns. */
function decodeEntity([entityId, , createdAtMs, updatedAtMs, createdVersion, json]: EntityRow): TimelineEntity {
  const parsed: unknown = JSON.parse(json);
  const entity: TimelineEntity = entityBodySchema.parse(parsed);
  if (entity.id !== entityId) throw new Error(`entity_json id ${entity.id} differs from the row key`);
  entity.createdAtMs = int64(createdAtMs);
  entity.updatedAtMs = int64(updatedAtMs);
  entity.createdVersion = int64(createdVersion);
  return entity;
}
