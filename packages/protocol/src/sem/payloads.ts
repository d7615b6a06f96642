import { z } from 'zod';
import { int64Schema, structSchema } from '../proto-json.js';

/** `llm.start`, `llm.thinking.start` (`sem.base.llm.LlmStart`). */
export const llmStartSchema = z.object({ id: z.string(), role: z.string().optional() });
/** `llm.delta`, `llm.thinking.delta`: `cumulative` is the whole text so far. */
export const llmDeltaSchema = z.object({
  id: z.string(),
  delta: z.string().optional(),
  cumulative: z.string().optional(),
});
/** `llm.final`: the complete text. */
export const llmFinalSchema = z.object({ id: z.string(), text: z.string().optional() });
/** `llm.thinking.final`. */
export const llmDoneSchema = z.object({ id: z.string() });

/** Token usage (`sem.base.meta.UsageV1`). */
export const usageV1Schema = z.object({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  cachedTokens: z.number().optional(),
  cacheCreationInputTokens: z.number().optional(),
  cacheReadInputTokens: z.number().optional(),
  reasoningTokens: z.number().optional(),
});

/** `event.metadata` of llm frames (`LlmInferenceMetadataV1`). */
export const llmInferenceMetadataSchema = z.object({
  model: z.string().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  maxTokens: z.number().optional(),
  stopReason: z.string().optional(),
  usage: usageV1Schema.optional(),
  durationMs: int64Schema.optional(),
});

/** `tool.start`: `input` is the arguments object (omitted when not an object). */
export const toolStartSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  input: structSchema.optional(),
});
/** `tool.delta`: a patch (`{exec: true, input}` when execution starts). */
export const toolDeltaSchema = z.object({ id: z.string(), patch: structSchema.optional() });
/**
 * `tool.result`: `result` is the raw result text. Cricket adds `error` (the failure message) so a
 * failed call is distinguishable without parsing `result`.
 */
export const toolResultSchema = z.object({
  id: z.string(),
  result: z.string().optional(),
  customKind: z.string().optional(),
  error: z.string().optional(),
});
/** `tool.done`. */
export const toolDoneSchema = z.object({ id: z.string() });

/** `agent.mode` (`AgentModeV1`). */
export const agentModeSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  data: structSchema.optional(),
});
/** `debugger.pause` (`DebuggerPauseV1`). */
export const debuggerPauseSchema = z.object({
  id: z.string(),
  pauseId: z.string().optional(),
  phase: z.string().optional(),
  summary: z.string().optional(),
  deadlineMs: int64Schema.optional(),
  extra: structSchema.optional(),
});
/** `log` (`LogV1`). */
export const logSchema = z.object({
  id: z.string(),
  level: z.string().optional(),
  message: z.string().optional(),
  fields: structSchema.optional(),
});
/**
 * `error`: an inference, provider or tool-loop failure. Not in the reference (which dropped errors);
 * `inferenceId` ties it to the inference that failed.
 */
export const errorPayloadSchema = z.object({
  id: z.string(),
  message: z.string().optional(),
  code: z.string().optional(),
  blame: z.string().optional(),
  inferenceId: z.string().optional(),
});
/** `ws.hello` (`WsHelloV1`). */
export const wsHelloSchema = z.object({
  convId: z.string().optional(),
  profile: z.string().optional(),
  serverTime: int64Schema.optional(),
});
/** `ws.pong` (`WsPongV1`). */
export const wsPongSchema = z.object({ convId: z.string().optional(), serverTime: int64Schema.optional() });
/** `thinking.mode.*` payload (`ThinkingModePayload`). */
export const thinkingModePayloadSchema = z.object({
  mode: z.string().optional(),
  phase: z.string().optional(),
  reasoning: z.string().optional(),
  extraData: structSchema.optional(),
});
/** `thinking.mode.started` / `.update` / `.completed`. */
export const thinkingModeSchema = z.object({
  itemId: z.string().optional(),
  data: thinkingModePayloadSchema.optional(),
  success: z.boolean().optional(),
  error: z.string().optional(),
});

export type LlmStart = z.infer<typeof llmStartSchema>;
export type LlmDelta = z.infer<typeof llmDeltaSchema>;
export type LlmFinal = z.infer<typeof llmFinalSchema>;
export type LlmDone = z.infer<typeof llmDoneSchema>;
export type UsageV1 = z.infer<typeof usageV1Schema>;
export type LlmInferenceMetadata = z.infer<typeof llmInferenceMetadataSchema>;
export type ToolStart = z.infer<typeof toolStartSchema>;
export type ToolDelta = z.infer<typeof toolDeltaSchema>;
export type ToolResult = z.infer<typeof toolResultSchema>;
export type ToolDone = z.infer<typeof toolDoneSchema>;
export type AgentModePayload = z.infer<typeof agentModeSchema>;
export type DebuggerPausePayload = z.infer<typeof debuggerPauseSchema>;
export type LogPayload = z.infer<typeof logSchema>;
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;
export type WsHello = z.infer<typeof wsHelloSchema>;
export type WsPong = z.infer<typeof wsPongSchema>;
export type ThinkingModePayload = z.infer<typeof thinkingModeSchema>;
