import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  InferenceStream,
  StreamedToolCall,
  StreamOutcome,
  StreamOutputBlock,
} from '../shared/inference-stream.js';
import { ProviderError } from '../shared/provider-error.js';
import {
  type AnthropicUsage,
  anthropicBlockDeltaSchema,
  anthropicBlockStartSchema,
  anthropicDeltaSchemas,
  anthropicErrorEventSchema,
  anthropicEventEnvelopeSchema,
  anthropicMessageDeltaSchema,
  anthropicMessageStartSchema,
  anthropicRedactedThinkingStartSchema,
  anthropicTextStartSchema,
  anthropicThinkingStartSchema,
  anthropicToolUseStartSchema,
} from './anthropic-event-schema.js';
import { type AnthropicThinkingPart, reasoningPayloadOf } from './anthropic-reasoning.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

/** The part of {@link InferenceStream} the decoder drives (a fake in unit tests). */
export type AnthropicStreamSink = Pick<InferenceStream, 'appendText' | 'appendThinking' | 'setModel' | 'log'>;

/** What the stream produced once it ended. */
export interface AnthropicStreamResult {
  /**
   * Usage, normalised stop reason, the output in content-block order (`output`: one reasoning block
   * per thinking / redacted-thinking block, adjacent text blocks merged into one text block, the
   * calls' places) and `extra` (`response_id`, and `stop_sequence` when one stopped the message).
   */
  outcome: StreamOutcome;
  /** Tool calls in content-block order. */
  toolCalls: StreamedToolCall[];
  /** Thinking and redacted-thinking blocks in content-block order. */
  thinking: AnthropicThinkingPart[];
}

/** A content block being streamed, by its `index`. */
type OpenBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; part: Extract<AnthropicThinkingPart, { kind: 'thinking' }> }
  | { type: 'redacted'; part: Extract<AnthropicThinkingPart, { kind: 'redacted' }> }
  | { type: 'tool_use'; id: string; name: string; json: string; input: Record<string, unknown> | undefined }
  | { type: 'ignored' };

// Error types for which the same request may succeed later.
const retryableErrorTypes = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);

/**
 * Decodes a Messages SSE stream, one `data:` payload at a time.
 *
 * - `message_start` → model and message id, input usage; `message_delta` → stop reason and
 *   cumulative usage; `message_stop` ends the stream; `ping` and unknown event types are skipped.
 * - Content blocks are tracked by `index`: `text_delta` → `sink.appendText`; `thinking_delta` →
 *   `sink.appendThinking` and `signature_delta` → that block's signature; `redacted_thinking`
 *   blocks keep their `data`; `input_json_delta` fragments are concatenated per tool_use block.
 *   Unknown block and delta types are skipped (a `debug` log names each unknown block type once).
 * - An `error` event → `stream-error` with Anthropic's error type as provider code, retryable for
 *   `overloaded_error`, `api_error`, `rate_limit_error` and `timeout_error`; a payload that is not
 *   JSON or not the documented shape → `stream-malformed`; an end without `message_stop` and without
 *   a stop reason → `stream-truncated` (see {@link finish}).
 */
export class AnthropicStreamDecoder {
  readonly #provider: string;
  readonly #sink: AnthropicStreamSink;
  readonly #blocks = new Map<number, OpenBlock>();
  readonly #skippedTypes = new Set<string>();
  #done = false;
  #stopReason: string | undefined;
  #usage: AnthropicUsage | undefined;
  #messageId: string | undefined;
  #stopSequence: string | undefined;

  constructor(provider: string, sink: AnthropicStreamSink) {
    this.#provider = provider;
    this.#sink = sink;
  }

  /** True once `message_stop` arrived; the engine stops reading then. */
  get done(): boolean {
    return this.#done;
  }

