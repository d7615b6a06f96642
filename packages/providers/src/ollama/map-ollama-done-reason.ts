import type { StopReason } from '../shared/stop-reason.js';

const doneReasons = new Map<string, StopReason>([['length', 'max_tokens']]);

/**
 * Maps an Ollama `done_reason` onto Cricket's {@link StopReason}:
 * - `stop`, or no reason at all (servers before `done_reason` existed) → `tool_calls` when the
 *   message contained tool calls (Ollama reports `stop` for them), else `stop`;
 * - `length` → `max_tokens`;
 * - anything else (`load`, `unload`, ...) is passed through lower-cased.
 */
export function mapOllamaDoneReason(reason: string | null | undefined, hasToolCalls: boolean): string {
  if (!reason || reason === 'stop') return hasToolCalls ? 'tool_calls' : 'stop';
  return doneReasons.get(reason) ?? reason.toLowerCase();
}
