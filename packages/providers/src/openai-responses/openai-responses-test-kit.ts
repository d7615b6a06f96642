import type { EventMetadata, InferenceEvent } from '@cricket/core';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import { OpenAIResponsesStreamDecoder, type OpenAIResponsesStreamSink } from './openai-responses-stream.js';

// Test support for the decoder's own tests (not exported from the package): a recording sink and
// builders of Responses stream events.

/** The metadata the recording sink stamps on published events. */
export const recordedMeta: EventMetadata = { message_id: 'message-1' };

/**
 * A decoder over a recording sink. `calls` lists `text:` / `thinking:` / `model:` / `<level>:`
 * entries in order; `events` the published events; `push` feeds JSON payloads as SSE messages.
 */
export function recorder() {
  const calls: string[] = [];
  const events: InferenceEvent[] = [];
  const sink: OpenAIResponsesStreamSink = {
    appendText: (delta) => calls.push(`text:${delta}`),
    appendThinking: (delta) => calls.push(`thinking:${delta}`),
    setModel: (model) => {
      if (model) calls.push(`model:${model}`);
    },
    log: (level, message) => calls.push(`${level}:${message}`),
    publish: (event) => events.push(event),
    meta: () => recordedMeta,
  };
  const decoder = new OpenAIResponsesStreamDecoder('openai-responses', sink);
  const push = (...payloads: Record<string, unknown>[]) =>
    payloads.map((payload) => decoder.push({ data: JSON.stringify(payload) }));
  return { decoder, push, calls, events };
}

/** A response object with the given status. */
export const response = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'resp_1',
  object: 'response',
  status,
  model: 'gpt-5-mini-2025-08-07',
  output: [],
  ...extra,
});

/** A usage object with cached and reasoning details. */
export const usage = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 20,
  output_tokens_details: { reasoning_tokens: 12 },
  total_tokens: 30,
};

/** `response.completed` with {@link usage}. */
export const completed = { type: 'response.completed', response: response('completed', { usage }) };

/** `response.output_item.added` at `index`. */
export const added = (index: number, item: Record<string, unknown>) => ({
  type: 'response.output_item.added',
  output_index: index,
  item,
});

/** `response.output_item.done` at `index`. */
export const done = (index: number, item: Record<string, unknown>) => ({
  type: 'response.output_item.done',
  output_index: index,
  item,
});

/** A reasoning summary delta of item `rs_<index>`, part `part`. */
export const summary = (index: number, part: number, delta: string) => ({
  type: 'response.reasoning_summary_text.delta',
  item_id: `rs_${index}`,
  output_index: index,
  summary_index: part,
  delta,
});

/** An output text delta of item `msg_<index>`. */
export const text = (index: number, delta: string) => ({
  type: 'response.output_text.delta',
  item_id: `msg_${index}`,
  output_index: index,
  content_index: 0,
  delta,
});

/** A `get_weather` function call item `fc_<index>` / `call_<index>`. */
export const call = (index: number, extra: Record<string, unknown> = {}) => ({
  id: `fc_${index}`,
  type: 'function_call',
  call_id: `call_${index}`,
  name: 'get_weather',
  arguments: '',
  ...extra,
});

/** Runs `run` and returns the {@link ProviderError} of `code` it threw (fails otherwise). */
export function expectProviderError(run: () => unknown, code: ProviderError['code']): ProviderError {
  try {
    run();
  } catch (error) {
    if (!isProviderError(error)) throw error;
    if (error.code !== code) throw new Error(`expected a ${code} ProviderError, got ${error.code}: ${error.message}`);
    return error;
  }
  throw new Error(`expected a ${code} ProviderError`);
}
