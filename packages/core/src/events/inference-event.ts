import { z } from 'zod';
import { eventMetadataSchema } from './event-metadata.js';

const meta = eventMetadataSchema;
const toolCallPayload = z.object({ id: z.string(), name: z.string(), input: z.string() });

/**
 * Every event type Cricket's framework emits, as a zod discriminated union on `type`. The type strings
 * are the reference framework's catalogue, so its NDJSON event logs decode here unchanged.
 */
export const inferenceEventSchema = z.discriminatedUnion('type', [
  /** An engine call began streaming. */
  z.object({ type: z.literal('start'), meta }),
  /** A text delta; `completion` is the text accumulated so far in this engine call. */
  z.object({ type: z.literal('partial'), meta, delta: z.string(), completion: z.string() }),
  /** A thinking / reasoning-summary delta. */
  z.object({ type: z.literal('partial-thinking'), meta, delta: z.string(), completion: z.string() }),
  /** The engine call finished; `text` is the full assistant text of this call. */
  z.object({ type: z.literal('final'), meta, text: z.string() }),
  /** The engine call was cancelled; `text` is what had streamed. */
  z.object({ type: z.literal('interrupt'), meta, text: z.string() }),
  /** A failure. `code` and `blame` come from a Cricket error when there is one. */
  z.object({
    type: z.literal('error'),
    meta,
    error_string: z.string(),
    code: z.string().optional(),
    blame: z.enum(['user', 'provider', 'system']).optional(),
  }),
  /** The model requested a tool call (`input` is the arguments as JSON text). */
  z.object({ type: z.literal('tool-call'), meta, tool_call: toolCallPayload }),
  /** A provider-side tool result. */
  z.object({ type: z.literal('tool-result'), meta, tool_result: z.object({ id: z.string(), result: z.string() }) }),
  /** The executor started a tool call (arguments masked for display). */
  z.object({ type: z.literal('tool-call-execute'), meta, tool_call: toolCallPayload }),
  /** The executor finished a tool call. `result` is JSON text, `Error: msg`, or both joined by ` | `. */
  z.object({
    type: z.literal('tool-call-execution-result'),
    meta,
    tool_result: z.object({
      id: z.string(),
      name: z.string().optional(),
      result: z.string(),
      error: z.string().optional(),
      duration_ms: z.number().optional(),
    }),
  }),
  /** An application log line meant for the user or operator. */
  z.object({
    type: z.literal('log'),
    meta,
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
  /** A marker or notice (e.g. `thinking-started`, `reasoning-summary`). */
  z.object({ type: z.literal('info'), meta, message: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
  /** Step mode paused the tool loop; continue with `pause_id`. */
  z.object({
    type: z.literal('debugger.pause'),
    meta,
    pause_id: z.string(),
    phase: z.enum(['after_inference', 'after_tools']),
    summary: z.string(),
    deadline_ms: z.number(),
    extra: z.record(z.string(), z.unknown()).optional(),
  }),
  /** The agent-mode middleware switched modes. */
  z.object({
    type: z.literal('agent-mode-switch'),
    meta,
    message: z.string(),
    data: z.object({ from: z.string(), to: z.string(), analysis: z.string().optional() }),
  }),
  z.object({ type: z.literal('web-search-started'), meta, item_id: z.string(), query: z.string().optional() }),
  z.object({ type: z.literal('web-search-open-page'), meta, item_id: z.string(), url: z.string() }),
  z.object({
    type: z.literal([
      'web-search-searching',
      'web-search-done',
      'file-search-started',
      'file-search-searching',
      'file-search-done',
      'code-interpreter-started',
      'code-interpreter-interpreting',
      'code-interpreter-done',
      'mcp-in-progress',
      'mcp-completed',
      'mcp-failed',
      'mcp-list-tools-in-progress',
      'mcp-list-tools-completed',
      'mcp-list-tools-failed',
      'image-generation-in-progress',
      'image-generation-generating',
      'image-generation-completed',
    ]),
    meta,
    item_id: z.string(),
  }),
  /** A citation annotation on the output text. */
  z.object({
    type: z.literal('citation'),
    meta,
    title: z.string(),
    url: z.string(),
    start_index: z.number().optional(),
    end_index: z.number().optional(),
    output_index: z.number().optional(),
    content_index: z.number().optional(),
    annotation_index: z.number().optional(),
  }),
  z.object({
    type: z.literal(['code-interpreter-code-delta', 'mcp-args-delta']),
    meta,
    item_id: z.string(),
    delta: z.string(),
  }),
  z.object({ type: z.literal('code-interpreter-code-done'), meta, item_id: z.string(), code: z.string() }),
  z.object({ type: z.literal('mcp-args-done'), meta, item_id: z.string(), arguments: z.string() }),
  z.object({ type: z.literal('reasoning-text-delta'), meta, delta: z.string() }),
  z.object({ type: z.literal('reasoning-text-done'), meta, text: z.string() }),
  z.object({
    type: z.literal('image-generation-partial-image'),
    meta,
    item_id: z.string(),
    partial_image_base64: z.string(),
  }),
  z.object({
    type: z.literal('tool-search-results'),
    meta,
    tool: z.string(),
    item_id: z.string(),
    results: z.array(
      z.object({ url: z.string(), title: z.string(), snippet: z.string().optional(), ext: z.string().optional() }),
    ),
  }),
]);

/** The typed event union. Narrow on `type`. */
export type InferenceEvent = z.infer<typeof inferenceEventSchema>;
/** Every event type string. */
export type InferenceEventType = InferenceEvent['type'];
/** The event variant of one type. */
export type InferenceEventOf<T extends InferenceEventType> = Extract<InferenceEvent, { type: T }>;
