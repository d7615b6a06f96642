import { z } from 'zod';

// Shapes of one `data:` payload of `streamGenerateContent?alt=sse`: every event is a complete
// `GenerateContentResponse` holding the *new* parts since the previous event (text is a delta,
// function calls arrive whole). Only the fields the engine reads are declared; unknown fields and
// unknown part kinds (inline images, executable code, grounding metadata, ...) are ignored, so API
// additions never break decoding. Google omits fields rather than sending null, but proxies differ,
// hence `nullish` throughout.

const tokenCount = z.number().int().nonnegative();

/** One part of a candidate's content. Exactly one data field is set per part. */
export const geminiResponsePartSchema = z.object({
  /** A text delta; with `thought: true` it is a thought-summary delta. May be `""` (signature-only part). */
  text: z.string().nullish(),
  /** True when the part is model thinking rather than answer text. */
  thought: z.boolean().nullish(),
  /** Opaque thought signature to send back in the same part on the next request. */
  thoughtSignature: z.string().nullish(),
  /** A complete function call: the API never splits a call across events. */
  functionCall: z
    .object({
      /** Set by some API surfaces only; the engine generates a stable id when absent. */
      id: z.string().nullish(),
      name: z.string().nullish(),
      /**
       * The arguments as a JSON object (a protobuf `Struct`), not as JSON text. Typed loosely so a
       * proxy that sends them as text (or garbage) reaches the tool loop's validation instead of
       * failing the whole stream.
       */
      args: z.unknown().optional(),
    })
    .nullish(),
});

const candidateSchema = z.object({
  /** Absent or without parts when a filter blocked the output. */
  content: z
    .object({
      role: z.string().nullish(),
      parts: z.array(geminiResponsePartSchema).nullish(),
    })
    .nullish(),
  /** `STOP`, `MAX_TOKENS`, `SAFETY`, ...; set on the candidate's last event only. */
  finishReason: z.string().nullish(),
  /** Human-readable detail accompanying some finish reasons. */
  finishMessage: z.string().nullish(),
  index: z.number().int().nonnegative().nullish(),
});

/**
 * `usageMetadata`: running totals, repeated on every event (the last one is final).
 * `promptTokenCount` includes `cachedContentTokenCount`; `candidatesTokenCount` excludes
 * `thoughtsTokenCount`.
 */
export const geminiUsageSchema = z.object({
  promptTokenCount: tokenCount.nullish(),
  candidatesTokenCount: tokenCount.nullish(),
  cachedContentTokenCount: tokenCount.nullish(),
  thoughtsTokenCount: tokenCount.nullish(),
  toolUsePromptTokenCount: tokenCount.nullish(),
  totalTokenCount: tokenCount.nullish(),
});

/** One streamed `GenerateContentResponse`. */
export const geminiResponseSchema = z.object({
  candidates: z.array(candidateSchema).nullish(),
  /** Set when the prompt itself was blocked; then there are no candidates. */
  promptFeedback: z
    .object({
      blockReason: z.string().nullish(),
      blockReasonMessage: z.string().nullish(),
    })
    .nullish(),
  usageMetadata: geminiUsageSchema.nullish(),
  /** The concrete model that answered, e.g. `gemini-2.5-flash`. */
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});

/** See {@link geminiResponseSchema}. */
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
/** See {@link geminiResponsePartSchema}. */
export type GeminiResponsePart = z.infer<typeof geminiResponsePartSchema>;
/** See {@link geminiUsageSchema}. */
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

/**
 * A Google API error (`google.rpc.Status` in JSON): `{"error": {"code": 429, "message": "...",
 * "status": "RESOURCE_EXHAUSTED", "details": [...]}}`, as an HTTP error body and, rarely, as a
 * stream event after the response started.
 */
export const geminiErrorSchema = z.object({
  error: z.object({
    code: z.number().int().nullish(),
    message: z.string().nullish(),
    status: z.string().nullish(),
  }),
});
