/**
 * Provider-neutral stop reasons written to `meta.stop_reason` and the turn's `stopReasonKey`:
 * - `stop`: the model finished (or hit a stop sequence);
 * - `tool_calls`: the model stopped to call tools;
 * - `max_tokens`: the output token limit cut the answer;
 * - `content_filter`: the provider withheld or cut content (safety, refusal, recitation).
 *
 * Each engine maps its provider's values onto these (OpenAI `length` → `max_tokens`, Anthropic
 * `tool_use` → `tool_calls`, Gemini `SAFETY` → `content_filter`, ...); a value with no equivalent is
 * passed through lower-cased so nothing is lost.
 */
export type StopReason = 'stop' | 'tool_calls' | 'max_tokens' | 'content_filter';

/** The normalised values, for validation and tests. */
export const stopReasons: readonly StopReason[] = ['stop', 'tool_calls', 'max_tokens', 'content_filter'];
