import type { Block, ImageRef, ToolUseBlock, UserBlock } from '@cricket/core';

/** A tool call inside an assistant message; `arguments` is a JSON object, not JSON text. */
export interface OllamaToolCall {
  /** Sent back when known (newer Ollama versions send and read call ids; older ones ignore it). */
  id?: string;
  function: { index: number; name: string; arguments: Record<string, unknown> };
}

/** One `/api/chat` request message. */
export type OllamaMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; images?: string[] }
  | { role: 'assistant'; content: string; thinking?: string; tool_calls?: OllamaToolCall[] }
  | { role: 'tool'; content: string; tool_name: string; tool_call_id: string };

/** The converted conversation plus problems worth telling the user about (published as `log` events). */
export interface ConvertedOllamaMessages {
  messages: OllamaMessage[];
  warnings: string[];
}

/** The assistant message being assembled from one engine call's blocks. */
interface AssistantDraft {
  content: string[];
  thinking: string[];
  calls: OllamaToolCall[];
}

/**
 * Maps a turn's blocks to Ollama `/api/chat` messages:
 * - `system` / `user` → system / user messages (blank text skipped); user images → `images` as bare
 *   base64 (inline content, or the payload of a `data:` URL); other URLs cannot be sent (Ollama
 *   does not fetch) and are dropped with a warning;
 * - the blocks of one engine call — `reasoning` (its text), `llm_text` / `other` text and
 *   `tool_call`s — become one assistant message with `thinking`, `content` and `tool_calls`
 *   (`{id, function: {index, name, arguments}}`, arguments as an object; arguments that are not a
 *   JSON object are sent as `{}` with a warning). A new reasoning block starts a new message;
 * - `tool_use` → a `tool` message with `tool_name` (from the matching call — Ollama's templates
 *   need the name), `tool_call_id`, and content = the result text, or `{"error": …, "result": …}`
 *   JSON for a failed call. Results without a matching call are dropped with a warning.
 */
export function convertToOllamaMessages(blocks: readonly Block[]): ConvertedOllamaMessages {
  const messages: OllamaMessage[] = [];
  const warnings: string[] = [];
  const callNames = new Map<string, string>();
  let draft: AssistantDraft | undefined;

  const flush = () => {
    if (!draft) return;
    const { content, thinking, calls } = draft;
    draft = undefined;
    if (content.length === 0 && calls.length === 0) return;
    const message: OllamaMessage = { role: 'assistant', content: content.join('\n\n') };
    if (thinking.length > 0) message.thinking = thinking.join('\n\n');
    if (calls.length > 0) message.tool_calls = calls;
    messages.push(message);
  };
  const assistant = (): AssistantDraft => {
    draft ??= { content: [], thinking: [], calls: [] };
    return draft;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'system': {
        const text = textOf(block.payload.text);
        if (!text.trim()) break;
        flush();
        messages.push({ role: 'system', content: text });
        break;
      }
      case 'user': {
        const message = userMessage(block, warnings);
        if (!message) break;
        flush();
        messages.push(message);
        break;
      }
      case 'reasoning': {
        // The reasoning block opens the output of one engine call.
        flush();
        const text = textOf(block.payload.text);
        if (text.trim()) assistant().thinking.push(text);
        break;
      }
      case 'llm_text':
      case 'other': {
        const text = textOf(block.payload.text);
        if (text.trim()) assistant().content.push(text);
        break;
      }
      case 'tool_call': {
        const { id, name } = block.payload;
        const args = callArguments(block.payload.args);
        if (!args) warnings.push(`tool call ${id} (${name}) has arguments that are not a JSON object; sent as {}`);
        const calls = assistant().calls;
        calls.push({ id, function: { index: calls.length, name, arguments: args ?? {} } });
        callNames.set(id, name);
        break;
      }
      case 'tool_use': {
        flush();
        const name = callNames.get(block.payload.id);
        if (!name) {
          warnings.push(`tool result ${block.payload.id} has no matching tool call; it was not sent`);
          break;
        }
        messages.push({
          role: 'tool',
          content: toolResultContent(block),
          tool_name: name,
          tool_call_id: block.payload.id,
        });
        break;
      }
    }
  }
  flush();
  return { messages, warnings };
}

function userMessage(block: UserBlock, warnings: string[]): OllamaMessage | undefined {
  const text = textOf(block.payload.text);
  const images: string[] = [];
  for (const image of block.payload.images ?? []) {
    const data = imageData(image);
    if (data) images.push(data);
    else warnings.push(`image ${describeUrl(image)} is a URL; Ollama only takes inline images, so it was not sent`);
  }
  if (!text.trim() && images.length === 0) return undefined;
  return images.length > 0 ? { role: 'user', content: text, images } : { role: 'user', content: text };
}

function imageData(image: ImageRef): string | undefined {
  if ('content' in image) return image.content;
  return /^data:[^,]*;base64,(.*)$/s.exec(image.url)?.[1];
}

function describeUrl(image: ImageRef): string {
  const url = 'url' in image ? image.url : '';
  return url.length > 80 ? `${url.slice(0, 80)}…` : url;
}

// Payloads loaded from YAML can hold non-strings where text is expected; send them as JSON.
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Ollama's `arguments` is an object. Raw argument text (kept by the engine when a model wrote
// invalid JSON) is parsed when it holds an object.
function callArguments(args: unknown): Record<string, unknown> | undefined {
  if (args === undefined || args === null) return {};
  if (isPlainObject(args)) return args;
  if (typeof args !== 'string') return undefined;
  if (args.trim() === '') return {};
  try {
    const parsed = JSON.parse(args) as unknown;
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function toolResultContent(block: ToolUseBlock): string {
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
