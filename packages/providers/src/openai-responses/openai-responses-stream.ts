import type { InferenceStream, StreamedToolCall, StreamOutcome } from '../shared/inference-stream.js';
import { ProviderError } from '../shared/provider-error.js';
import type { SseMessage } from '../shared/sse-stream.js';
import { mapOpenAIResponsesStopReason, mapOpenAIResponsesUsage } from './map-openai-responses-ending.js';
import {
  type OpenAIResponsesEvent,
  type OpenAIResponsesOutputItem,
  openAIResponsesEventSchema,
  openAIResponsesEventTypes,
} from './openai-responses-event-schema.js';
import { OpenAIResponsesItemRegistry } from './openai-responses-item-registry.js';
import {
  publishCitation,
  publishItemMarker,
  publishWebSearchItem,
  publishWebSearchProgress,
} from './openai-responses-notices.js';
import {
  assembleOpenAIResponsesOutput,
  type OpenAIResponsesItemState,
  type OpenAIResponsesOutput,
  openAIResponsesStreamOutput,
} from './openai-responses-output.js';

/** The part of {@link InferenceStream} the decoder drives (a fake in unit tests). */
export type OpenAIResponsesStreamSink = Pick<
  InferenceStream,
  'appendText' | 'appendThinking' | 'setModel' | 'log' | 'publish' | 'meta'
>;

/** What the stream produced: the outcome for `finish`, the calls in output order, the output items. */
export interface OpenAIResponsesStreamResult {
  /** Usage, stop reason, the output in order (`output`) and `extra.response_id`. */
  outcome: StreamOutcome;
  toolCalls: StreamedToolCall[];
  output: OpenAIResponsesOutput[];
}

type Lifecycle = Extract<OpenAIResponsesEvent, { type: 'response.completed' }>['response'];
type ItemEvent = Extract<OpenAIResponsesEvent, { type: 'response.output_item.added' | 'response.output_item.done' }>;

// Between two summary parts, two message items or two reasoning items, the streamed text gets a
// blank line so the parts do not run together on screen.
const partBreak = '\n\n';

/**
 * Decodes a Responses API SSE stream, one event at a time (dispatched on the payload's `type`,
 * else on the SSE `event:` name).
 *
 * - `response.output_text.delta` / `response.refusal.delta` → `sink.appendText`;
 *   `response.reasoning_summary_text.delta` (and raw `response.reasoning_text.delta`) →
 *   `sink.appendThinking`; a new summary part, message or reasoning item is preceded by a blank line.
 * - Function-call arguments accumulate per item; `function_call_arguments.done` and
 *   `output_item.done` carry the authoritative full text.
 * - `output_item.done` of a reasoning item keeps its `encrypted_content`; items whose text never
 *   streamed (some compatible servers) are published from the `done` item.
 * - Markers for UIs: `info` `thinking-started` / `thinking-ended` / `output-started` /
 *   `output-ended`; web search items → `web-search-started` / `-searching` / `-open-page` / `-done`;
 *   `url_citation` annotations → `citation`.
 * - `response.completed` / `response.incomplete` end the stream (usage, stop reason);
 *   `response.failed` and `error` events → {@link ProviderError} `stream-error` with the provider's
 *   message and code (the reference swallowed them); a payload that is not JSON or not the documented
 *   shape → `stream-malformed`. Unknown event types are skipped.
 */
export class OpenAIResponsesStreamDecoder {
  readonly #provider: string;
  readonly #sink: OpenAIResponsesStreamSink;
  readonly #items = new OpenAIResponsesItemRegistry();
  #ending: { status: 'completed' | 'incomplete'; response: Lifecycle } | undefined;
  /** `outputIndex:part` of the last thinking delta, and the item of the last text delta. */
  #thinkingPart: string | undefined;
  #textItem: OpenAIResponsesItemState | undefined;

  constructor(provider: string, sink: OpenAIResponsesStreamSink) {
    this.#provider = provider;
    this.#sink = sink;
  }

  /** True once `response.completed` or `response.incomplete` arrived; the engine stops reading then. */
  get done(): boolean {
    return this.#ending !== undefined;
  }

