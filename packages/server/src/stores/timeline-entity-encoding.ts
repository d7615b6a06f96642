import { int64, omitZero, type TimelineEntity } from '@cricket/protocol';

/** The store-managed fields stamped onto every written entity. */
export interface TimelineStamp {
  createdAtMs: number;
  updatedAtMs: number;
  createdVersion: number;
}

/** Snapshot members that are protobuf messages: their zero-valued fields are omitted too. */
const messageMembers = [
  'message',
  'toolCall',
  'toolResult',
  'status',
  'thinkingMode',
  'agentMode',
  'error',
  'log',
] as const satisfies readonly (keyof TimelineEntity)[];

const int64Fields = ['createdAtMs', 'updatedAtMs', 'createdVersion'];

/**
 * The entity as stores keep and return it: the stamp applied (int64 decimal strings) and zero values
 * omitted the way protobuf JSON does, on the entity and inside its typed snapshot members (a message's
 * empty `content`, `streaming: false`, an empty `metadata` map…). `google.protobuf.Struct` values
 * (`toolCall.input`, `toolResult.result`, custom snapshots) are kept as they are. Never mutates `entity`;
 * the result shares Struct values with it.
 */
export function stampTimelineEntity(entity: TimelineEntity, stamp: TimelineStamp): TimelineEntity {
  const out: TimelineEntity = omitZero(
    {
      ...entity,
      createdAtMs: int64(stamp.createdAtMs),
      updatedAtMs: int64(stamp.updatedAtMs),
      createdVersion: int64(stamp.createdVersion),
    },
    int64Fields,
  );
  for (const member of messageMembers) {
    const value = out[member];
    if (value !== undefined) Object.assign(out, { [member]: omitZeroMember(value) });
  }
  return out;
}

function omitZeroMember<T extends Record<string, unknown>>(member: T): T {
  const out: Record<string, unknown> = omitZero(member);
  const metadata = out.metadata;
  if (typeof metadata === 'object' && metadata !== null && Object.keys(metadata).length === 0) delete out.metadata;
  return out as T;
}