  /** Decodes one SSE `data` payload. Returns true when it was `message_stop`. */
  push(data: string): boolean {
    const json = this.#json(data);
    const type = this.#shape(anthropicEventEnvelopeSchema, json, data).type;
    switch (type) {
      case 'message_start': {
        const { message } = this.#shape(anthropicMessageStartSchema, json, data);
        this.#sink.setModel(message.model);
        if (message.id) this.#messageId = message.id;
        if (message.usage) this.#usage = mergeAnthropicUsage(this.#usage, message.usage);
        return false;
      }
      case 'content_block_start': {
        const event = this.#shape(anthropicBlockStartSchema, json, data);
        this.#blocks.set(event.index, this.#openBlock(event.content_block, data));
        return false;
      }
      case 'content_block_delta': {
        const event = this.#shape(anthropicBlockDeltaSchema, json, data);
        this.#applyDelta(event.index, event.delta, data);
        return false;
      }
      case 'message_delta': {
        const event = this.#shape(anthropicMessageDeltaSchema, json, data);
        if (event.delta?.stop_reason) this.#stopReason = event.delta.stop_reason;
        if (event.delta?.stop_sequence) this.#stopSequence = event.delta.stop_sequence;
        if (event.usage) this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        return false;
      }
      case 'message_stop':
        this.#done = true;
        return true;
      case 'error':
        throw this.#streamError(this.#shape(anthropicErrorEventSchema, json, data), json);
      default:
        // `ping`, `content_block_stop` (blocks are read whole at the end) and event types added later.
        return false;
    }
  }

