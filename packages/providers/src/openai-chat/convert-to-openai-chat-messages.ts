import type { Block, ImageRef, UserBlock } from '@cricket/core';

/** A content part of a multi-part user message. */
export type OpenAIChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail: 'auto' | 'low' | 'high' } };

/** A function call inside an assistant message. */
export interface OpenAIChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One Chat Completions request message. */
export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** The converted conversation plus problems worth telling the user about (published as `log` events). */
export interface ConvertedOpenAIChatMessages {
  messages: OpenAIChatMessage[];
  warnings: string[];
}

/** A message waiting to be written, with the call ids it opens (for assistant tool-call messages). */
interface Unit {
  message: OpenAIChatMessage;
  callIds: string[];
}

/**
 * Maps a turn's blocks to Chat Completions messages:
 * - `system` / `user` / `llm_text` → system / user / assistant (blank text skipped); `other` with
 *   text → assistant; `reasoning` skipped (Chat Completions cannot take it back).
 * - User images → multi-part content: the text part, then `image_url` parts (inline bytes become a
 *   `data:` URL; detail defaults to `auto`).
 * - Consecutive `tool_call` blocks → one assistant message with `tool_calls` (arguments as JSON text,
 *   `{}` when empty); each `tool_use` → a `tool` message with `tool_call_id`, content = the result
 *   text, or `{"error": …, "result": …}` JSON when the call failed.
 * - Ordering guard: the API rejects anything between an assistant `tool_calls` message and its tool
 *   results, so other messages met in between are held back until every result has been written; a
 *   result that arrives before its call is held until the call is written. Leftovers are flushed at
 *   the end, with a warning for calls that never got a result and results without a call (dropped).
 */
export function convertToOpenAIChatMessages(blocks: readonly Block[]): ConvertedOpenAIChatMessages {
  const messages: OpenAIChatMessage[] = [];
  const warnings: string[] = [];
  let group: OpenAIChatToolCall[] = [];
  const deferred: Unit[] = [];
  const outstanding = new Set<string>();
  const earlyResults = new Map<string, OpenAIChatMessage>();

  const write = (unit: Unit) => {
    messages.push(unit.message);
    for (const id of unit.callIds) {
      const result = earlyResults.get(id);
      if (result) {
        messages.push(result);
        earlyResults.delete(id);
      } else {
        outstanding.add(id);
      }
    }
  };
  const drain = () => {
    while (outstanding.size === 0) {
      const unit = deferred.shift();
      if (!unit) return;
      write(unit);
    }
  };
  const emit = (message: OpenAIChatMessage, callIds: string[] = []) => {
    if (outstanding.size > 0) deferred.push({ message, callIds });
    else write({ message, callIds });
  };
  const flushGroup = () => {
    if (group.length === 0) return;
    const calls = group;
    group = [];
    emit(
      { role: 'assistant', content: null, tool_calls: calls },
      calls.map((call) => call.id),
    );
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'tool_call':
        group.push({
          id: block.payload.id,
          type: 'function',
          function: { name: block.payload.name, arguments: encodeArguments(block.payload.args) },
        });
        break;
      case 'tool_use': {
        flushGroup();
        const id = block.payload.id;
        const message: OpenAIChatMessage = { role: 'tool', tool_call_id: id, content: toolResultContent(block) };
        if (outstanding.delete(id)) {
          messages.push(message);
          drain();
        } else {
          earlyResults.set(id, message);
        }
        break;
      }
      case 'reasoning':
        break;
      default: {
        const message = chatMessage(block);
        if (!message) break;
        flushGroup();
        emit(message);
      }
    }
  }
  flushGroup();
  // Leftovers: write what was held back even though results are missing; the API will say why.
  for (const unit of deferred.splice(0)) write(unit);
  for (const id of outstanding)
    warnings.push(`tool call ${id} has no tool result; the provider will reject the request`);
  for (const id of earlyResults.keys()) warnings.push(`tool result ${id} has no matching tool call; it was not sent`);
  return { messages, warnings };
}

function chatMessage(block: Block): OpenAIChatMessage | undefined {
  switch (block.kind) {
    case 'system': {
      const text = textOf(block.payload.text);
      return text.trim() ? { role: 'system', content: text } : undefined;
    }
    case 'user':
      return userMessage(block);
    case 'llm_text':
    case 'other': {
      const text = textOf(block.payload.text);
      return text.trim() ? { role: 'assistant', content: text } : undefined;
    }
    default:
      return undefined;
  }
}

function userMessage(block: UserBlock): OpenAIChatMessage | undefined {
  const text = textOf(block.payload.text);
  const images = block.payload.images ?? [];
  if (images.length === 0) return text.trim() ? { role: 'user', content: text } : undefined;
  const parts: OpenAIChatContentPart[] = [];
  if (text.trim()) parts.push({ type: 'text', text });
  for (const image of images)
    parts.push({ type: 'image_url', image_url: { url: imageUrl(image), detail: image.detail ?? 'auto' } });
  return { role: 'user', content: parts };
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

function toolResultContent(block: Extract<Block, { kind: 'tool_use' }>): string {
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
