import { z } from 'zod';

/** One entry of `GET /api/conversations`. */
export const conversationSummarySchema = z.object({
  conv_id: z.string(),
  profile: z.string(),
  session_id: z.string(),
  created_at_ms: z.number(),
  last_activity_ms: z.number(),
  /** Highest `seq` written so far. */
  last_seq: z.number(),
  running: z.boolean(),
  queue_depth: z.number(),
  /** First user prompt, shortened, for lists. */
  title: z.string().optional(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/** `GET /api/conversations`: most recently active first. */
export const conversationListSchema = z.object({ items: z.array(conversationSummarySchema) });
export type ConversationList = z.infer<typeof conversationListSchema>;
