import { z } from 'zod';
import { int64Schema, structSchema } from '../proto-json.js';

/** `MessageSnapshotV1`: a user, assistant or thinking message. */
export const messageSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  role: z.string().optional(),
  content: z.string().optional(),
  streaming: z.boolean().optional(),
  /** String map: Cricket puts `model`, `stopReason`, `inputTokens`, `outputTokens`, `inferenceId`, `interrupted` here. */
  metadata: z.record(z.string(), z.string()).optional(),
});
/** `ToolCallSnapshotV1`. `status`: `running` | `completed` | `error` | `interrupted`. */
export const toolCallSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  name: z.string().optional(),
  input: structSchema.optional(),
  status: z.string().optional(),
  progress: z.number().optional(),
  done: z.boolean().optional(),
});
/** `ToolResultSnapshotV1`. */
export const toolResultSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  toolCallId: z.string().optional(),
  result: structSchema.optional(),
  error: z.string().optional(),
  resultRaw: z.string().optional(),
  customKind: z.string().optional(),
});
/** `StatusSnapshotV1`. */
export const statusSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  text: z.string().optional(),
  type: z.string().optional(),
});
/** `ThinkingModeSnapshotV1`. */
export const thinkingModeSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  status: z.string().optional(),
  mode: z.string().optional(),
  phase: z.string().optional(),
  reasoning: z.string().optional(),
  success: z.boolean().optional(),
  error: z.string().optional(),
});
/** Cricket: an agent-mode switch, persisted so it survives a reload. */
export const agentModeSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  title: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  analysis: z.string().optional(),
  data: structSchema.optional(),
});
/** Cricket: an error the user should see (provider, tool loop, server). */
export const errorSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  message: z.string().optional(),
  code: z.string().optional(),
  blame: z.string().optional(),
  inferenceId: z.string().optional(),
});
/** Cricket: a warning or error log line meant for the user. */
export const logSnapshotSchema = z.object({
  schemaVersion: z.number().optional(),
  level: z.string().optional(),
  message: z.string().optional(),
  fields: structSchema.optional(),
});

/**
 * `TimelineEntityV1`: one durable item of a conversation's timeline. Exactly one snapshot member is
 * set, named after `kind` in lowerCamelCase. Timestamps are int64 decimal strings.
 */
export const timelineEntitySchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  createdAtMs: int64Schema.optional(),
  updatedAtMs: int64Schema.optional(),
  /**
   * Cricket: the `seq` of the frame that created the entity. Gives server and clients one display
   * order that does not depend on anyone's clock.
   */
  createdVersion: int64Schema.optional(),
  message: messageSnapshotSchema.optional(),
  toolCall: toolCallSnapshotSchema.optional(),
  toolResult: toolResultSnapshotSchema.optional(),
  status: statusSnapshotSchema.optional(),
  thinkingMode: thinkingModeSnapshotSchema.optional(),
  modeEvaluation: structSchema.optional(),
  innerThoughts: structSchema.optional(),
  teamAnalysis: structSchema.optional(),
  discoDialogueLine: structSchema.optional(),
  discoDialogueCheck: structSchema.optional(),
  discoDialogueState: structSchema.optional(),
  agentMode: agentModeSnapshotSchema.optional(),
  error: errorSnapshotSchema.optional(),
  log: logSnapshotSchema.optional(),
});

/** `TimelineUpsertV1`: sent as `timeline.upsert` after every durable entity write. */
export const timelineUpsertSchema = z.object({
  convId: z.string().optional(),
  version: int64Schema.optional(),
  entity: timelineEntitySchema,
});

/** `TimelineSnapshotV1`: the `/timeline` body. `version` = the highest version of the conversation. */
export const timelineSnapshotSchema = z.object({
  convId: z.string().optional(),
  version: int64Schema.optional(),
  serverTimeMs: int64Schema.optional(),
  entities: z.array(timelineEntitySchema).optional(),
});

export type MessageSnapshot = z.infer<typeof messageSnapshotSchema>;
export type ToolCallSnapshot = z.infer<typeof toolCallSnapshotSchema>;
export type ToolResultSnapshot = z.infer<typeof toolResultSnapshotSchema>;
export type AgentModeSnapshot = z.infer<typeof agentModeSnapshotSchema>;
export type ErrorSnapshot = z.infer<typeof errorSnapshotSchema>;
export type LogSnapshot = z.infer<typeof logSnapshotSchema>;
export type TimelineEntity = z.infer<typeof timelineEntitySchema>;
export type TimelineUpsert = z.infer<typeof timelineUpsertSchema>;
export type TimelineSnapshot = z.infer<typeof timelineSnapshotSchema>;
