import type { TimelineEntity } from '@cricket/protocol';

/** The store-managed fields stamped onto every written entity. */
export interface TimelineStamp {
  createdAtMs: number;
  updatedAtMs: number;
  createdVersion: number;
}

/** Snapshot members that are protobuf messages: their zero-valued fields are omitted too. */
const messageMembers: ReadonlySet<string> = new Set<keyof TimelineEntity>([
  'message',
  'toolCall',
  'toolResult',
  'status',
  'thinkingMode',
  'agentMode',
  'error',
  'log',
]);

/** Fields written from the stamp, never copied from the entity. */
const stampedFields: ReadonlySet<string> = new Set<keyof TimelineEntity>([
  'id',
  'kind',
  'createdAtMs',
  'updatedAtMs',
  'createdVersion',
]);

/**
 * The entity as stores keep and return it: `id`, `kind`, then the stamp (int64 decimal strings), then
 * the other members with zero values omitted the way protobuf JSON does — on the entity and inside its
 * typed snapshot members (a message's empty `content`, `streaming: false`, an empty `metadata` map…).
 * `google.protobuf.Struct` values (`toolCall.input`, `toolResult.result`, custom snapshots) are kept as
 * they are. Never mutates `entity`; the result shares Struct values with it.
 *
 * On the streaming hot path (every upserted entity), hence plain loops instead of `omitZero`.
 */
export function stampTimelineEntity(entity: TimelineEntity, stamp: TimelineStamp): TimelineEntity {
  const out: Record<string, unknown> = {
    id: entity.id,
    kind: entity.kind,
    createdAtMs: String(Math.trunc(stamp.createdAtMs)),
    updatedAtMs: String(Math.trunc(stamp.updatedAtMs)),
    createdVersion: String(Math.trunc(stamp.createdVersion)),
  };
  const source: Record<string, unknown> = entity;
  for (const key in source) {
    if (stampedFields.has(key) || !Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (isZeroValue(value)) continue;
    out[key] = messageMembers.has(key) && isPlainRecord(value) ? omitZeroFields(value) : value;
  }
  return out as TimelineEntity;
}

function omitZeroFields(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in message) {
    if (!Object.hasOwn(message, key)) continue;
    const value = message[key];
    if (isZeroValue(value)) continue;
    if (key === 'metadata' && isPlainRecord(value) && isEmptyRecord(value)) continue;
    out[key] = value;
  }
  return out;
}

/** Protobuf JSON's zero values: `undefined`, `''`, `0`, `false`, an empty array (`null` counts as unset). */
function isZeroValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === 0 ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyRecord(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}
