import type { TimelineEntity, TimelineSnapshot, VersionedEntity } from '@cricket/protocol';

/** Options of {@link TimelineStore.snapshot}. */
export interface TimelineSnapshotOptions {
  /** Only entities whose version is strictly greater (0 = everything). */
  sinceVersion?: number;
  /** At most this many entities (default {@link defaultTimelineLimit}). */
  limit?: number;
}

/** Default page size of `/timeline`. */
export const defaultTimelineLimit = 5000;

/**
 * The projection store: per conversation, the latest state of every timeline entity and the version
 * (frame `seq`) of its last write. Synchronous by design: the SQLite implementation runs inside the
 * streaming pipeline's group-commit transaction, so a frame and the entities it produced become durable
 * together.
 */
export interface TimelineStore {
  /**
   * Writes entities at `version` (> 0). For each entity: `createdAtMs` and `createdVersion` are kept
   * from its first write (first write: the entity's own values when set, else `nowMs` / `version`);
   * `updatedAtMs` = `nowMs`; the whole snapshot is replaced. The conversation version becomes
   * max(current, version). Returns the stamped entities (what `timeline.upsert` frames carry).
   * Throws on an empty conv id, version ≤ 0, or an entity without id or kind.
   */
  upsert(convId: string, version: number, entities: readonly TimelineEntity[], nowMs: number): TimelineEntity[];
  /**
   * The `/timeline` body: `version` is the conversation's current max version (omitted when 0),
   * `serverTimeMs` now, entities ordered by (version ASC, id ASC), cut to the limit. An unknown
   * conversation yields no entities.
   */
  snapshot(convId: string, options?: TimelineSnapshotOptions): TimelineSnapshot;
  /**
   * The same snapshot as UTF-8 JSON, ready to send: `JSON.parse(snapshotJson(…).toString())` deep-equals
   * `snapshot(…)` taken at the same moment (except `serverTimeMs`). Lets a store skip decoding and
   * re-encoding entities it can vouch for.
   */
  snapshotJson(convId: string, options?: TimelineSnapshotOptions): Buffer;
  /** Every entity of a conversation with its version (loads the projector's working set). */
  entities(convId: string): VersionedEntity[];
  /** The conversation's current version (0 when unknown). */
  version(convId: string): number;
  close(): void;
}
