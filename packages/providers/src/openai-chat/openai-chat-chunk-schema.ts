import { z } from 'zod';

// Shapes of one `data:` payload of a streamed Chat Completions response (`chat.completion.chunk`).
// Only the fields the engine reads are declared; unknown fields are ignored, so additions by OpenAI
// or by OpenAI-compatible servers (vLLM, LM Studio, DeepSeek, OpenRouter) never break decoding.
// Servers differ in null-vs-absent, hence `nullish` throughout.

const toolCallDeltaSchema = z.object({
  /** Position of the call in the message; all deltas of one call share it. */
  index: z.number().int().nonnegative(),
  /** Present on the first delta of a call only. */
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z
    .object({
      /** Present on the first delta of a call only. */
      name: z.string().nullish(),
      /** A fragment of the JSON arguments text; concatenate in order. */
      arguments: z.string().nullish(),
    })
    .nullish(),
});

const deltaSchema = z.object({
  role: z.string().nullish(),
  content: z.string().nullish(),
  /** Visible reasoning, as streamed by DeepSeek, vLLM and other OpenAI-compatible reasoning servers. */
  reasoning_content: z.string().nullish(),
  /** The same under the name some servers (OpenRouter, Ollama's OpenAI endpoint) use. */
  reasoning: z.string().nullish(),
  /** A refusal message (structured-output models), shown like text. */
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallDeltaSchema).nullish(),
});

const choiceSchema = z.object({
  index: z.number().int().nonnegative(),
  delta: deltaSchema.nullish(),
  /** `stop` | `length` | `tool_calls` | `content_filter` | `function_call`, on the choice's last chunk. */
  finish_reason: z.string().nullish(),
});

const tokenCount = z.number().int().nonnegative();

/** The `usage` object of the final chunk (sent when `stream_options.include_usage` is true). */
export const openAIChatUsageSchema = z.object({
  prompt_tokens: tokenCount,
  completion_tokens: tokenCount,
  total_tokens: tokenCount.nullish(),
  prompt_tokens_details: z.object({ cached_tokens: tokenCount.nullish() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: tokenCount.nullish() }).nullish(),
});

/** One streamed chunk. The usage-only chunk has `choices: []` (or null on some servers). */
export const openAIChatChunkSchema = z.object({
  id: z.string().nullish(),
  object: z.string().nullish(),
  created: z.number().nullish(),
  model: z.string().nullish(),
  system_fingerprint: z.string().nullish(),
  choices: z.array(choiceSchema).nullish(),
  usage: openAIChatUsageSchema.nullish(),
});

/** See {@link openAIChatChunkSchema}. */
export type OpenAIChatChunk = z.infer<typeof openAIChatChunkSchema>;
/** See {@link openAIChatUsageSchema}. */
export type OpenAIChatUsage = z.infer<typeof openAIChatUsageSchema>;

/**
 * An error sent inside the stream instead of a chunk (`data: {"error": {...}}`), as OpenAI and
 * OpenAI-compatible servers do when generation fails after the response started.
 */
export const openAIChatStreamErrorSchema = z.object({
  error: z.union([
    z.object({
      message: z.string().nullish(),
      type: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
    }),
    z.string(),
  ]),
});
