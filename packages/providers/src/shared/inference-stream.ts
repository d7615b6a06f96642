import { randomUUID } from 'node:crypto';
import {
  type Block,
  type BlockPayloads,
  type CricketError,
  cancelledError,
  type EventMetadata,
  errorMessage,
  eventMetadataFor,
  type InferenceContext,
  InferenceError,
  type InferenceEvent,
  isCricketError,
  llmTextBlock,
  modelKey,
  providerKey,
  reasoningBlock,
  stopReasonKey,
  type Turn,
  toolCallBlock,
  type Usage,
  usageKey,
} from '@cricket/core';
import type { RetryNotice } from './post-json-stream.js';

/** Sampling settings copied into every event's metadata (only the ones actually sent). */
export interface SamplingMetadata {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

/** Options of {@link InferenceStream}. */
export interface InferenceStreamOptions {
  /** Provider id, written to the turn's `providerKey` (`openai-chat`, `anthropic`, ...). */
  provider: string;
  /** The requested model; replaced by the model the response names (see {@link InferenceStream.setModel}). */
  model: string;
  turn: Turn;
  context: InferenceContext;
  sampling?: SamplingMetadata;
}

/** A complete tool call as streamed by a provider. */
export interface StreamedToolCall {
  id: string;
  name: string;
  /** The arguments exactly as the model wrote them (JSON text; empty means `{}`). */
  arguments: string;
  /** Provider output-item id to replay (OpenAI Responses), written to the block's `item_id`. */
  itemId?: string;
  /**
   * Provider extras copied onto the `tool_call` block's payload (e.g. opaque per-call state to send
   * back on the next request). They never replace `id`, `name`, `args` or `item_id`.
   */
  extra?: Record<string, unknown>;
}

/**
 * One output block in the order the provider produced it (see {@link StreamOutcome.output}):
 * a `reasoning` or `llm_text` block with its full payload, or the place of a tool call recorded
 * with {@link InferenceStream.toolCall}, named by its call id.
 */
export type StreamOutputBlock =
  | { kind: 'reasoning'; payload: BlockPayloads['reasoning'] }
  | { kind: 'llm_text'; payload: BlockPayloads['llm_text'] }
  | { kind: 'tool_call'; id: string };

/** What a successful stream ended with. */
export interface StreamOutcome {
  /**
   * This call's usage. When the provider reported none (an OpenAI-compatible server ignoring
   * `include_usage`, say), `final` and the turn carry zero counts, so usage is always numeric.
   */
  usage?: Usage;
  /**
   * Normalised stop reason (see `StopReason`); when the provider gave none, `tool_calls` if tool
   * calls were recorded, else `stop`.
   */
  stopReason?: string;
  /**
   * The output blocks in provider order, for providers whose output is not "one reasoning block,
   * one text block, then the calls": several reasoning items or messages with their own ids
   * (OpenAI Responses), several thinking blocks that must be replayed unchanged (Anthropic). When
   * set, `finish` appends exactly these blocks (empty texts and empty payloads skipped) and
   * ignores the streamed thinking / text and {@link reasoning}; recorded tool calls that no entry
   * names are appended after them, entries naming an unknown call are dropped with a `warn` log.
   */
  output?: readonly StreamOutputBlock[];
  /** Default layout only: extra payload for the reasoning block (encrypted content, signature, item id). */
  reasoning?: Omit<BlockPayloads['reasoning'], 'text'>;
  /**
   * Provider details for the `final` event's `meta.extra` (response id, stop sequence, model
   * version, ...); omitted from the event when empty.
   */
  extra?: Record<string, unknown>;
}

/**
 * The provider-neutral half of an engine call: it owns the event stream and the blocks, so that all
 * five engines publish the same sequence and append the same blocks, and differ only in wire parsing.
 *
 * Lifecycle: create one per `infer` call (one fresh `message_id`), call {@link start} when the
 * provider accepted the request, feed {@link appendText} / {@link appendThinking} / {@link toolCall} while
 * decoding, then either {@link finish} (success) or `throw stream.fail(error)` (anything else).
 *
 * Events: `start` → `partial` / `partial-thinking` per non-empty delta (with the accumulated text) →
 * `tool-call` per call → `final` with usage, stop reason, model and duration (always), plus the
 * provider's `extra` when given. Every event carries
 * `eventMetadataFor(turn, context, message_id, …)` plus the model and sampling settings.
 *
 * Blocks appended by `finish`, by default: `reasoning` (when thinking text or reasoning payload
 * exists), then `llm_text` (when text is non-empty), then one `tool_call` per call, in the order
 * they were given. A provider whose output interleaves several reasoning / text / call items passes
 * them in order as {@link StreamOutcome.output} instead. Either way the blocks are on the turn, and
 * its metadata stamped, before `final` is published.
 */
export class InferenceStream {
  /** One id per engine call, shared by all its events. */
  readonly messageId = randomUUID();
  readonly #options: InferenceStreamOptions;
  readonly #startedAt = performance.now();
  #model: string;
  #text = '';
  #thinking = '';
  #started = false;
  /** Set once `finish` or `fail` ran: the call's outcome is published exactly once. */
  #closed = false;
  #failure: CricketError | undefined;
  readonly #toolCalls: { call: StreamedToolCall; args: unknown }[] = [];

