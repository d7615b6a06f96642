import { randomUUID } from 'node:crypto';
import type { Usage } from '@cricket/core';
import type { InferenceStream, StreamedToolCall, StreamOutcome } from '../shared/inference-stream.js';
import { ProviderError } from '../shared/provider-error.js';
import { describeProviderErrorBody } from '../shared/provider-error-body.js';
import { mapOpenAIChatFinishReason } from './map-openai-chat-finish-reason.js';
import {
  type OpenAIChatChunk,
  type OpenAIChatUsage,
  openAIChatChunkSchema,
  openAIChatStreamErrorSchema,
} from './openai-chat-chunk-schema.js';

/** The part of {@link InferenceStream} the decoder drives (a fake in unit tests). */
export type OpenAIChatStreamSink = Pick<InferenceStream, 'appendText' | 'appendThinking' | 'setModel' | 'log'>;

/** What the stream produced once it ended: the outcome for `finish` and the calls in index order. */
export interface OpenAIChatStreamResult {
  outcome: StreamOutcome;
  toolCalls: StreamedToolCall[];
}

interface PendingCall {
  index: number;
  /** Order of first appearance, to keep calls sharing an index (see `#mergeToolCall`) stable. */
  order: number;
  id: string;
  name: string;
  arguments: string;
}

type ToolCallDelta = NonNullable<
  NonNullable<NonNullable<OpenAIChatChunk['choices']>[number]['delta']>['tool_calls']
>[number];

/**
 * Decodes a Chat Completions SSE stream, one `data:` payload at a time.
 *
 * - Text deltas → `sink.appendText`; `reasoning_content` / `reasoning` deltas → `sink.appendThinking`; refusals
 *   are shown as text. Only choice 0 is read (Cricket never asks for `n > 1`).
 * - Tool-call deltas are merged **by `index`** (name and argument fragments concatenated) and returned
 *   in index order by {@link finish} — unlike the reference, which returned them in map order.
 * - `[DONE]` ends the stream; a payload that is not a chunk → `stream-malformed`; an `{error}` payload
 *   → `stream-error`; an end without `[DONE]` and without any `finish_reason` → `stream-truncated`.
 * - The chunks' `id` and `system_fingerprint` → the outcome's `extra` (`response_id`, `system_fingerprint`).
 */
export class OpenAIChatStreamDecoder {
  readonly #provider: string;
  readonly #sink: OpenAIChatStreamSink;
  readonly #calls: PendingCall[] = [];
  /** The call currently receiving fragments, per index. */
  readonly #openCalls = new Map<number, PendingCall>();
  #done = false;
  #finishReason: string | undefined;
  #usage: OpenAIChatUsage | undefined;
  #responseId: string | undefined;
  #systemFingerprint: string | undefined;

  constructor(provider: string, sink: OpenAIChatStreamSink) {
    this.#provider = provider;
    this.#sink = sink;
  }

  /** True once `[DONE]` arrived; the engine stops reading then. */
  get done(): boolean {
    return this.#done;
  }

