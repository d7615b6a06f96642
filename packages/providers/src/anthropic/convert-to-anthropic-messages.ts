import type { Block } from '@cricket/core';
import {
  anthropicToolUseId,
  originalContentOf,
  textOf,
  toolResultBlockOf,
  toolUseBlockOf,
  userContentOf,
} from './anthropic-content-blocks.js';
import { thinkingBlockOf } from './anthropic-reasoning.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRawBlock,
  AnthropicSystem,
  AnthropicToolResultBlock,
} from './anthropic-request-types.js';

/** Options of {@link convertToAnthropicMessages}. */
export interface AnthropicConversionOptions {
  /**
   * Replay Anthropic thinking blocks (signed `thinking` and `redacted_thinking`). Set when the
   * request enables extended thinking: the API then requires the thinking of the assistant message
   * that is being continued after tool results. Without thinking they are left out, as the API allows.
   */
  replayThinking: boolean;
}

/** The converted conversation plus problems worth telling the user about (published as `log` events). */
export interface ConvertedAnthropicMessages {
  /** The top-level system prompt; absent when the turn has no non-blank system block. */
  system?: AnthropicSystem;
  messages: AnthropicMessage[];
  warnings: string[];
}

type Content = AnthropicContentBlock | AnthropicRawBlock;

/** A message being assembled; assistant drafts also collect the results of their calls. */
interface Draft {
  role: 'user' | 'assistant';
  content: Content[];
  callIds: string[];
  results: Map<string, AnthropicToolResultBlock>;
}

/**
 * Maps a turn's blocks onto the Messages API's `system` + `messages`:
 * - Every non-blank `system` block goes to the top-level `system`, wherever it sits in the turn (the
 *   API has no system role): a string for one block, one text block each for several. (The
 *   reference kept only the first and sent later ones as user messages.)
 * - `user` → user content (images, then text); `llm_text` and `other` with text → assistant text;
 *   `tool_call` → assistant `tool_use`; Anthropic `reasoning` → assistant `thinking` /
 *   `redacted_thinking` when `replayThinking` (placed first in its message, as the API requires).
 *   A `claudeOriginalContentKey` array on a user / llm_text block replaces its mapping.
 * - Consecutive content of one role is merged into one message, so an assistant reply's thinking,
 *   text and tool calls travel together.
 * - Every `tool_use` result becomes a `tool_result` (`is_error` when the tool failed) in the user
 *   message right after the assistant message holding its call, before any other user content, in
 *   call order — the API rejects any other placement. Results without a call, and duplicates, are
 *   dropped with a warning; calls without a result are sent with a warning (the API will refuse).
 * - Trailing whitespace is trimmed off a final assistant message (the API rejects it there).
 */
export function convertToAnthropicMessages(
  blocks: readonly Block[],
  options: AnthropicConversionOptions,
): ConvertedAnthropicMessages {
  const warnings: string[] = [];
  const systemTexts: string[] = [];
  const drafts: Draft[] = [];
  const owners = new Map<string, Draft>();
  let current: Draft | undefined;

  const open = (role: Draft['role']): Draft => {
    if (current?.role === role) return current;
    current = { role, content: [], callIds: [], results: new Map() };
    drafts.push(current);
    return current;
  };
  const append = (role: Draft['role'], content: readonly Content[]) => {
    if (content.length > 0) open(role).content.push(...content);
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'system': {
        const text = textOf(block.payload.text);
        if (text.trim()) systemTexts.push(text);
        break;
      }
      case 'user':
        append('user', overridden(block, warnings) ?? userContentOf(block));
        break;
      case 'llm_text':
        append('assistant', overridden(block, warnings) ?? textContent(block.payload.text));
        break;
      case 'other':
        append('assistant', textContent(block.payload.text));
        break;
      case 'reasoning': {
        const thinking = options.replayThinking ? thinkingBlockOf(block) : undefined;
        if (thinking) append('assistant', [thinking]);
        break;
      }
      case 'tool_call': {
        const draft = open('assistant');
        const call = toolUseBlockOf(block, (message) => warnings.push(message));
        draft.content.push(call);
        draft.callIds.push(call.id);
        owners.set(call.id, draft);
        break;
      }
      case 'tool_use': {
        const id = anthropicToolUseId(block.payload.id);
        const owner = owners.get(id);
        if (!owner) {
          warnings.push(`tool result ${block.payload.id} has no matching tool call before it; it was not sent`);
        } else if (owner.results.has(id)) {
          warnings.push(`tool call ${block.payload.id} has more than one result; only the first was sent`);
        } else {
          owner.results.set(id, toolResultBlockOf(block));
          // The reply that held the call is over once its results arrive: assistant content that
          // follows belongs to the next message, after the results.
          if (current === owner) current = undefined;
        }
        break;
      }
    }
  }

  const messages = assemble(drafts, warnings);
  trimFinalAssistant(messages);
  const result: ConvertedAnthropicMessages = { messages, warnings };
  if (systemTexts.length === 1) result.system = systemTexts[0];
  else if (systemTexts.length > 1) result.system = systemTexts.map((text) => ({ type: 'text', text }));
  return result;
}

function assemble(drafts: readonly Draft[], warnings: string[]): AnthropicMessage[] {
  const messages: AnthropicMessage[] = [];
  for (const draft of drafts) {
    if (draft.role === 'user') {
      // A user draft may already have received tool results from the assistant message before it.
      const last = messages.at(-1);
      if (last?.role === 'user') last.content.push(...draft.content);
      else messages.push({ role: 'user', content: [...draft.content] });
      continue;
    }
    messages.push({ role: 'assistant', content: thinkingFirst(draft.content) });
    const results: AnthropicToolResultBlock[] = [];
    for (const id of draft.callIds) {
      const result = draft.results.get(id);
      if (result) results.push(result);
      else warnings.push(`tool call ${id} has no tool result; the provider will reject the request`);
    }
    // Results open the next user message; a following user draft is appended after them.
    if (results.length > 0) messages.push({ role: 'user', content: results });
  }
  return messages;
}

// The API requires thinking blocks to open an assistant message; the rest keeps its order.
function thinkingFirst(content: readonly Content[]): Content[] {
  const isThinking = (block: Content) => block.type === 'thinking' || block.type === 'redacted_thinking';
  return [...content.filter(isThinking), ...content.filter((block) => !isThinking(block))];
}

function textContent(value: unknown): AnthropicContentBlock[] {
  const text = textOf(value);
  return text.trim() ? [{ type: 'text', text }] : [];
}

function overridden(block: Block, warnings: string[]): AnthropicRawBlock[] | undefined {
  const original = originalContentOf(block);
  if (original !== 'invalid') return original;
  warnings.push(`block ${block.id} has claude_original_content that is not a content array; it was ignored`);
  return undefined;
}

function trimFinalAssistant(messages: AnthropicMessage[]): void {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return;
  const tail = last.content.at(-1);
  if (tail?.type !== 'text' || typeof tail.text !== 'string') return;
  const trimmed = tail.text.trimEnd();
  if (trimmed) tail.text = trimmed;
  else last.content.pop();
  if (last.content.length === 0) messages.pop();
}
