import type { StopReason } from '../shared/stop-reason.js';

const stopReasons = new Map<string, StopReason>([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['tool_use', 'tool_calls'],
  ['max_tokens', 'max_tokens'],
  // The context window filled up before `max_tokens` was reached: the answer was cut by a limit too.
  ['model_context_window_exceeded', 'max_tokens'],
  ['refusal', 'content_filter'],
]);

/**
 * Maps a Messages API `stop_reason` onto Cricket's {@link StopReason}: `end_turn` and
 * `stop_sequence` → `stop`, `tool_use` → `tool_calls`, `max_tokens` and
 * `model_context_window_exceeded` → `max_tokens`, `refusal` → `content_filter`. Anything else
 * (`pause_turn`, future values) is passed through lower-cased; an absent reason stays absent.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): string | undefined {
  if (!reason) return undefined;
  return stopReasons.get(reason) ?? reason.toLowerCase();
}
