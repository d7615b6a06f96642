import { readInt64, type TimelineEntity } from '@cricket/protocol';

/**
 * One entity of a conversation as `timeline entities` / `timeline entity` see it: a `timeline_entities`
 * row read from SQLite, or an entity of a `/timeline` body put in the same shape.
 */
export interface EntityRow {
  conv_id: string;
  entity_id: string;
  kind: string;
  created_at_ms: number;
  updated_at_ms: number;
  /**
   * The version (frame `seq`) of the entity's last write. `null` when the source does not carry it: a
   * `/timeline` body has the conversation's version and each entity's `createdVersion`, not this.
   */
  version: number | null;
  entity_json: string;
}

/** A row of `SELECT * FROM timeline_entities` (Cricket's or the reference's layout). */
export function entityRowFromColumns(value: unknown): EntityRow {
  const row = value as Record<string, unknown>;
  return {
    conv_id: String(row.conv_id),
    entity_id: String(row.entity_id),
    kind: String(row.kind),
    created_at_ms: Number(row.created_at_ms),
    updated_at_ms: Number(row.updated_at_ms),
    version: Number(row.version),
    entity_json: String(row.entity_json),
  };
}

/**
 * An entity of a `/timeline` body: the times come from its `createdAtMs` / `updatedAtMs` stamps (the
 * store's columns), `entity_json` is the entity as the server sent it, and the version is unknown.
 */
export function entityRowFromEntity(convId: string, entity: TimelineEntity): EntityRow {
  return {
    conv_id: convId,
    entity_id: entity.id,
    kind: entity.kind,
    created_at_ms: readInt64(entity.createdAtMs),
    updated_at_ms: readInt64(entity.updatedAtMs),
    version: null,
    entity_json: JSON.stringify(entity),
  };
}
