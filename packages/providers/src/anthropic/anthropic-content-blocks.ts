import {
  type Block,
  claudeOriginalContentKey,
  type ImageRef,
  normalizeToolArguments,
  type ToolCallBlock,
  type ToolUseBlock,
  type UserBlock,
} from '@cricket/core';
import { z } from 'zod';
import type {
  AnthropicImageBlock,
  AnthropicRawBlock,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropic-request-types.js';

// Per-block mapping of Cricket blocks onto Anthropic content blocks. Message assembly (roles,
// merging, tool-result placement) lives in `convert-to-anthropic-messages.ts`.

const rawContentSchema = z.array(z.looseObject({ type: z.string().min(1) })).min(1);

/**
 * The content array stored under `claudeOriginalContentKey` on a user or assistant block, which
 * replaces the block's own mapping (as the reference allows). `undefined` when there is none;
 * `'invalid'` when the stored value is not a non-empty array of `{type, ...}` objects.
 */
export function originalContentOf(block: Block): AnthropicRawBlock[] | 'invalid' | undefined {
  let stored: unknown;
  try {
    stored = block.metadata.get(claudeOriginalContentKey);
  } catch {
    return 'invalid';
  }
  if (stored === undefined) return undefined;
  const parsed = rawContentSchema.safeParse(stored);
  return parsed.success ? parsed.data : 'invalid';
}

/**
 * A user block's content: images first (Anthropic recommends images before the text that refers to
 * them), then the text when it is not blank. Inline images become base64 sources, URL images URL
 * sources.
 */
export function userContentOf(block: UserBlock): (AnthropicTextBlock | AnthropicImageBlock)[] {
  const content: (AnthropicTextBlock | AnthropicImageBlock)[] = (block.payload.images ?? []).map(imageBlockOf);
  const text = textOf(block.payload.text);
  if (text.trim()) content.push({ type: 'text', text });
  return content;
}

function imageBlockOf(image: ImageRef): AnthropicImageBlock {
  if ('url' in image) return { type: 'image', source: { type: 'url', url: image.url } };
  return { type: 'image', source: { type: 'base64', media_type: image.media_type, data: image.content } };
}

/**
 * A tool call as a `tool_use` block. `input` must be a JSON object: arguments stored as JSON text
 * are decoded, and anything that is not an object (the raw text of arguments the model botched)
 * becomes `{}` — reported through `onInvalid`.
 */
export function toolUseBlockOf(block: ToolCallBlock, onInvalid: (message: string) => void): AnthropicToolUseBlock {
  const { id, name, args } = block.payload;
  if (!isObjectArguments(args)) {
    onInvalid(`tool call ${id} (${name}) has arguments that are not a JSON object; sent as {}`);
  }
  return { type: 'tool_use', id: anthropicToolUseId(id), name, input: normalizeToolArguments(args) };
}

// Absent and blank arguments mean "no arguments"; otherwise an object, or JSON text of one.
function isObjectArguments(args: unknown): boolean {
  if (args === undefined || args === null) return true;
  let value: unknown = args;
  if (typeof args === 'string') {
    if (args.trim() === '') return true;
    try {
      value = JSON.parse(args) as unknown;
    } catch {
      return false;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A tool result as a `tool_result` block: `content` is the result text (omitted when empty); a
 * failed call sets `is_error: true` with the error message as content, followed by any partial
 * result the tool still returned.
 */
export function toolResultBlockOf(block: ToolUseBlock): AnthropicToolResultBlock {
  const { id, result, error } = block.payload;
  const resultText = result === undefined ? '' : textOf(result);
  const toolUseId = anthropicToolUseId(id);
  if (error) {
    return {
      type: 'tool_result',
      tool_use_id: toolUseId,
      content: resultText ? `${error}\n\n${resultText}` : error,
      is_error: true,
    };
  }
  return resultText
    ? { type: 'tool_result', tool_use_id: toolUseId, content: resultText }
    : { type: 'tool_result', tool_use_id: toolUseId };
}

/**
 * A call id the API accepts (`^[a-zA-Z0-9_-]+$`). Ids written by other providers or servers may
 * hold other characters (`functions.get_weather:0`); they are mapped to `_` the same way for the
 * call and its result, so the pair still matches.
 */
export function anthropicToolUseId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned || 'toolu_unknown';
}

/** Block text as a string: payloads loaded from YAML can hold non-strings, which are sent as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
