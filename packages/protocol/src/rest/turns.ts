import { z } from 'zod';

/** Snapshot phases recorded in the turn store. */
export const turnPhaseSchema = z.enum(['pre_inference', 'post_inference', 'post_tools', 'final']);
export type TurnPhase = z.infer<typeof turnPhaseSchema>;

/** One stored turn snapshot; `payload` is the turn's YAML. */
export const turnSnapshotSchema = z.object({
  conv_id: z.string(),
  session_id: z.string(),
  turn_id: z.string(),
  phase: z.string(),
  created_at_ms: z.number(),
  payload: z.string(),
});
export type TurnSnapshotRecord = z.infer<typeof turnSnapshotSchema>;

/** `GET /turns` body: the echoed filters and `items`, newest first. */
export const turnsResponseSchema = z.object({
  conv_id: z.string(),
  session_id: z.string(),
  phase: z.string(),
  since_ms: z.number(),
  items: z.array(turnSnapshotSchema),
});
export type TurnsResponse = z.infer<typeof turnsResponseSchema>;
