import { z } from 'zod';

/** Longest accepted idempotency key. */
export const maxIdempotencyKeyLength = 255;

/**
 * `POST /chat` and `POST /chat/{profile}` body. Unknown fields (a legacy session alias, for example)
 * are ignored, never echoed.
 */
export const chatRequestSchema = z.looseObject({
  prompt: z.string().optional(),
  /** Alias of `prompt`, used only when `prompt` is empty. */
  text: z.string().optional(),
  conv_id: z.string().optional(),
  /** Engine overrides (`system_prompt`, `middlewares`, `tools`) and runtime options (`step_mode`). */
  overrides: z.record(z.string(), z.unknown()).optional(),
  idempotency_key: z.string().max(maxIdempotencyKeyLength).optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Status of a `/chat` request record. */
export const chatRequestStatusSchema = z.enum(['queued', 'running', 'started', 'completed', 'error', 'interrupted']);
export type ChatRequestStatus = z.infer<typeof chatRequestStatusSchema>;

/**
 * `/chat` response. `started` (200) carries turn and inference ids; `queued` (202) carries the queue
 * position and depth; a replayed idempotent request returns the stored response with its current
 * status (200, or 202 while still queued).
 */
export const chatResponseSchema = z.object({
  status: chatRequestStatusSchema,
  conv_id: z.string(),
  session_id: z.string(),
  idempotency_key: z.string(),
  turn_id: z.string().optional(),
  inference_id: z.string().optional(),
  queue_position: z.number().int().positive().optional(),
  queue_depth: z.number().int().positive().optional(),
});
export type ChatResponse = z.infer<typeof chatResponseSchema>;

/** `POST /api/chat/stop` body. */
export const stopRequestSchema = z.looseObject({ conv_id: z.string().min(1) });
/** `POST /api/chat/stop` response: whether an inference was running and got cancelled. */
export const stopResponseSchema = z.object({
  conv_id: z.string(),
  stopped: z.boolean(),
  inference_id: z.string().optional(),
});
export type StopResponse = z.infer<typeof stopResponseSchema>;
