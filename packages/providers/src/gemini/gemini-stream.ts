import type { Usage } from '@cricket/core';
import type { InferenceStream, StreamedToolCall, StreamOutcome } from '../shared/inference-stream.js';
import { ProviderError } from '../shared/provider-error.js';
import { describeProviderErrorBody } from '../shared/provider-error-body.js';
import {
  type GeminiResponse,
  type GeminiResponsePart,
  type GeminiUsage,
  geminiErrorSchema,
  geminiResponseSchema,
} from './gemini-response-schema.js';
import { type GeminiThoughtSignature, geminiSignaturePayload } from './gemini-thought-signature.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

/** The part of {@link InferenceStream} the decoder drives (a fake in unit tests). */
export type GeminiStreamSink = Pick<InferenceStream, 'appendText' | 'appendThinking' | 'setModel' | 'log'>;

/** Options of {@link GeminiStreamDecoder}. */
export interface GeminiStreamDecoderOptions {
  provider: string;
  /**
   * Prefix of the ids generated for calls the API sends without one (the engine passes its
   * stream's `message_id`): call N of the response gets `<prefix>_N`, so ids are unique per
   * engine call and stable once written to the turn.
   */
  callIdPrefix: string;
}

/** What the stream produced once it ended: the outcome for `finish` and the calls in order. */
export interface GeminiStreamResult {
  outcome: StreamOutcome;
  toolCalls: StreamedToolCall[];
}

/**
 * Decodes a `streamGenerateContent?alt=sse` stream, one `data:` payload (a whole
 * `GenerateContentResponse`) at a time. Only candidate 0 is read (Cricket never asks for more).
 *
 * - Text parts → `sink.appendText`; parts with `thought: true` → `sink.appendThinking`.
 * - `functionCall` parts are complete calls: kept in order with their `id`, or a generated stable id
 *   (`<callIdPrefix>_<n>`) when the API sends none, and returned by {@link finish}.
 * - `thoughtSignature`: the first one on a function-call part wins (Google puts it on the first of
 *   parallel calls), else the last one seen; it becomes the reasoning block's `signature` (with the
 *   call id) so the next request can replay it.
 * - `modelVersion` → the reported model; `usageMetadata` (running totals) → usage of the last event;
 *   `responseId` and `modelVersion` → the outcome's `extra` (`response_id`, `model_version`).
 * - Failures ({@link ProviderError}): a payload that is not JSON or not a response → `stream-malformed`;
 *   an `{error}` payload → `stream-error`; `promptFeedback.blockReason` (the prompt was refused) →
 *   `stream-error` with the reason as provider code; an end without any `finishReason` →
 *   `stream-truncated` (Gemini sends no end marker besides it).
 */
export class GeminiStreamDecoder {
  readonly #provider: string;
  readonly #sink: GeminiStreamSink;
  readonly #callIdPrefix: string;
  readonly #calls: StreamedToolCall[] = [];
  #finishReason: string | undefined;
  #usage: GeminiUsage | undefined;
  #signature: GeminiThoughtSignature | undefined;
  #modelVersion: string | undefined;
  #responseId: string | undefined;

  constructor(sink: GeminiStreamSink, options: GeminiStreamDecoderOptions) {
    this.#provider = options.provider;
    this.#sink = sink;
    this.#callIdPrefix = options.callIdPrefix;
  }