  /** Decodes one SSE `data` payload. Returns true when it was the `[DONE]` marker. */
  push(data: string): boolean {
    if (data.trim() === '[DONE]') {
      this.#done = true;
      return true;
    }
    const chunk = this.#parse(data);
    this.#sink.setModel(chunk.model);
    if (chunk.usage) this.#usage = chunk.usage;
    if (chunk.id) this.#responseId = chunk.id;
    if (chunk.system_fingerprint) this.#systemFingerprint = chunk.system_fingerprint;
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (delta) {
        const thinking = delta.reasoning_content ?? delta.reasoning;
        if (thinking) this.#sink.appendThinking(thinking);
        if (delta.content) this.#sink.appendText(delta.content);
        if (delta.refusal) this.#sink.appendText(delta.refusal);
        for (const call of delta.tool_calls ?? []) this.#mergeToolCall(call);
      }
      if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    }
    return false;
  }

  /**
   * Call after the body ended (or `[DONE]`). Throws `stream-truncated` when neither `[DONE]` nor a
   * `finish_reason` arrived. Calls without a name cannot be executed or replayed and are dropped
   * with a `warn` log; calls without an id get a generated `call_…` id.
   */
  finish(): OpenAIChatStreamResult {
    if (!this.#done && !this.#finishReason) {
      throw new ProviderError(
        'stream-truncated',
        `${this.#provider}: stream ended before [DONE] and without a finish_reason`,
        {
          provider: this.#provider,
        },
      );
    }
    const ordered = [...this.#calls].sort((a, b) => a.index - b.index || a.order - b.order);
    const toolCalls: StreamedToolCall[] = [];
    for (const call of ordered) {
      if (!call.name) {
        this.#sink.log('warn', `${this.#provider}: dropped a streamed tool call without a function name`, {
          index: call.index,
          call_id: call.id,
        });
        continue;
      }
      toolCalls.push({
        id: call.id || `call_${randomUUID().replaceAll('-', '')}`,
        name: call.name,
        arguments: call.arguments,
      });
    }
    const outcome: StreamOutcome = {};
    const stopReason = mapOpenAIChatFinishReason(this.#finishReason);
    if (stopReason) outcome.stopReason = stopReason;
    if (this.#usage) outcome.usage = toUsage(this.#usage);
    const extra: Record<string, unknown> = {};
    if (this.#responseId) extra.response_id = this.#responseId;
    if (this.#systemFingerprint) extra.system_fingerprint = this.#systemFingerprint;
    if (Object.keys(extra).length > 0) outcome.extra = extra;
    return { outcome, toolCalls };
  }

  #parse(data: string): OpenAIChatChunk {
    let json: unknown;
    try {
      json = JSON.parse(data) as unknown;
    } catch (error) {
      throw this.#malformed('a stream event is not valid JSON', data, error);
    }
    // Cheap key test first: the error schema is checked only on the rare payload that has `error`.
    const hasError = typeof json === 'object' && json !== null && 'error' in json;
    if (hasError && openAIChatStreamErrorSchema.safeParse(json).success) {
      const details = describeProviderErrorBody(json);
      throw new ProviderError('stream-error', `${this.#provider}: ${details.message ?? 'error event in stream'}`, {
        provider: this.#provider,
        body: json,
        ...(details.code ? { providerCode: details.code } : {}),
      });
    }
    // Almost every chunk is a plain text / reasoning / finish delta: check those by hand, and leave
    // anything else (usage, tool calls, unexpected shapes) and every error message to the schema.
    if (isPlainChunk(json)) return json;
    const parsed = openAIChatChunkSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
      throw this.#malformed(`a stream event is not a chat.completion.chunk (${where})`, data, parsed.error);
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

  // A delta carrying a new id at an index already in use starts a new call: a few OpenAI-compatible
  // servers put every parallel call at index 0 and tell them apart only by id.
  #mergeToolCall(delta: ToolCallDelta): void {
    let call = this.#openCalls.get(delta.index);
    if (!call || (delta.id && call.id && delta.id !== call.id)) {
      call = { index: delta.index, order: this.#calls.length, id: delta.id ?? '', name: '', arguments: '' };
      this.#calls.push(call);
      this.#openCalls.set(delta.index, call);
    } else if (delta.id && !call.id) {
      call.id = delta.id;
    }
    const name = delta.function?.name;
    // OpenAI sends the name once; some servers repeat the full name on every delta, others split it.
    if (name && name !== call.name) call.name += name;
    const fragment = delta.function?.arguments;
    if (fragment) call.arguments += fragment;
  }
}

/**
 * True when `value` is a chunk without `usage` or `tool_calls` that {@link openAIChatChunkSchema} accepts
 * as it is: then the decoder can read it directly (the schema's output differs from its input only by
 * dropping fields the decoder never reads). Anything this does not recognise goes to the schema, so it
 * decides every other case, including what is malformed.
 */
function isPlainChunk(value: unknown): value is OpenAIChatChunk {
  if (!isObject(value)) return false;
  if (!isOptionalString(value.id) || !isOptionalString(value.object) || !isOptionalString(value.model)) return false;
  if (!isOptionalString(value.system_fingerprint)) return false;
  const created = value.created;
  if (created !== undefined && created !== null && !(typeof created === 'number' && Number.isFinite(created))) {
    return false;
  }
  if (value.usage !== undefined && value.usage !== null) return false;
  const choices = value.choices;
  if (choices === undefined || choices === null) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) {
    if (!isObject(choice)) return false;
    const index = choice.index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return false;
    if (!isOptionalString(choice.finish_reason)) return false;
    const delta = choice.delta;
    if (delta === undefined || delta === null) continue;
    if (!isObject(delta)) return false;
    if (delta.tool_calls !== undefined && delta.tool_calls !== null) return false;
    if (!isOptionalString(delta.role) || !isOptionalString(delta.content) || !isOptionalString(delta.refusal)) {
      return false;
    }
    if (!isOptionalString(delta.reasoning_content) || !isOptionalString(delta.reasoning)) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `z.string().nullish()` field. */
function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function toUsage(usage: OpenAIChatUsage): Usage {
  const result: Usage = { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached !== null && cached !== undefined) result.cached_tokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== null && reasoning !== undefined) result.reasoning_tokens = reasoning;
  return result;
}
