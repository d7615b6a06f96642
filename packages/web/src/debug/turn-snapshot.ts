import type { TurnSnapshotRecord } from '@cricket/protocol';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The snapshot phases the tool loop records, in the order they happen within one engine call. */
export const turnPhases = ['pre_inference', 'post_inference', 'post_tools', 'final'] as const;
export type TurnPhase = (typeof turnPhases)[number];

/** Display names of the phases. */
export const phaseLabels: Record<TurnPhase, string> = {
  pre_inference: 'Pre-inference',
  post_inference: 'Post-inference',
  post_tools: 'Post-tools',
  final: 'Final',
};

/** The block kinds of a turn; anything else is shown as it is spelled, styled like `other`. */
export const blockKinds = ['system', 'user', 'llm_text', 'tool_call', 'tool_use', 'reasoning', 'other'] as const;
export type BlockKind = (typeof blockKinds)[number];

/** Turn metadata key holding the inference id. */
export const inferenceIdKey = 'geppetto.inference_id@v1';
/** Block metadata key naming the middleware that wrote the block. */
export const middlewareKey = 'geppetto.middleware@v1';

/** One block of a snapshot, as stored (payload and metadata are free-form JSON values). */
export interface SnapshotBlock {
  /** Position in the turn (0-based). */
  index: number;
  /** Block id; `''` when the block has none. */
  id: string;
  kind: string;
  role: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** The turn inside a snapshot. */
export interface SnapshotTurn {
  id: string;
  blocks: SnapshotBlock[];
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
}

/** A stored snapshot with its turn read from YAML; `error` says why `turn` is empty when it could not be read. */
export interface TurnSnapshot {
  /** Stable key within one listing: `<turn_id>:<ordinal>`. */
  key: string;
  /** Position in recording order (0 = oldest) within the listing it came from. */
  ordinal: number;
  convId: string;
  sessionId: string;
  turnId: string;
  /** `pre_inference`, `post_inference`, `post_tools`, `final`, or whatever else the server stored. */
  phase: string;
  createdAtMs: number;
  /** From the turn metadata; `''` when absent. */
  inferenceId: string;
  turn: SnapshotTurn;
  yaml: string;
  error?: string;
}

const recordSchema = z.record(z.string(), z.unknown());
const idSchema = z.union([z.string(), z.number()]).transform(String);

const blockSchema = z.object({
  id: idSchema.nullish(),
  kind: z.string(),
  role: z.string().nullish(),
  payload: recordSchema.nullish(),
  metadata: recordSchema.nullish(),
});

const turnSchema = z.object({
  id: idSchema.nullish(),
  blocks: z.array(z.unknown()).nullish(),
  metadata: recordSchema.nullish(),
  data: recordSchema.nullish(),
});

/** Whether `phase` is one of the four recorded phases. */
export function isTurnPhase(phase: string): phase is TurnPhase {
  return (turnPhases as readonly string[]).includes(phase);
}

/** Whether `kind` is one of the seven block kinds. */
export function isBlockKind(kind: string): kind is BlockKind {
  return (blockKinds as readonly string[]).includes(kind);
}

/**
 * Reads a snapshot's YAML into blocks, metadata and data. Tolerant by design: a block that does not
 * validate is kept as an `other` block carrying what could be read, so one odd block never hides a
 * turn. Throws only when the YAML itself is unreadable or is not a turn at all.
 */
export function parseSnapshotTurn(yaml: string): SnapshotTurn {
  const value: unknown = parseYaml(yaml);
  if (value === null || value === undefined) return { id: '', blocks: [], metadata: {}, data: {} };
  const parsed = turnSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a turn: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return {
    id: parsed.data.id ?? '',
    blocks: (parsed.data.blocks ?? []).map(readBlock),
    metadata: parsed.data.metadata ?? {},
    data: parsed.data.data ?? {},
  };
}

function readBlock(raw: unknown, index: number): SnapshotBlock {
  const parsed = blockSchema.safeParse(raw);
  if (!parsed.success) {
    return { index, id: '', kind: 'other', role: '', payload: { value: raw }, metadata: {} };
  }
  const kind = parsed.data.kind.trim().toLowerCase();
  const payload = parsed.data.payload ?? {};
  // Tool calls are identified by their call id when the block itself has none.
  const fallbackId = kind === 'tool_call' && typeof payload.id === 'string' ? payload.id : '';
  return {
    index,
    id: parsed.data.id ?? fallbackId,
    kind,
    role: parsed.data.role ?? (kind === 'llm_text' ? 'assistant' : ''),
    payload,
    metadata: parsed.data.metadata ?? {},
  };
}

/** Parsed turns by YAML text: polling returns the same snapshots again and again. */
const parsedTurns = new Map<string, { turn: SnapshotTurn } | { error: string }>();
const parsedTurnsLimit = 4000;

function parseCached(yaml: string): { turn: SnapshotTurn } | { error: string } {
  let parsed = parsedTurns.get(yaml);
  if (!parsed) {
    try {
      parsed = { turn: parseSnapshotTurn(yaml) };
    } catch (cause) {
      parsed = { error: cause instanceof Error ? cause.message : String(cause) };
    }
    if (parsedTurns.size >= parsedTurnsLimit) parsedTurns.clear();
    parsedTurns.set(yaml, parsed);
  }
  return parsed;
}

/**
 * Reads the server's snapshot records (newest first, as `/api/debug/turns` returns them) into
 * snapshots in recording order. Unreadable YAML yields a snapshot with an empty turn and `error` set.
 */
export function readSnapshots(records: readonly TurnSnapshotRecord[]): TurnSnapshot[] {
  const oldestFirst = [...records].reverse();
  return oldestFirst.map((record, ordinal) => {
    const parsed = parseCached(record.payload);
    const turn = 'turn' in parsed ? parsed.turn : { id: record.turn_id, blocks: [], metadata: {}, data: {} };
    const error = 'error' in parsed ? parsed.error : undefined;
    const inferenceId = turn.metadata[inferenceIdKey];
    const snapshot: TurnSnapshot = {
      key: `${record.turn_id}:${ordinal}`,
      ordinal,
      convId: record.conv_id,
      sessionId: record.session_id,
      turnId: record.turn_id,
      phase: record.phase,
      createdAtMs: record.created_at_ms,
      inferenceId: typeof inferenceId === 'string' ? inferenceId : '',
      turn,
      yaml: record.payload,
    };
    if (error !== undefined) snapshot.error = error;
    return snapshot;
  });
}

/** The readable text of a block: its `text`, a tool call's name, a tool result, or `''`. */
export function blockText(block: SnapshotBlock): string {
  const { payload } = block;
  if (typeof payload.text === 'string') return payload.text;
  if (block.kind === 'tool_call' && typeof payload.name === 'string') return payload.name;
  if (block.kind === 'tool_use') {
    if (typeof payload.error === 'string' && payload.error !== '') return payload.error;
    if (typeof payload.result === 'string') return payload.result;
  }
  return '';
}
