import { randomUUID } from 'node:crypto';
import type { StreamedToolCall, StreamOutputBlock } from '../shared/inference-stream.js';

/** What the decoder knows about one output item of the response while it streams. */
export interface OpenAIResponsesItemState {
  /** Position in the response's `output` array. */
  outputIndex: number;
  /** Arrival order, to keep items sharing an index (a misbehaving server) stable. */
  order: number;
  /** Provider item id (`msg_…`, `rs_…`, `fc_…`); empty when the server sent none. */
  id: string;
  /** `message`, `reasoning`, `function_call`, `web_search_call`, ... */
  type: string;
  /** Message text or reasoning summary (parts joined by a blank line) as streamed. */
  text: string;
  /** Summary / content index that last received text, to separate parts. */
  lastPart: number | undefined;
  /** True once a text or summary delta arrived (else the `done` item's text is used). */
  streamed: boolean;
  /** True once `response.output_item.done` arrived. */
  done: boolean;
  status: string | undefined;
  encryptedContent: string | undefined;
  callId: string | undefined;
  name: string | undefined;
  arguments: string;
}

/** One output item worth keeping, in output order. */
export type OpenAIResponsesOutput =
  | {
      type: 'reasoning';
      itemId: string;
      /** The summary text (may be empty). */
      text: string;
      /** Only set when the item can be replayed: see {@link assembleOpenAIResponsesOutput}. */
      encryptedContent?: string;
    }
  | { type: 'message'; itemId: string; text: string }
  | { type: 'function_call'; call: StreamedToolCall };

/** The kept output plus what was dropped and why (for `warn` logs). */
export interface AssembledOpenAIResponsesOutput {
  output: OpenAIResponsesOutput[];
  /** The function calls of `output`, in output order. */
  toolCalls: StreamedToolCall[];
  warnings: { message: string; fields: Record<string, unknown> }[];
}

/**
 * Turns the decoder's item states into the output to keep, in `output_index` order:
 * - messages with non-empty text;
 * - function calls with a name that were not cut off (`status: incomplete`, or never finished in an
 *   incomplete response); a missing `call_id` falls back to the item id, then to a generated one;
 * - reasoning items with a summary or replayable state. `encryptedContent` is kept only when the
 *   item is immediately followed by a kept message or function call: the API rejects a replayed
 *   reasoning item whose following item is missing, and items of hosted tools (web search, ...)
 *   are not replayed, so reasoning that preceded one of them can never be replayed legally.
 */
export function assembleOpenAIResponsesOutput(
  items: Iterable<OpenAIResponsesItemState>,
  responseIncomplete: boolean,
): AssembledOpenAIResponsesOutput {
  const sorted = [...items].sort((a, b) => a.outputIndex - b.outputIndex || a.order - b.order);
  const warnings: AssembledOpenAIResponsesOutput['warnings'] = [];
  const calls = new Map<OpenAIResponsesItemState, StreamedToolCall>();
  for (const item of sorted) {
    if (item.type !== 'function_call') continue;
    const fields = { item_id: item.id, call_id: item.callId ?? '', name: item.name ?? '' };
    if (!item.name) {
      warnings.push({ message: 'dropped a function call without a name', fields });
    } else if (item.status === 'incomplete' || (responseIncomplete && !item.done)) {
      warnings.push({ message: `dropped the cut-off function call ${item.name}`, fields });
    } else {
      const call: StreamedToolCall = {
        id: item.callId || item.id || `call_${randomUUID().replaceAll('-', '')}`,
        name: item.name,
        arguments: item.arguments,
      };
      if (item.id) call.itemId = item.id;
      calls.set(item, call);
    }
  }
  const kept = (item: OpenAIResponsesItemState | undefined): boolean =>
    item !== undefined && ((item.type === 'message' && item.text !== '') || calls.has(item));

  const output: OpenAIResponsesOutput[] = [];
  sorted.forEach((item, position) => {
    if (item.type === 'reasoning') {
      const replayable = Boolean(item.encryptedContent && item.id && kept(sorted[position + 1]));
      if (!item.text && !replayable) return;
      const reasoning: OpenAIResponsesOutput = { type: 'reasoning', itemId: item.id, text: item.text };
      if (replayable && item.encryptedContent) reasoning.encryptedContent = item.encryptedContent;
      output.push(reasoning);
    } else if (item.type === 'message') {
      if (item.text) output.push({ type: 'message', itemId: item.id, text: item.text });
    } else {
      const call = calls.get(item);
      if (call) output.push({ type: 'function_call', call });
    }
  });
  return { output, toolCalls: [...calls.values()], warnings };
}

/**
 * The output of a finished response for `InferenceStream.finish` (`StreamOutcome.output`), in
 * output order: a `reasoning` block per reasoning item (`text`, `item_id`, `encrypted_content` when
 * replayable), an `llm_text` block per message (with its `item_id`), and the place of each function
 * call (its block is built by the stream from the recorded call, decoded arguments included).
 *
 * Keeping the provider's order is what lets the next request put every reasoning item right
 * before the item that followed it, as the API requires.
 */
export function openAIResponsesStreamOutput(output: readonly OpenAIResponsesOutput[]): StreamOutputBlock[] {
  return output.map((entry): StreamOutputBlock => {
    if (entry.type === 'reasoning') {
      return {
        kind: 'reasoning',
        payload: {
          ...(entry.text ? { text: entry.text } : {}),
          ...(entry.itemId ? { item_id: entry.itemId } : {}),
          ...(entry.encryptedContent ? { encrypted_content: entry.encryptedContent } : {}),
        },
      };
    }
    if (entry.type === 'message') {
      return { kind: 'llm_text', payload: { text: entry.text, ...(entry.itemId ? { item_id: entry.itemId } : {}) } };
    }
    return { kind: 'tool_call', id: entry.call.id };
  });
}
