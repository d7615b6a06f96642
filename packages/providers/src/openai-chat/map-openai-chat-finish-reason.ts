import type { StopReason } from '../shared/stop-reason.js';

const finishReasons = new Map<string, StopReason>([
  ['stop', 'stop'],
  ['tool_calls', 'tool_calls'],
  ['function_call', 'tool_calls'],
  ['length', 'max_tokens'],
  ['content_filter', 'content_filter'],
]);

/**
 * Maps a Chat Completions `finish_reason` onto Cricket's {@link StopReason}: `stop` → `stop`,
 * `tool_calls` and the legacy `function_call` → `tool_calls`, `length` → `max_tokens`,
 * `content_filter` → `content_filter`. Anything else (OpenAI-compatible servers invent values such
 * as `eos` or `abort`) is passed through lower-cased; an absent reason stays absent.
 */
export function mapOpenAIChatFinishReason(reason: string | null | undefined): string | undefined {
  if (!reason) return undefined;
  return finishReasons.get(reason) ?? reason.toLowerCase();
}
