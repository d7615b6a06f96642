import { type TurnSnapshotRecord, timelineEntitySchema } from '@cricket/protocol';
import { stringify } from 'yaml';
import type { DebugEntity, DebugEvent } from './debug-api.js';
import type { SnapshotBlock, SnapshotTurn } from './turn-snapshot.js';

/**
 * Builders of debug-page data for tests: snapshot records with YAML payloads shaped like the turn
 * store's, events and timeline entities.
 */

/** A block with defaults for the fields a test does not care about. */
export function createBlock(fields: Partial<SnapshotBlock> & Pick<SnapshotBlock, 'kind'>): SnapshotBlock {
  return { index: 0, id: '', role: '', payload: {}, metadata: {}, ...fields };
}

/** A turn whose blocks are re-indexed in order. */
export function createTurn(blocks: SnapshotBlock[], fields: Partial<Omit<SnapshotTurn, 'blocks'>> = {}): SnapshotTurn {
  return {
    id: 'turn-1',
    metadata: {},
    data: {},
    ...fields,
    blocks: blocks.map((block, index) => ({ ...block, index })),
  };
}

/** A turn as YAML, in the turn store's layout. */
export function turnToYaml(turn: SnapshotTurn): string {
  const plain = {
    version: 1,
    id: turn.id,
    blocks: turn.blocks.map((block) => ({
      ...(block.id ? { id: block.id } : {}),
      kind: block.kind,
      ...(block.role ? { role: block.role } : {}),
      payload: block.payload,
      ...(Object.keys(block.metadata).length > 0 ? { metadata: block.metadata } : {}),
    })),
    metadata: turn.metadata,
    data: turn.data,
  };
  return stringify(plain);
}

/** A snapshot record for `phase` of `turn`, with the inference id written into the turn metadata. */
export function createRecord(
  phase: string,
  turn: SnapshotTurn,
  fields: { createdAtMs: number; inferenceId?: string; sessionId?: string; convId?: string },
): TurnSnapshotRecord {
  const metadata = fields.inferenceId
    ? { ...turn.metadata, 'geppetto.inference_id@v1': fields.inferenceId }
    : turn.metadata;
  return {
    conv_id: fields.convId ?? 'conv-1',
    session_id: fields.sessionId ?? 'session-1',
    turn_id: turn.id,
    phase,
    created_at_ms: fields.createdAtMs,
    payload: turnToYaml({ ...turn, metadata }),
  };
}

/** An event-log entry with a valid envelope. */
export function createEvent(
  seq: number,
  type: string,
  id: string,
  data: Record<string, unknown> = {},
  fields: Partial<Pick<DebugEvent, 'inferenceId' | 'turnId' | 'sessionId'>> = {},
): DebugEvent {
  const frame = { sem: true as const, event: { type, id, seq, data: { id, ...data } } };
  return {
    seq,
    type,
    id,
    sessionId: fields.sessionId ?? 'session-1',
    inferenceId: fields.inferenceId ?? '',
    turnId: fields.turnId ?? '',
    createdAtMs: 1_700_000_000_000 + seq,
    envelope: frame,
    frame,
  };
}

/** A timeline entity with the given versions. */
export function createEntity(
  id: string,
  kind: string,
  version: number,
  createdVersion: number,
  snapshot: Record<string, unknown> = {},
): DebugEntity {
  const raw = { id, kind, createdVersion: String(createdVersion), ...snapshot };
  return { version, id, kind, createdVersion, entity: timelineEntitySchema.parse(raw), raw };
}