  /**
   * Call after the body ended (or `message_stop`). Throws `stream-truncated` when neither
   * `message_stop` nor a stop reason arrived. Tool calls without a name cannot be executed and are
   * dropped with a `warn` log; calls without an id get a generated `toolu_…` id; a call whose input
   * never streamed uses the `input` of its start event.
   */
  finish(): AnthropicStreamResult {
    if (!this.#done && !this.#stopReason) {
      throw new ProviderError(
        'stream-truncated',
        `${this.#provider}: stream ended before message_stop and without a stop_reason`,
        { provider: this.#provider },
      );
    }
    const toolCalls: StreamedToolCall[] = [];
    const thinking: AnthropicThinkingPart[] = [];
    const output: StreamOutputBlock[] = [];
    for (const [index, block] of [...this.#blocks].sort(([a], [b]) => a - b)) {
      if (block.type === 'thinking' || block.type === 'redacted') {
        thinking.push(block.part);
        // One block per thinking block, never merged: the API rejects a replay that differs.
        output.push({ kind: 'reasoning', payload: reasoningPayloadOf(block.part) });
        continue;
      }
      if (block.type === 'text') {
        const last = output.at(-1);
        if (last?.kind === 'llm_text') last.payload.text += block.text;
        else output.push({ kind: 'llm_text', payload: { text: block.text } });
        continue;
      }
      if (block.type !== 'tool_use') continue;
      if (!block.name) {
        this.#sink.log('warn', `${this.#provider}: dropped a streamed tool call without a name`, {
          index,
          call_id: block.id,
        });
        continue;
      }
      const inputFromStart = block.input && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
      const id = block.id || `toolu_${randomUUID().replaceAll('-', '')}`;
      toolCalls.push({ id, name: block.name, arguments: block.json.trim() === '' ? inputFromStart : block.json });
      output.push({ kind: 'tool_call', id });
    }
    const outcome: StreamOutcome = { output };
    const stopReason = mapAnthropicStopReason(this.#stopReason);
    if (stopReason) outcome.stopReason = stopReason;
    if (this.#usage) outcome.usage = mapAnthropicUsage(this.#usage);
    const extra: Record<string, unknown> = {};
    if (this.#messageId) extra.response_id = this.#messageId;
    if (this.#stopSequence) extra.stop_sequence = this.#stopSequence;
    if (Object.keys(extra).length > 0) outcome.extra = extra;
    return { outcome, toolCalls, thinking };
  }

  #openBlock(block: { type: string }, data: string): OpenBlock {
    switch (block.type) {
      case 'text': {
        const text = this.#shape(anthropicTextStartSchema, block, data).text ?? '';
        if (text) this.#sink.appendText(text);
        return { type: 'text', text };
      }
      case 'thinking': {
        const start = this.#shape(anthropicThinkingStartSchema, block, data);
        if (start.thinking) this.#sink.appendThinking(start.thinking);
        return {
          type: 'thinking',
          part: { kind: 'thinking', text: start.thinking ?? '', signature: start.signature ?? '' },
        };
      }
      case 'redacted_thinking': {
        const start = this.#shape(anthropicRedactedThinkingStartSchema, block, data);
        return { type: 'redacted', part: { kind: 'redacted', data: start.data } };
      }
      case 'tool_use': {
        const start = this.#shape(anthropicToolUseStartSchema, block, data);
        return { type: 'tool_use', id: start.id, name: start.name, json: '', input: start.input ?? undefined };
      }
      default:
        if (!this.#skippedTypes.has(block.type)) {
          this.#skippedTypes.add(block.type);
          this.#sink.log('debug', `${this.#provider}: skipped a content block of unknown type ${block.type}`);
        }
        return { type: 'ignored' };
    }
  }

  #applyDelta(index: number, delta: { type: string }, data: string): void {
    let block = this.#blocks.get(index);
    switch (delta.type) {
      case 'text_delta': {
        // A delta without its start event is read as its own kind, rather than lost.
        if (!block) {
          block = { type: 'text', text: '' };
          this.#blocks.set(index, block);
        }
        if (block.type !== 'text') return;
        const text = this.#shape(anthropicDeltaSchemas.text_delta, delta, data).text;
        block.text += text;
        this.#sink.appendText(text);
        return;
      }
      case 'thinking_delta': {
        if (!block) {
          block = { type: 'thinking', part: { kind: 'thinking', text: '', signature: '' } };
          this.#blocks.set(index, block);
        }
        if (block.type !== 'thinking') return;
        const text = this.#shape(anthropicDeltaSchemas.thinking_delta, delta, data).thinking;
        block.part.text += text;
        this.#sink.appendThinking(text);
        return;
      }
      case 'signature_delta':
        if (block?.type === 'thinking') {
          block.part.signature += this.#shape(anthropicDeltaSchemas.signature_delta, delta, data).signature;
        }
        return;
      case 'input_json_delta':
        if (block?.type === 'tool_use') {
          block.json += this.#shape(anthropicDeltaSchemas.input_json_delta, delta, data).partial_json;
        }
        return;
      default:
        // `citations_delta` and delta types added later carry nothing Cricket keeps.
        return;
    }
  }

  #streamError(event: z.infer<typeof anthropicErrorEventSchema>, body: unknown): ProviderError {
    const errorType = event.error?.type ?? undefined;
    const message = event.error?.message || 'error event in stream';
    return new ProviderError('stream-error', `${this.#provider}: ${message}`, {
      provider: this.#provider,
      body,
      ...(errorType ? { providerCode: errorType } : {}),
      retryable: errorType !== undefined && retryableErrorTypes.has(errorType),
    });
  }

  #json(data: string): unknown {
    try {
      return JSON.parse(data) as unknown;
    } catch (error) {
      throw this.#malformed('a stream event is not valid JSON', data, error);
    }
  }

  #shape<Schema extends z.ZodType>(schema: Schema, value: unknown, data: string): z.output<Schema> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
    throw this.#malformed(`a stream event does not have the documented shape (${where})`, data, parsed.error);
  }

  #malformed(what: string, data: string, cause: unknown): ProviderError {
    return new ProviderError('stream-malformed', `${this.#provider}: ${what}`, {
      provider: this.#provider,
      body: data.length > 500 ? `${data.slice(0, 500)}…` : data,
      cause,
    });
  }
}