  /** True once a candidate reported its `finishReason`; later events only refresh usage. */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  /** Decodes one SSE `data` payload. */
  push(data: string): void {
    const response = this.#parse(data);
    this.#sink.setModel(response.modelVersion);
    if (response.modelVersion) this.#modelVersion = response.modelVersion;
    if (response.responseId) this.#responseId = response.responseId;
    if (response.usageMetadata) this.#usage = response.usageMetadata;
    const blocked = response.promptFeedback?.blockReason;
    if (blocked) {
      const detail = response.promptFeedback?.blockReasonMessage;
      throw new ProviderError(
        'stream-error',
        `${this.#provider}: the prompt was blocked (${blocked})${detail ? `: ${detail}` : ''}`,
        { provider: this.#provider, body: response, providerCode: blocked },
      );
    }
    const candidate = response.candidates?.find((entry) => (entry.index ?? 0) === 0);
    if (!candidate) return;
    for (const part of candidate.content?.parts ?? []) this.#part(part);
    if (candidate.finishReason) this.#finishReason = candidate.finishReason;
  }

  /**
   * Call after the body ended. Throws `stream-truncated` when no `finishReason` arrived. Calls
   * without a name cannot be executed or replayed and are dropped with a `warn` log.
   */
  finish(): GeminiStreamResult {
    if (!this.#finishReason) {
      throw new ProviderError('stream-truncated', `${this.#provider}: stream ended without a finishReason`, {
        provider: this.#provider,
      });
    }
    const outcome: StreamOutcome = {};
    const stopReason = mapGeminiFinishReason(this.#finishReason, this.#calls.length > 0);
    if (stopReason) outcome.stopReason = stopReason;
    if (this.#usage) outcome.usage = toUsage(this.#usage);
    if (this.#signature) outcome.reasoning = geminiSignaturePayload(this.#signature);
    const extra: Record<string, unknown> = {};
    if (this.#responseId) extra.response_id = this.#responseId;
    if (this.#modelVersion) extra.model_version = this.#modelVersion;
    if (Object.keys(extra).length > 0) outcome.extra = extra;
    return { outcome, toolCalls: [...this.#calls] };
  }

  #part(part: GeminiResponsePart): void {
    const call = part.functionCall;
    if (call) {
      const index = this.#calls.length;
      const id = call.id || `${this.#callIdPrefix}_${index}`;
      if (!call.name) {
        this.#sink.log('warn', `${this.#provider}: dropped a function call without a name`, { call_id: id });
        return;
      }
      this.#calls.push({ id, name: call.name, arguments: argumentsText(call.args) });
      if (part.thoughtSignature && this.#signature?.callId === undefined) {
        this.#signature = { signature: part.thoughtSignature, callId: id };
      }
      return;
    }
    // A signature on a text or thought part (possibly an empty, signature-only part) describes the
    // whole response; it only yields to one carried by a function call.
    if (part.thoughtSignature && this.#signature?.callId === undefined) {
      this.#signature = { signature: part.thoughtSignature };
    }
    if (part.text) {
      if (part.thought) this.#sink.appendThinking(part.text);
      else this.#sink.appendText(part.text);
    }
  }

  #parse(data: string): GeminiResponse {
    let json: unknown;
    try {
      json = JSON.parse(data) as unknown;
    } catch (error) {
      throw this.#malformed('a stream event is not valid JSON', data, error);
    }
    // Cheap key test first: the error schema is checked only on the rare payload that has `error`.
    const candidate = Array.isArray(json) ? json[0] : json;
    const hasError = typeof candidate === 'object' && candidate !== null && 'error' in candidate;
    if (hasError && geminiErrorSchema.safeParse(candidate).success) {
      const details = describeProviderErrorBody(candidate);
      throw new ProviderError('stream-error', `${this.#provider}: ${details.message ?? 'error event in stream'}`, {
        provider: this.#provider,
        body: json,
        ...(details.code ? { providerCode: details.code } : {}),
      });
    }
    const parsed = geminiResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
      throw this.#malformed(`a stream event is not a GenerateContentResponse (${where})`, data, parsed.error);
    }
    return parsed.data;
  }

  #malformed(what: string, data: string, cause: unknown): ProviderError {
    return new ProviderError('stream-malformed', `${this.#provider}: ${what}`, {
      provider: this.#provider,
      body: data.length > 500 ? `${data.slice(0, 500)}…` : data,
      cause,
    });
  }
}

// Gemini sends an object; text is passed through as written, so invalid JSON is kept raw (and
// reported) by `InferenceStream.toolCall` rather than silently replaced.
function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

/**
 * Gemini usage → Cricket usage: input = prompt tokens (cached included) + tool-use prompt tokens;
 * output = candidate tokens + thought tokens (Cricket counts reasoning inside output, as OpenAI
 * does); `cached_tokens` / `reasoning_tokens` when the API reports them.
 */
function toUsage(usage: GeminiUsage): Usage {
  const result: Usage = {
    input_tokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    output_tokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
  };
  if (usage.cachedContentTokenCount !== null && usage.cachedContentTokenCount !== undefined) {
    result.cached_tokens = usage.cachedContentTokenCount;
  }
  if (usage.thoughtsTokenCount !== null && usage.thoughtsTokenCount !== undefined) {
    result.reasoning_tokens = usage.thoughtsTokenCount;
  }
  return result;
}
