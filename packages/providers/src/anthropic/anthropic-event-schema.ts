import { z } from 'zod';

// Shapes of the `data:` payloads of a streamed Messages response. Each payload names its kind in
// `type` (the same string as the SSE `event:` line). Only the fields the engine reads are declared
// and unknown fields are ignored, so additions by Anthropic never break decoding; unknown event,
// content-block and delta types are skipped by the decoder, as Anthropic's versioning policy asks.

const tokenCount = z.number().int().nonnegative();
const index = z.number().int().nonnegative();

/**
 * Token counts. `message_start` carries the input side (`input_tokens` excludes cached tokens:
 * cache reads and writes are counted separately); `message_delta` carries cumulative totals, at
 * least `output_tokens`.
 */
export const anthropicUsageSchema = z.object({
  input_tokens: tokenCount.nullish(),
  output_tokens: tokenCount.nullish(),
  cache_creation_input_tokens: tokenCount.nullish(),
  cache_read_input_tokens: tokenCount.nullish(),
});

/** See {@link anthropicUsageSchema}. */
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** Every payload: only its `type` is required here; the decoder picks the specific schema. */
export const anthropicEventEnvelopeSchema = z.object({ type: z.string() });

/** `message_start`: the message with empty content, its id, the model that answers and the input usage. */
export const anthropicMessageStartSchema = z.object({
  type: z.literal('message_start'),
  message: z.object({
    id: z.string().nullish(),
    model: z.string().nullish(),
    role: z.string().nullish(),
    usage: anthropicUsageSchema.nullish(),
  }),
});

/** `content_block_start`: a block opens at `index`; its own shape is checked per type. */
export const anthropicBlockStartSchema = z.object({
  type: z.literal('content_block_start'),
  index,
  content_block: z.looseObject({ type: z.string() }),
});

/** The opening `text` block (normally empty text). */
export const anthropicTextStartSchema = z.object({ type: z.literal('text'), text: z.string().nullish() });

/** The opening `thinking` block (normally empty thinking, no signature yet). */
export const anthropicThinkingStartSchema = z.object({
  type: z.literal('thinking'),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
});

/** A `redacted_thinking` block: complete at start, its encrypted `data` never streamed. */
export const anthropicRedactedThinkingStartSchema = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/** The opening `tool_use` block: id and name; `input` is `{}` and arrives as JSON deltas. */
export const anthropicToolUseStartSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()).nullish(),
});

/** `content_block_delta`: an increment of the block at `index`; the delta is checked per type. */
export const anthropicBlockDeltaSchema = z.object({
  type: z.literal('content_block_delta'),
  index,
  delta: z.looseObject({ type: z.string() }),
});

/** The delta shapes the decoder reads, keyed by delta type. */
export const anthropicDeltaSchemas = {
  text_delta: z.object({ text: z.string() }),
  /** A fragment of the tool input's JSON text; concatenate per block, parse at the end. */
  input_json_delta: z.object({ partial_json: z.string() }),
  thinking_delta: z.object({ thinking: z.string() }),
  /** The thinking block's signature, sent just before its `content_block_stop`. */
  signature_delta: z.object({ signature: z.string() }),
} as const;

/** `message_delta`: the stop reason and cumulative usage, near the end of the stream. */
export const anthropicMessageDeltaSchema = z.object({
  type: z.literal('message_delta'),
  delta: z.object({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).nullish(),
  usage: anthropicUsageSchema.nullish(),
});

/**
 * An `error` event inside the stream (e.g. `overloaded_error`, which an HTTP response would have
 * reported as status 529); the same shape as an HTTP error body.
 */
export const anthropicErrorEventSchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