  /** Decodes one SSE message. Returns true when it ended the response. Throws {@link ProviderError}. */
  push(message: SseMessage): boolean {
    if (this.#ending) return true;
    // Some Responses-compatible servers end with Chat Completions' marker; the terminal event decides.
    if (message.data.trim() === '[DONE]') return false;
    const event = this.#parse(message);
    return event ? this.#handle(event) : false;
  }

  /**
   * Call after the body ended (or the terminal event). Throws `stream-truncated` when neither
   * `response.completed` nor `response.incomplete` arrived. Dropped function calls are reported as
   * `warn` logs (see `assembleOpenAIResponsesOutput`). The outcome carries the output in order
   * (`StreamOutcome.output`), so `InferenceStream.finish` appends the blocks as the API produced them.
   */
  finish(): OpenAIResponsesStreamResult {
    const ending = this.#ending;
    if (!ending) {
      throw new ProviderError('stream-truncated', `${this.#provider}: stream ended before response.completed`, {
        provider: this.#provider,
      });
    }
    const incomplete = ending.status === 'incomplete';
    const { output, toolCalls, warnings } = assembleOpenAIResponsesOutput(this.#items.values(), incomplete);
    for (const warning of warnings) this.#sink.log('warn', `${this.#provider}: ${warning.message}`, warning.fields);
    const outcome: StreamOutcome = {
      stopReason: mapOpenAIResponsesStopReason({
        status: ending.status,
        incompleteReason: ending.response.incomplete_details?.reason,
        hasToolCalls: toolCalls.length > 0,
      }),
      output: openAIResponsesStreamOutput(output),
    };
    if (ending.response.usage) outcome.usage = mapOpenAIResponsesUsage(ending.response.usage);
    if (ending.response.id) outcome.extra = { response_id: ending.response.id };
    return { outcome, toolCalls, output };
  }

  #parse(message: SseMessage): OpenAIResponsesEvent | undefined {
    let json: unknown;
    try {
      json = JSON.parse(message.data) as unknown;
    } catch (error) {
      throw this.#malformed('a stream event is not valid JSON', message.data, error);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw this.#malformed('a stream event is not a JSON object', message.data, undefined);
    }
    const declared = (json as { type?: unknown }).type;
    const type = typeof declared === 'string' ? declared : message.event;
    if (!type) throw this.#malformed('a stream event has no type', message.data, undefined);
    // Cheap set lookup first: most unknown events (content parts, `*.done` texts) are skipped unparsed.
    if (!openAIResponsesEventTypes.has(type)) return undefined;
    const parsed = openAIResponsesEventSchema.safeParse(typeof declared === 'string' ? json : { ...json, type });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
      throw this.#malformed(
        `a ${type} event does not have the documented shape (${where})`,
        message.data,
        parsed.error,
      );
    }
    return parsed.data;
  }

  #handle(event: OpenAIResponsesEvent): boolean {
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.#sink.setModel(event.response.model);
        return false;
      case 'response.output_item.added':
        this.#itemAdded(event);
        return false;
      case 'response.output_item.done':
        this.#itemDone(event);
        return false;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.#appendText(this.#items.find(event, 'message'), event.delta);
        return false;
      case 'response.reasoning_summary_text.delta':
        this.#appendThinking(this.#items.find(event, 'reasoning'), event.summary_index ?? 0, event.delta);
        return false;
      case 'response.reasoning_text.delta':
        this.#appendThinking(this.#items.find(event, 'reasoning'), event.content_index ?? 0, event.delta);
        return false;
      case 'response.function_call_arguments.delta':
        this.#items.find(event, 'function_call').arguments += event.delta;
        return false;
      case 'response.function_call_arguments.done':
        this.#items.find(event, 'function_call').arguments = event.arguments;
        return false;
      case 'response.output_text.annotation.added':
        publishCitation(this.#sink, event);
        return false;
      case 'response.web_search_call.searching':
      case 'response.web_search_call.completed':
        publishWebSearchProgress(this.#sink, event);
        return false;
      case 'response.completed':
      case 'response.incomplete':
        return this.#end(event.type === 'response.completed' ? 'completed' : 'incomplete', event.response);
      case 'response.failed': {
        const error = event.response.error;
        throw this.#streamError(error?.message, error?.code, event);
      }
      case 'error':
        throw this.#streamError(
          event.message ?? event.error?.message,
          event.code ?? event.error?.code ?? event.error?.type,
          event,
        );
    }
  }

  #itemAdded(event: ItemEvent): void {
    const { item: wire } = event;
    const item = this.#items.find({ output_index: event.output_index, item_id: wire.id }, wire.type);
    this.#absorb(item, wire);
    publishItemMarker(this.#sink, wire, item.id, 'started');
    publishWebSearchItem(this.#sink, wire, item.id, 'started');
  }

  #itemDone(event: ItemEvent): void {
    const { item: wire } = event;
    const item = this.#items.find({ output_index: event.output_index, item_id: wire.id }, wire.type);
    this.#absorb(item, wire);
    item.done = true;
    // Servers that never stream the text still send it in the finished item: publish it now so
    // events and blocks agree.
    if (!item.streamed && wire.type === 'reasoning') {
      wire.summary?.forEach((part, index) => {
        this.#appendThinking(item, index, part.text ?? '');
      });
    } else if (!item.streamed && wire.type === 'message') {
      for (const part of wire.content ?? []) this.#appendText(item, part.text ?? part.refusal ?? '');
    }
    publishItemMarker(this.#sink, wire, item.id, 'ended');
    publishWebSearchItem(this.#sink, wire, item.id, 'ended');
  }

  /** Copies what an `added` / `done` item says onto the state (`done` values are final). */
  #absorb(item: OpenAIResponsesItemState, wire: OpenAIResponsesOutputItem): void {
    item.type = wire.type;
    if (wire.id) this.#items.setId(item, wire.id);
    if (wire.status) item.status = wire.status;
    if (wire.encrypted_content) item.encryptedContent = wire.encrypted_content;
    if (wire.call_id) item.callId = wire.call_id;
    if (wire.name) item.name = wire.name;
    if (wire.arguments) item.arguments = wire.arguments;
  }

  #end(status: 'completed' | 'incomplete', response: Lifecycle): boolean {
    this.#sink.setModel(response.model);
    this.#ending = { status, response };
    if (status === 'incomplete') {
      const reason = response.incomplete_details?.reason ?? 'unknown reason';
      this.#sink.log('warn', `${this.#provider}: the response is incomplete (${reason})`, { reason });
    }
    return true;
  }

  #appendText(item: OpenAIResponsesItemState, delta: string): void {
    if (!delta) return;
    item.text += delta;
    item.streamed = true;
    const prefix = this.#textItem !== undefined && this.#textItem !== item ? partBreak : '';
    this.#textItem = item;
    this.#sink.appendText(prefix + delta);
  }

  #appendThinking(item: OpenAIResponsesItemState, part: number, delta: string): void {
    if (!delta) return;
    if (item.text && item.lastPart !== part) item.text += partBreak;
    item.text += delta;
    item.lastPart = part;
    item.streamed = true;
    const key = `${item.outputIndex}:${part}`;
    const prefix = this.#thinkingPart !== undefined && this.#thinkingPart !== key ? partBreak : '';
    this.#thinkingPart = key;
    this.#sink.appendThinking(prefix + delta);
  }

  #streamError(
    message: string | null | undefined,
    code: string | number | null | undefined,
    body: unknown,
  ): ProviderError {
    return new ProviderError('stream-error', `${this.#provider}: ${message || 'the response failed'}`, {
      provider: this.#provider,
      body,
      ...(code === null || code === undefined || code === '' ? {} : { providerCode: String(code) }),
    });
  }

  #malformed(what: string, data: string, cause: unknown): ProviderError {
    return new ProviderError('stream-malformed', `${this.#provider}: ${what}`, {
      provider: this.#provider,
      body: data.length > 500 ? `${data.slice(0, 500)}…` : data,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
