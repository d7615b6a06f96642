import { z } from 'zod';
import { usageSchema } from '../engine/usage.js';

/**
 * Correlation and inference data carried by every event (`meta` on the wire). `message_id` names one
 * provider stream (one engine call); session, inference and turn ids tie the event to the state track
 * (turn snapshots) so UIs can cross-link them.
 */
export const eventMetadataSchema = z.object({
  message_id: z.string(),
  session_id: z.string().optional(),
  inference_id: z.string().optional(),
  turn_id: z.string().optional(),
  model: z.string().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  max_tokens: z.number().optional(),
  stop_reason: z.string().optional(),
  usage: usageSchema.optional(),
  duration_ms: z.number().optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

/** See {@link eventMetadataSchema}. */
export type EventMetadata = z.infer<typeof eventMetadataSchema>;
