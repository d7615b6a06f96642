import type { Usage } from '@cricket/core';
import type { InferenceStream, StreamedToolCall, StreamOutcome } from '../shared/inference-stream.js';
import { ProviderError } from '../shared/provider-error.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import {
  type OllamaChunk,
  type OllamaChunkToolCall,
  ollamaChunkSchema,
  ollamaErrorSchema,
} from './ollama-chunk-schema.js';

/** The part of {@link InferenceStream} the decoder drives (a fake in unit tests). */
export type OllamaStreamSink = Pick<InferenceStream, 'appendText' | 'appendThinking' | 'setModel' | 'log'>;

/** Options of {@link OllamaStreamDecoder}. */
export interface OllamaStreamDecoderOptions {
  provider: string;
  /**
   * Prefix of the ids generated for calls sent without one (the engine passes its stream's
   * `message_id`): call N of the response gets `<prefix>_N`, unique per engine call and stable once
   * written to the turn.
   */
  callIdPrefix: string;
}

/** What the stream produced once it ended: the outcome for `finish` and the calls in order. */
export interface OllamaStreamResult {
  outcome: StreamOutcome;
  toolCalls: StreamedToolCall[];
}

/**
 * Decodes a streamed `/api/chat` response, one parsed NDJSON line at a time.
 *
 * - `message.thinking` → `sink.appendThinking`; `message.content` → `sink.appendText`.
 * - `message.tool_calls` are complete calls: kept in order with their `id` (newer servers) or a
 *   generated stable id (`<callIdPrefix>_<n>`), returned by {@link finish}.
 * - The `done: true` line ends the stream: `done_reason` → stop reason, `prompt_eval_count` /
 *   `eval_count` → input / output tokens (0 when omitted, as Ollama does for a fully cached
 *   prompt), Ollama's timings → the outcome's `extra` (`total_duration_ns`, `load_duration_ns`,
 *   `prompt_eval_duration_ns`, `eval_duration_ns`).
 * - Failures ({@link ProviderError}): an `{"error": "..."}` line → `stream-error`; a line of another
 *   shape → `stream-malformed`; an end without a `done: true` line → `stream-truncated`. (Lines that
 *   are not JSON at all are reported by the NDJSON reader.)
 */
export class OllamaStreamDecoder {
  readonly #provider: string;
  readonly #sink: OllamaStreamSink;
  readonly #callIdPrefix: string;
  readonly #calls: StreamedToolCall[] = [];
  #final: OllamaChunk | undefined;

  constructor(sink: OllamaStreamSink, options: OllamaStreamDecoderOptions) {
    this.#provider = options.provider;
    this.#sink = sink;
    this.#callIdPrefix = options.callIdPrefix;
  }

  /** True once the `done: true` line arrived. */
  get done(): boolean {
    return this.#final !== undefined;
  }

  /** Decodes one line. Returns true when it was the last (`done: true`) line. */
  push(line: unknown): boolean {
    const chunk = this.#parse(line);
    this.#sink.setModel(chunk.model);
    const message = chunk.message;
    if (message?.thinking) this.#sink.appendThinking(message.thinking);
    if (message?.content) this.#sink.appendText(message.content);
    for (const call of message?.tool_calls ?? []) this.#toolCall(call);
    if (chunk.done) this.#final = chunk;
    return chunk.done;
  }

  /** Call after the last line. Throws `stream-truncated` when no `done: true` line arrived. */
  finish(): OllamaStreamResult {
    const final = this.#final;
    if (!final) {
      throw new ProviderError('stream-truncated', `${this.#provider}: stream ended without a "done": true line`, {
        provider: this.#provider,
      });
    }
    const usage: Usage = { input_tokens: final.prompt_eval_count ?? 0, output_tokens: final.eval_count ?? 0 };
    const outcome: StreamOutcome = {
      stopReason: mapOllamaDoneReason(final.done_reason, this.#calls.length > 0),
      usage,
    };
    const extra: Record<string, unknown> = {};
    for (const field of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'] as const) {
      const value = final[field];
      if (value !== null && value !== undefined) extra[`${field}_ns`] = value;
    }
    if (Object.keys(extra).length > 0) outcome.extra = extra;
    return { outcome, toolCalls: [...this.#calls] };
  }

  #toolCall(call: OllamaChunkToolCall): void {
    const id = call.id || `${this.#callIdPrefix}_${this.#calls.length}`;
    const name = call.function.name;
    if (!name) {
      this.#sink.log('warn', `${this.#provider}: dropped a tool call without a name`, { call_id: id });
      return;
    }
    const args = call.function.arguments;
    // Text is passed through as written, so invalid JSON is kept raw (and reported) by
    // `InferenceStream.toolCall` rather than silently replaced.
    this.#calls.push({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
  }

  #parse(line: unknown): OllamaChunk {
    const failure = ollamaErrorSchema.safeParse(line);
    if (failure.success) {
      throw new ProviderError('stream-error', `${this.#provider}: ${failure.data.error}`, {
        provider: this.#provider,
        body: line,
      });
    }
    const parsed = ollamaChunkSchema.safeParse(line);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
      const text = JSON.stringify(line) ?? String(line);
      throw new ProviderError(
        'stream-malformed',
        `${this.#provider}: a stream line is not a chat response (${where})`,
        {
          provider: this.#provider,
          body: text.length > 500 ? `${text.slice(0, 500)}…` : text,
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }
}
