import { conversationSummarySchema, turnSnapshotSchema } from '@cricket/protocol';
import { z } from 'zod';

/**
 * Response bodies of the server's debug API (`/api/debug/*`). Items that carry wire frames or timeline
 * entities keep them as `unknown` here: one malformed frame must not hide the rest of the log, so those
 * are validated one by one (see `debug-api.ts`).
 */

/** `GET /api/debug/conversations`. */
export const debugConversationsSchema = z.object({ items: z.array(conversationSummarySchema) });

/** One session of a conversation, from its turn snapshots. */
export const debugSessionSchema = z.object({
  session_id: z.string(),
  first_ms: z.number(),
  last_ms: z.number(),
  snapshots: z.number().int().nonnegative(),
});
export type DebugSession = z.infer<typeof debugSessionSchema>;

/** `GET /api/debug/conversations/:convId/sessions`. */
export const debugSessionsSchema = z.object({
  conv_id: z.string(),
  current_session_id: z.string(),
  items: z.array(debugSessionSchema),
});
export type DebugSessions = z.infer<typeof debugSessionsSchema>;

/** `GET /api/debug/turns`: snapshots newest first; `payload` is the turn's YAML. */
export const debugTurnsSchema = z.object({ items: z.array(turnSnapshotSchema) });

/** One entry of the event log before its frame is validated. */
export const debugEventItemSchema = z.object({
  seq: z.number().int().nonnegative(),
  type: z.string(),
  id: z.string(),
  session_id: z.string(),
  inference_id: z.string(),
  turn_id: z.string(),
  created_at_ms: z.number(),
  frame: z.unknown(),
});

/** `GET /api/debug/events`. */
export const debugEventsSchema = z.object({
  conv_id: z.string(),
  items: z.array(debugEventItemSchema),
  last_seq: z.number().int().nonnegative(),
});

/** `GET /api/debug/timeline`: each entity with the version (seq) of its last write. */
export const debugTimelineSchema = z.object({
  conv_id: z.string(),
  version: z.number().int().nonnegative(),
  items: z.array(z.object({ version: z.number().int().nonnegative(), entity: z.unknown() })),
});

/** A step-mode pause waiting for someone to continue it. */
export const stepPauseSchema = z.object({
  pause_id: z.string(),
  session_id: z.string(),
  phase: z.string(),
  summary: z.string(),
  deadline_ms: z.number(),
  extra: z.record(z.string(), z.unknown()),
});
export type StepPause = z.infer<typeof stepPauseSchema>;

/** `GET /api/debug/step`. */
export const stepPendingSchema = z.object({ pending: z.array(stepPauseSchema) });

/** `POST /api/debug/step/enable` and `/disable`. */
export const stepToggleSchema = z.object({ ok: z.boolean(), session_id: z.string(), conv_id: z.string().optional() });

/** `POST /api/debug/continue`. */
export const continueSchema = z.object({ ok: z.boolean(), pause: stepPauseSchema });
