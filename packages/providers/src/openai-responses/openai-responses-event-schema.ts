import { z } from 'zod';

// Shapes of the `data:` payloads of a streamed `POST /v1/responses` (one JSON object per SSE event,
// discriminated by `type`, each with a `sequence_number`). Only the fields the engine reads are
// declared; unknown fields are ignored so additions by OpenAI (`obfuscation`, `logprobs`, new item
// fields) or by Responses-compatible servers never break decoding. Ids and indexes are `nullish`
// because compatible servers (vLLM, Ollama, gateways) do not always send them.

const tokenCount = z.number().int().nonnegative();
const index = z.number().int().nonnegative();

/** The `usage` object of a finished response. Cached and reasoning tokens are subsets of input / output. */
export const openAIResponsesUsageSchema = z.object({
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  total_tokens: tokenCount.nullish(),
  input_tokens_details: z.object({ cached_tokens: tokenCount.nullish() }).nullish(),
  output_tokens_details: z.object({ reasoning_tokens: tokenCount.nullish() }).nullish(),
});
/** See {@link openAIResponsesUsageSchema}. */
export type OpenAIResponsesUsage = z.infer<typeof openAIResponsesUsageSchema>;

/** The response object carried by the lifecycle events (`response.created` ... `response.completed`). */
const responseSchema = z.object({
  id: z.string().nullish(),
  /** `in_progress` | `completed` | `incomplete` | `failed` | `cancelled` | `queued`. */
  status: z.string().nullish(),
  model: z.string().nullish(),
  /** Set when `status` is `failed`. */
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  /** Set when `status` is `incomplete`: `reason` is `max_output_tokens` or `content_filter`. */
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  usage: openAIResponsesUsageSchema.nullish(),
});

/**
 * One output item (`message`, `reasoning`, `function_call`, `web_search_call`, ...), as announced by
 * `response.output_item.added` and finalised by `response.output_item.done`. A single loose object
 * rather than a union, so that item types the engine does not know still decode.
 */
export const openAIResponsesOutputItemSchema = z.object({
  id: z.string().nullish(),
  type: z.string(),
  status: z.string().nullish(),
  /** `message`: its content parts (`output_text` with `text`, or `refusal` with `refusal`). */
  content: z.array(z.object({ type: z.string(), text: z.string().nullish(), refusal: z.string().nullish() })).nullish(),
  /** `reasoning`: opaque state to replay when `store` is false (requested via `include`). */
  encrypted_content: z.string().nullish(),
  /** `reasoning`: the summary parts (`summary_text`). */
  summary: z.array(z.object({ type: z.string().nullish(), text: z.string().nullish() })).nullish(),
  /** `function_call`: the id that `function_call_output` must reference. */
  call_id: z.string().nullish(),
  name: z.string().nullish(),
  /** `function_call`: the complete JSON arguments text (on `done`). */
  arguments: z.string().nullish(),
  /** `web_search_call`: what was done (`search` with `query`, `open_page` with `url`, `find`). */
  action: z.object({ type: z.string().nullish(), query: z.string().nullish(), url: z.string().nullish() }).nullish(),
});
/** See {@link openAIResponsesOutputItemSchema}. */
export type OpenAIResponsesOutputItem = z.infer<typeof openAIResponsesOutputItemSchema>;

const itemRef = { item_id: z.string().nullish(), output_index: index.nullish() };

const lifecycle = <T extends string>(type: T) => z.object({ type: z.literal(type), response: responseSchema });
const itemEvent = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), output_index: index.nullish(), item: openAIResponsesOutputItemSchema });
const textDelta = <T extends string>(type: T) => z.object({ type: z.literal(type), ...itemRef, delta: z.string() });
const itemMarker = <T extends string>(type: T) => z.object({ type: z.literal(type), ...itemRef });

/**
 * The streamed events the engine acts on. Every other `type` is skipped without being parsed:
 * `response.content_part.*` and `response.reasoning_summary_part.*` carry no text (a new part is
 * recognised by its index on the next delta), the `*.done` text events repeat what the deltas
 * said (the item's `output_item.done` is used instead), and file search, code interpreter, MCP and
 * image generation events concern tools the engine does not configure.
 */
export const openAIResponsesEventSchema = z.discriminatedUnion('type', [
  lifecycle('response.created'),
  lifecycle('response.in_progress'),
  lifecycle('response.queued'),
  lifecycle('response.completed'),
  lifecycle('response.incomplete'),
  lifecycle('response.failed'),
  itemEvent('response.output_item.added'),
  itemEvent('response.output_item.done'),
  textDelta('response.output_text.delta'),
  textDelta('response.refusal.delta'),
  /** A fragment of reasoning summary part `summary_index`; a new index starts a new paragraph. */
  z.object({
    type: z.literal('response.reasoning_summary_text.delta'),
    ...itemRef,
    summary_index: index.nullish(),
    delta: z.string(),
  }),
  /** Raw reasoning text, streamed by open-weight models behind Responses-compatible servers. */
  z.object({
    type: z.literal('response.reasoning_text.delta'),
    ...itemRef,
    content_index: index.nullish(),
    delta: z.string(),
  }),
  textDelta('response.function_call_arguments.delta'),
  z.object({ type: z.literal('response.function_call_arguments.done'), ...itemRef, arguments: z.string() }),
  z.object({
    type: z.literal('response.output_text.annotation.added'),
    ...itemRef,
    content_index: index.nullish(),
    annotation_index: index.nullish(),
    annotation: z.object({
      type: z.string(),
      url: z.string().nullish(),
      title: z.string().nullish(),
      start_index: index.nullish(),
      end_index: index.nullish(),
    }),
  }),
  itemMarker('response.web_search_call.searching'),
  itemMarker('response.web_search_call.completed'),
  /**
   * A failure after the response started. OpenAI's reference declares `code` / `message` / `param`
   * at the top level; recorded streams also nest them under `error`. Both are accepted.
   */
  z.object({
    type: z.literal('error'),
    code: z.union([z.string(), z.number()]).nullish(),
    message: z.string().nullish(),
    error: z
      .object({
        type: z.string().nullish(),
        code: z.union([z.string(), z.number()]).nullish(),
        message: z.string().nullish(),
      })
      .nullish(),
  }),
]);

/** A decoded event the engine acts on. */
export type OpenAIResponsesEvent = z.infer<typeof openAIResponsesEventSchema>;
/** The `type` strings of {@link OpenAIResponsesEvent}. */
export type OpenAIResponsesEventType = OpenAIResponsesEvent['type'];

/** The event types decoded with {@link openAIResponsesEventSchema}; others are skipped cheaply. */
export const openAIResponsesEventTypes: ReadonlySet<string> = new Set<string>(
  openAIResponsesEventSchema.options.map((option) => option.shape.type.value),
);