  constructor(options: InferenceStreamOptions) {
    this.#options = options;
    this.#model = options.model;
  }

  /** Assistant text accumulated so far. */
  get text(): string {
    return this.#text;
  }

  /** Thinking text accumulated so far. */
  get thinking(): string {
    return this.#thinking;
  }

  /** The model events and the turn report: the requested one until the response names its own. */
  get model(): string {
    return this.#model;
  }

  /** Records the model the provider says answered (ignored when empty). */
  setModel(model: string | null | undefined): void {
    if (model) this.#model = model;
  }

  /** Event metadata for this call, with the model and sampling settings plus `fields`. */
  meta(fields: Omit<EventMetadata, 'message_id'> = {}): EventMetadata {
    const { turn, context, sampling } = this.#options;
    return eventMetadataFor(turn, context, this.messageId, { model: this.#model, ...sampling, ...fields });
  }

  /** Publishes an event through the context's sink. */
  publish(event: InferenceEvent): void {
    this.#options.context.sink.publish(event);
  }

  /** Publishes `start` (once; later calls do nothing). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.publish({ type: 'start', meta: this.meta() });
  }

  /** Appends a text delta and publishes `partial` (empty deltas are ignored). */
  appendText(delta: string): void {
    if (!delta) return;
    this.start();
    this.#text += delta;
    this.publish({ type: 'partial', meta: this.meta(), delta, completion: this.#text });
  }

  /** Appends a thinking delta and publishes `partial-thinking` (empty deltas are ignored). */
  appendThinking(delta: string): void {
    if (!delta) return;
    this.start();
    this.#thinking += delta;
    this.publish({ type: 'partial-thinking', meta: this.meta(), delta, completion: this.#thinking });
  }

  /** Publishes a `log` event (warnings about the request or the stream that the user should see). */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.publish({ type: 'log', meta: this.meta(), level, message, ...(fields ? { fields } : {}) });
  }

  /** Publishes a `warn` log for a retry of the request (pass it as `postJsonStream`'s `onRetry`). */
  logRetry(notice: RetryNotice): void {
    const { retry, maxRetries, delayMs, error } = notice;
    this.log('warn', `${error.message}; retry ${retry} of ${maxRetries} in ${delayMs} ms`, {
      retry,
      delay_ms: delayMs,
      ...(error.status === undefined ? {} : { status: error.status }),
    });
  }

  /**
   * Records a complete tool call and publishes its `tool-call` event. Arguments are JSON-decoded
   * for the block; arguments that are not valid JSON are kept as the raw string (the call still
   * reaches the tool loop, whose argument validation reports it to the model) and a `warn` log
   * event says so.
   */
  toolCall(call: StreamedToolCall): void {
    this.start();
    const input = call.arguments.trim() === '' ? '{}' : call.arguments;
    let args: unknown;
    try {
      args = JSON.parse(input) as unknown;
    } catch {
      args = call.arguments;
      this.log('warn', `${this.#options.provider}: tool call ${call.name} (${call.id}) has invalid JSON arguments`, {
        call_id: call.id,
        name: call.name,
        arguments: call.arguments.length > 500 ? `${call.arguments.slice(0, 500)}…` : call.arguments,
      });
    }
    this.#toolCalls.push({ call, args });
    this.publish({ type: 'tool-call', meta: this.meta(), tool_call: { id: call.id, name: call.name, input } });
  }

  /**
   * Ends a successful call: appends the blocks (see {@link StreamOutcome.output} for the order),
   * stamps the turn (`providerKey`, `modelKey`, `stopReasonKey`, and `usageKey` = this call's
   * usage), publishes `final` (with `model`, `usage`, `stop_reason`, `duration_ms` and `extra`
   * when given), and returns the same turn.
   */
  finish(outcome: StreamOutcome = {}): Turn {
    const { turn, provider } = this.#options;
    this.start();
    const blocks = outcome.output ? this.#outputBlocks(outcome.output) : this.#defaultBlocks(outcome);
    const stopReason = outcome.stopReason || (this.#toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const usage = outcome.usage ?? { input_tokens: 0, output_tokens: 0 };
    const extra = outcome.extra && Object.keys(outcome.extra).length > 0 ? { ...outcome.extra } : undefined;
    // Metadata first: if a store rejects a value, `fail` still reports it as an error event.
    turn.metadata.set(providerKey, provider);
    turn.metadata.set(modelKey, this.#model);
    turn.metadata.set(stopReasonKey, stopReason);
    // This call's usage, as the scripted engine writes it; summing over the calls of an inference
    // is the tool loop's job (it knows where an inference starts).
    turn.metadata.set(usageKey, usage);
    this.#closed = true;
    turn.blocks.push(...blocks);
    this.publish({
      type: 'final',
      meta: this.meta({
        duration_ms: this.durationMs(),
        stop_reason: stopReason,
        usage,
        ...(extra ? { extra } : {}),
      }),
      text: this.#text,
    });
    return turn;
  }

  /**
   * Ends a failed call and returns the error to throw. When the context's signal has fired, this is
   * a cancellation: an `interrupt` event with the partial text, then `InferenceError('cancelled')`.
   * Otherwise an `error` event (message, code, blame) and the error itself (non-Cricket errors are
   * wrapped in `InferenceError('engine-failed')`). Either way, text and thinking that already
   * streamed are appended as `reasoning` / `llm_text` blocks so what the user saw is kept;
   * incomplete tool calls are dropped.
   */
  fail(error: unknown): CricketError {
    const { context, turn } = this.#options;
    // `throw stream.fail(x)` inside a try whose catch also calls `fail` must not publish twice.
    if (this.#failure) return this.#failure;
    const failure = this.#toFailure(error);
    this.#failure = failure;
    if (this.#closed) return failure;
    this.#closed = true;
    turn.blocks.push(...this.#partialBlocks({}));
    if (context.signal.aborted) {
      this.publish({ type: 'interrupt', meta: this.meta({ duration_ms: this.durationMs() }), text: this.#text });
      return failure;
    }
    this.publish({
      type: 'error',
      meta: this.meta({ duration_ms: this.durationMs() }),
      error_string: failure.message,
      code: failure.code,
      blame: failure.blame,
    });
    return failure;
  }

  #toFailure(error: unknown): CricketError {
    if (this.#options.context.signal.aborted) {
      return error instanceof InferenceError && error.code === 'cancelled'
        ? error
        : cancelledError(this.#options.context.signal, `${this.#options.provider}: inference`);
    }
    if (isCricketError(error)) return error;
    return new InferenceError('engine-failed', `${this.#options.provider}: ${errorMessage(error)}`, { cause: error });
  }

  /** Milliseconds since this stream was created. */
  durationMs(): number {
    return Math.round(performance.now() - this.#startedAt);
  }

  /** Reasoning and text as streamed: what `fail` keeps, and the default layout's first blocks. */
  #partialBlocks(outcome: Pick<StreamOutcome, 'reasoning'>): Block[] {
    const blocks: Block[] = [];
    const extra = outcome.reasoning ?? {};
    if (this.#thinking || Object.keys(extra).length > 0) {
      blocks.push(reasoningBlock({ ...extra, ...(this.#thinking ? { text: this.#thinking } : {}) }));
    }
    if (this.#text) blocks.push(llmTextBlock(this.#text));
    return blocks;
  }

  #defaultBlocks(outcome: StreamOutcome): Block[] {
    return [...this.#partialBlocks(outcome), ...this.#toolCalls.map(callBlock)];
  }

  #outputBlocks(output: readonly StreamOutputBlock[]): Block[] {
    const blocks: Block[] = [];
    // Calls are matched by id, first unplaced one first, so even duplicate ids keep their order.
    const unplaced = [...this.#toolCalls];
    for (const entry of output) {
      if (entry.kind === 'reasoning') {
        if (Object.keys(entry.payload).length > 0) blocks.push(reasoningBlock({ ...entry.payload }));
      } else if (entry.kind === 'llm_text') {
        if (!entry.payload.text) continue;
        const block = llmTextBlock(entry.payload.text);
        block.payload = { ...entry.payload };
        blocks.push(block);
      } else {
        const index = unplaced.findIndex(({ call }) => call.id === entry.id);
        const [recorded] = index < 0 ? [] : unplaced.splice(index, 1);
        if (recorded) {
          blocks.push(callBlock(recorded));
        } else {
          this.log('warn', `${this.#options.provider}: output names tool call ${entry.id}, which was never recorded`, {
            call_id: entry.id,
          });
        }
      }
    }
    // A recorded call was published as a `tool-call` event: its block must exist even if the
    // provider's output forgot to place it.
    blocks.push(...unplaced.map(callBlock));
    return blocks;
  }
}

function callBlock({ call, args }: { call: StreamedToolCall; args: unknown }): Block {
  const block = toolCallBlock(call.id, call.name, args, call.itemId ? { itemId: call.itemId } : {});
  if (call.extra) block.payload = { ...call.extra, ...block.payload };
  return block;
}
