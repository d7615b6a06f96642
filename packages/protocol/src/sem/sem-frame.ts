import { z } from 'zod';
import { structSchema } from '../proto-json.js';
import { timelineUpsertSchema } from '../timeline/timeline-entity.js';
import {
  agentModeSchema,
  debuggerPauseSchema,
  errorPayloadSchema,
  llmDeltaSchema,
  llmDoneSchema,
  llmFinalSchema,
  llmInferenceMetadataSchema,
  llmStartSchema,
  logSchema,
  thinkingModeSchema,
  toolDeltaSchema,
  toolDoneSchema,
  toolResultSchema,
  toolStartSchema,
  wsHelloSchema,
  wsPongSchema,
} from './payloads.js';

/**
 * The SEM envelope every server frame uses: `{"sem": true, "event": {type, id, seq?, stream_id?, data,
 * metadata?}}`. `seq` is Cricket's per-conversation sequence number: a safe integer, strictly increasing
 * for the life of the conversation (across restarts), absent on `ws.hello`/`ws.pong`; on
 * `timeline.upsert` it equals the version (= seq of the frame that caused the write).
 */
export const semEnvelopeSchema = z.object({
  sem: z.literal(true),
  event: z.object({
    type: z.string().min(1),
    id: z.string(),
    seq: z.number().int().nonnegative().optional(),
    stream_id: z.string().optional(),
    data: structSchema.optional(),
    metadata: llmInferenceMetadataSchema.optional(),
  }),
});

/** Any well-formed SEM frame (known or not). */
export type SemEnvelope = z.infer<typeof semEnvelopeSchema>;

function frame<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({
    type: z.literal(type),
    id: z.string(),
    seq: z.number().int().nonnegative().optional(),
    stream_id: z.string().optional(),
    data,
    metadata: llmInferenceMetadataSchema.optional(),
  });
}

/** The frame types Cricket's server sends, each with its payload schema. */
export const semEventSchema = z.discriminatedUnion('type', [
  frame('llm.start', llmStartSchema),
  frame('llm.delta', llmDeltaSchema),
  frame('llm.final', llmFinalSchema),
  frame('llm.thinking.start', llmStartSchema),
  frame('llm.thinking.delta', llmDeltaSchema),
  frame('llm.thinking.final', llmDoneSchema),
  frame('tool.start', toolStartSchema),
  frame('tool.delta', toolDeltaSchema),
  frame('tool.result', toolResultSchema),
  frame('tool.done', toolDoneSchema),
  frame('agent.mode', agentModeSchema),
  frame('debugger.pause', debuggerPauseSchema),
  frame('log', logSchema),
  frame('error', errorPayloadSchema),
  frame('thinking.mode.started', thinkingModeSchema),
  frame('thinking.mode.update', thinkingModeSchema),
  frame('thinking.mode.completed', thinkingModeSchema),
  frame('ws.hello', wsHelloSchema),
  frame('ws.pong', wsPongSchema),
  frame('timeline.upsert', timelineUpsertSchema),
]);

/** A known SEM event (the `event` member of the envelope), narrowed by `type`. */
export type SemEvent = z.infer<typeof semEventSchema>;
/** Every known SEM type. */
export type SemEventType = SemEvent['type'];
/** The SEM event of one type. */
export type SemEventOf<T extends SemEventType> = Extract<SemEvent, { type: T }>;
/** A known SEM frame as sent on the wire. */
export interface SemFrame<E extends SemEvent = SemEvent> {
  sem: true;
  event: E;
}

/** Outcome of {@link parseSemFrame}. */
export type ParsedSemFrame =
  | { kind: 'known'; frame: SemFrame }
  | { kind: 'unknown'; envelope: SemEnvelope }
  | { kind: 'invalid'; error: string };

/**
 * Parses one WebSocket text frame. Known types are validated against their payload schema; a
 * well-formed envelope of an unknown type is returned as `unknown` (clients should ignore it, not
 * fail); anything else is `invalid` with a reason.
 */
export function parseSemFrame(text: string): ParsedSemFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const envelope = semEnvelopeSchema.safeParse(value);
  if (!envelope.success) return { kind: 'invalid', error: `not a SEM envelope: ${issues(envelope.error)}` };
  const known = semEventSchema.safeParse(envelope.data.event);
  if (known.success) return { kind: 'known', frame: { sem: true, event: known.data } };
  const isKnownType = semEventSchema.options.some((option) => option.shape.type.value === envelope.data.event.type);
  if (isKnownType)
    return { kind: 'invalid', error: `invalid ${envelope.data.event.type} frame: ${issues(known.error)}` };
  return { kind: 'unknown', envelope: envelope.data };
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Serialises a frame. `seq` is written as a plain JSON number. */
export function encodeSemFrame(event: SemEvent): string {
  return JSON.stringify({ sem: true, event });
}
