import { z } from 'zod';

// Shapes of one line of a streamed `/api/chat` response (NDJSON). Every line is a `ChatResponse`:
// partial lines carry a `message` delta and `done: false`; the last line has `done: true`,
// `done_reason` and the metrics. Only the fields the engine reads are declared; unknown fields are
// ignored, so additions in newer Ollama versions never break decoding. Ollama omits empty fields
// (Go `omitempty`), hence `nullish` throughout.

const count = z.number().int().nonnegative();

const toolCallSchema = z.object({
  /** Sent by newer Ollama versions only; the engine generates a stable id when absent. */
  id: z.string().nullish(),
  function: z.object({
    /** Position of the call in the message (newer versions). */
    index: z.number().int().nullish(),
    name: z.string().nullish(),
    /**
     * An object in Ollama's API. Typed loosely so text (or garbage) from an odd server reaches the
     * tool loop's validation instead of failing the stream.
     */
    arguments: z.unknown().optional(),
  }),
});

/** One streamed line. */
export const ollamaChunkSchema = z.object({
  /** The model name as requested (e.g. `llama3.1:8b`). */
  model: z.string().nullish(),
  created_at: z.string().nullish(),
  message: z
    .object({
      role: z.string().nullish(),
      /** A text delta (empty on thinking and tool-call lines and on the last line). */
      content: z.string().nullish(),
      /** A thinking delta, when the request set `think`. */
      thinking: z.string().nullish(),
      /** Complete tool calls: Ollama never splits a call across lines. */
      tool_calls: z.array(toolCallSchema).nullish(),
    })
    .nullish(),
  done: z.boolean(),
  /** `stop`, `length`, `load`, `unload`; on the last line only (absent on old servers). */
  done_reason: z.string().nullish(),
  /** Prompt tokens evaluated (omitted when 0, e.g. a fully cached prompt). */
  prompt_eval_count: count.nullish(),
  /** Generated tokens. */
  eval_count: count.nullish(),
  /** Nanoseconds. */
  total_duration: count.nullish(),
  load_duration: count.nullish(),
  prompt_eval_duration: count.nullish(),
  eval_duration: count.nullish(),
});

/** See {@link ollamaChunkSchema}. */
export type OllamaChunk = z.infer<typeof ollamaChunkSchema>;
/** One tool call of a streamed line. */
export type OllamaChunkToolCall = z.infer<typeof toolCallSchema>;

/** An error reported instead of a line (`{"error": "..."}`), as HTTP error body or mid-stream. */
export const ollamaErrorSchema = z.object({ error: z.string() });
