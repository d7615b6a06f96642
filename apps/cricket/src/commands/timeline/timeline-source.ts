import type { EntityRow } from './entity-row.js';

/** `since_version` and `limit` of a snapshot. */
export interface SnapshotQuery {
  /** Only entities whose version is strictly greater. */
  sinceVersion: number;
  /** At most this many entities (0 = all). */
  limit: number;
}

/** A conversation's `/timeline` snapshot. */
export interface SnapshotView {
  convId: string;
  /** The conversation's version. */
  version: number;
  serverTimeMs: number;
  /** The entities, ordered by (version, id). */
  entities: unknown[];
  /** The snapshot as one JSON document. */
  json: string;
}

/** Inclusive version bounds of `timeline entities` (0 = unbounded). */
export interface VersionRange {
  min: number;
  max: number;
}

/** Where `snapshot`, `entities` and `entity` read a conversation from: a database file or a server. */
export interface TimelineSource {
  /** Whether rows carry the version of each entity (a database does; a `/timeline` body does not). */
  readonly perEntityVersions: boolean;
  snapshot(convId: string, query: SnapshotQuery): Promise<SnapshotView>;
  /**
   * Every entity of the conversation whose version is within `range`, ordered by (version, entity_id)
   * ascending. An unknown conversation has none.
   */
  entities(convId: string, range: VersionRange): Promise<EntityRow[]>;
}
