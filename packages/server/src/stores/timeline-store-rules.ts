import { int64, type TimelineEntity, type TimelineSnapshot } from '@cricket/protocol';
import { StoreError } from './store-error.js';
import { defaultTimelineLimit, type TimelineSnapshotOptions } from './timeline-store.js';

/**
 * Checks the arguments of `TimelineStore.upsert` before anything is written, so a refused call writes
 * nothing. Throws `store-invalid-argument` on an empty conv id, a version that is not a positive safe
 * integer, a non-finite `nowMs`, or an entity without `id` or `kind`.
 */
export function assertUpsertArguments(
  convId: string,
  version: number,
  entities: readonly TimelineEntity[],
  nowMs: number,
): void {
  if (convId === '') throw invalid('timeline upsert: empty conv_id');
  if (!Number.isSafeInteger(version) || version <= 0) {
    throw invalid(`timeline upsert: version must be a positive integer, got ${version}`);
  }
  if (!Number.isFinite(nowMs)) throw invalid(`timeline upsert: nowMs must be finite, got ${nowMs}`);
  for (const entity of entities) {
    if (typeof entity?.id !== 'string' || entity.id === '') throw invalid('timeline upsert: entity without id');
    if (typeof entity.kind !== 'string' || entity.kind === '') {
      throw invalid(`timeline upsert: entity ${entity.id} without kind`);
    }
  }
}

/**
 * `[createdAtMs, createdVersion]` of an entity's first write: the entity's own values when they are
 * positive integers, else `nowMs` and `version`.
 */
export function firstWriteCreation(entity: TimelineEntity, nowMs: number, version: number): [number, number] {
  return [positiveInt64(entity.createdAtMs) || nowMs, positiveInt64(entity.createdVersion) || version];
}

function positiveInt64(value: string | undefined): number {
  if (value === undefined) return 0;
  const number = Number.parseInt(value, 10);
  return Number.isSafeInteger(number) && number > 0 ? number : 0;
}

/** `sinceVersion` and `limit` with their defaults applied: negative since → 0, limit ≤ 0 → 5000. */
export function resolveSnapshotOptions(options: TimelineSnapshotOptions = {}): { sinceVersion: number; limit: number } {
  const since = Math.trunc(options.sinceVersion ?? 0);
  const limit = Math.trunc(options.limit ?? 0);
  return {
    sinceVersion: Number.isFinite(since) && since > 0 ? since : 0,
    limit: Number.isFinite(limit) && limit > 0 ? limit : defaultTimelineLimit,
  };
}

/**
 * The `/timeline` body: `convId`, `version` (the conversation's max, omitted when 0), `serverTimeMs`,
 * and `entities` (omitted when empty, as protobuf JSON omits empty repeated fields).
 */
export function buildTimelineSnapshot(
  convId: string,
  version: number,
  serverTimeMs: number,
  entities: TimelineEntity[],
): TimelineSnapshot {
  const snapshot: TimelineSnapshot = { convId, serverTimeMs: int64(serverTimeMs) };
  if (version > 0) snapshot.version = int64(version);
  if (entities.length > 0) snapshot.entities = entities;
  return snapshot;
}

/**
 * The UTF-8 JSON of {@link buildTimelineSnapshot}'s result, from entities already encoded as UTF-8 JSON:
 * same fields in the same order (`convId`, `serverTimeMs`, then `version` and `entities` when not
 * empty), int64 fields as strings.
 */
export function timelineSnapshotJson(
  convId: string,
  version: number,
  serverTimeMs: number,
  entityJson: readonly Buffer[],
): Buffer {
  let head = `{"convId":${JSON.stringify(convId)},"serverTimeMs":"${int64(serverTimeMs)}"`;
  if (version > 0) head += `,"version":"${int64(version)}"`;
  if (entityJson.length === 0) return Buffer.from(`${head}}`);
  const parts: Buffer[] = [Buffer.from(`${head},"entities":[`)];
  const comma = Buffer.from(',');
  entityJson.forEach((entity, index) => {
    if (index > 0) parts.push(comma);
    parts.push(entity);
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

/**
 * Snapshot order: version ascending, then id ascending by code unit (the SQLite store's `ORDER BY
 * version, entity_id` under the BINARY collation gives the same order for ids in the Basic Multilingual Plane).
 */
export function compareVersionThenId(a: { version: number; id: string }, b: { version: number; id: string }): number {
  if (a.version !== b.version) return a.version - b.version;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function invalid(message: string): StoreError {
  return new StoreError('store-invalid-argument', message);
}
