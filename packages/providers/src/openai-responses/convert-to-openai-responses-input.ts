import type { Block, ImageRef, ToolUseBlock, UserBlock } from '@cricket/core';

/** A content part of a system, developer or user message. */
export type OpenAIResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' | 'low' | 'high' };

/** One item of the request's `input` list. */
export type OpenAIResponsesInputItem =
  | { role: 'system' | 'developer' | 'user'; content: OpenAIResponsesInputContent[] }
  /** `id` is the message item id, sent only right after its replayed reasoning item. */
  | { role: 'assistant'; content: { type: 'output_text'; text: string }[]; id?: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string; id?: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | { type: 'reasoning'; id: string; encrypted_content: string; summary: [] };

/** Options of {@link convertToOpenAIResponsesInput}. */
export interface OpenAIResponsesInputOptions {
  /** Role of system blocks: `developer` for reasoning models, `system` otherwise. */
  systemRole: 'system' | 'developer';
}

/** The converted conversation plus problems worth telling the user about (published as `log` events). */
export interface ConvertedOpenAIResponsesInput {
  input: OpenAIResponsesInputItem[];
  warnings: string[];
}

/**
 * Maps a turn's blocks to Responses `input` items, in block order:
 * - `system` → a `system` (or `developer`) message, `user` → a `user` message with `input_text` and
 *   `input_image` parts (inline bytes become a `data:` URL; detail defaults to `auto`), `llm_text` and
 *   `other` with text → an `assistant` message with `output_text`; blank texts are skipped.
 * - `tool_call` → a `function_call` item (arguments as JSON text, `{}` when empty); `tool_use` → a
 *   `function_call_output` item whose output is the result text, or `{"error": …, "result": …}` JSON
 *   when the call failed. Results without a matching call are dropped (the API rejects them) and
 *   calls without a result are reported, both as warnings.
 * - Reasoning replay (requests use `store: false`, so the API remembers nothing): every `reasoning`
 *   block with `item_id` and `encrypted_content` that is immediately followed by the `llm_text` or
 *   `tool_call` block it preceded in its response (which carries an `item_id`) becomes a `reasoning`
 *   item right before that item — in every tool chain of the conversation, not only the latest.
 *   Output items after a replayed reasoning item keep their `id`, as the API requires; all other
 *   output items are sent without `id`, because an item id whose reasoning is missing is rejected.
 *   Reasoning blocks that cannot be replayed (no encrypted content, from another provider, cut off)
 *   are skipped.
 */
export function convertToOpenAIResponsesInput(
  blocks: readonly Block[],
  options: OpenAIResponsesInputOptions,
): ConvertedOpenAIResponsesInput {
  const input: OpenAIResponsesInputItem[] = [];
  const warnings: string[] = [];
  const callIds = new Set<string>();
  const answered = new Set<string>();
  for (const block of blocks) if (block.kind === 'tool_call') callIds.add(block.payload.id);
  // True while the items of one response follow a replayed reasoning item.
  let keepItemIds = false;

  blocks.forEach((block, position) => {
    switch (block.kind) {
      case 'reasoning': {
        const { item_id: itemId, encrypted_content: encrypted } = block.payload;
        keepItemIds = Boolean(itemId && encrypted && isReplayFollower(blocks[position + 1]));
        if (keepItemIds && itemId && encrypted) {
          input.push({ type: 'reasoning', id: itemId, encrypted_content: encrypted, summary: [] });
        }
        break;
      }
      case 'llm_text': {
        const text = textOf(block.payload.text);
        if (!text.trim()) break;
        const itemId = keepItemIds ? block.payload.item_id : undefined;
        input.push({ role: 'assistant', content: [{ type: 'output_text', text }], ...(itemId ? { id: itemId } : {}) });
        break;
      }
      case 'tool_call': {
        const { id, name, args } = block.payload;
        const itemId = keepItemIds ? block.payload.item_id : undefined;
        input.push({
          type: 'function_call',
          call_id: id,
          name,
          arguments: encodeArguments(args),
          ...(itemId ? { id: itemId } : {}),
        });
        break;
      }
      case 'tool_use': {
        keepItemIds = false;
        const id = block.payload.id;
        if (!callIds.has(id)) {
          warnings.push(`tool result ${id} has no matching tool call; it was not sent`);
          break;
        }
        answered.add(id);
        input.push({ type: 'function_call_output', call_id: id, output: toolOutput(block) });
        break;
      }
      case 'system': {
        keepItemIds = false;
        const text = textOf(block.payload.text);
        if (text.trim()) input.push({ role: options.systemRole, content: [{ type: 'input_text', text }] });
        break;
      }
      case 'user': {
        keepItemIds = false;
        const message = userMessage(block);
        if (message) input.push(message);
        break;
      }
      case 'other': {
        keepItemIds = false;
        const text = textOf(block.payload.text);
        if (text.trim()) input.push({ role: 'assistant', content: [{ type: 'output_text', text }] });
        break;
      }
    }
  });
  for (const id of callIds) {
    if (!answered.has(id)) warnings.push(`tool call ${id} has no tool result; the provider will reject the request`);
  }
  return { input, warnings };
}

// The item a reasoning item must be followed by: the message or function call of the same response,
// identified by its item id (a text block without one was not produced by the Responses API).
function isReplayFollower(block: Block | undefined): boolean {
  if (!block) return false;
  if (block.kind === 'tool_call') return Boolean(block.payload.item_id);
  if (block.kind === 'llm_text') return Boolean(block.payload.item_id) && textOf(block.payload.text).trim() !== '';
  return false;
}

function userMessage(block: UserBlock): OpenAIResponsesInputItem | undefined {
  const text = textOf(block.payload.text);
  const content: OpenAIResponsesInputContent[] = [];
  if (text.trim()) content.push({ type: 'input_text', text });
  for (const image of block.payload.images ?? []) {
    content.push({ type: 'input_image', image_url: imageUrl(image), detail: image.detail ?? 'auto' });
  }
  return content.length > 0 ? { role: 'user', content } : undefined;
}

function imageUrl(image: ImageRef): string {
  return 'url' in image ? image.url : `data:${image.media_type};base64,${image.content}`;
}

// Payloads loaded from YAML can hold non-strings where text is expected; send them as JSON.
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function encodeArguments(args: unknown): string {
  if (typeof args === 'string') return args.trim() === '' ? '{}' : args;
  return JSON.stringify(args ?? {});
}

function toolOutput(block: ToolUseBlock): string {
  const { result, error } = block.payload;
  if (!error) return typeof result === 'string' ? result : textOf(result);
  const failure: Record<string, unknown> = { error };
  if (result !== undefined && result !== '') failure.result = parseIfJson(result);
  return JSON.stringify(failure);
}

function parseIfJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
