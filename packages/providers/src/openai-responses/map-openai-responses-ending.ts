import type { Usage } from '@cricket/core';
import type { StopReason } from '../shared/stop-reason.js';
import type { OpenAIResponsesUsage } from './openai-responses-event-schema.js';

const incompleteReasons = new Map<string, StopReason>([
  ['max_output_tokens', 'max_tokens'],
  ['content_filter', 'content_filter'],
]);

/**
 * Maps how a Responses stream ended onto Cricket's {@link StopReason}. The Responses API has no
 * finish reason: a `completed` response stopped on its own (`tool_calls` when it asked for function
 * calls, else `stop`); an `incomplete` one names why in `incomplete_details.reason`
 * (`max_output_tokens` → `max_tokens`, `content_filter` → `content_filter`, any other reason passed
 * through lower-cased, none → `incomplete`).
 */
export function mapOpenAIResponsesStopReason(ending: {
  status: 'completed' | 'incomplete';
  incompleteReason?: string | null | undefined;
  hasToolCalls: boolean;
}): string {
  if (ending.status === 'completed') return ending.hasToolCalls ? 'tool_calls' : 'stop';
  const reason = ending.incompleteReason;
  if (!reason) return 'incomplete';
  return incompleteReasons.get(reason) ?? reason.toLowerCase();
}

/**
 * Maps the response's `usage` onto Cricket's {@link Usage}: input / output tokens, `cached_tokens`
 * from `input_tokens_details`, `reasoning_tokens` from `output_tokens_details` (each only when sent).
 */
export function mapOpenAIResponsesUsage(usage: OpenAIResponsesUsage): Usage {
  const result: Usage = { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens };
  const cached = usage.input_tokens_details?.cached_tokens;
  if (cached !== null && cached !== undefined) result.cached_tokens = cached;
  const reasoning = usage.output_tokens_details?.reasoning_tokens;
  if (reasoning !== null && reasoning !== undefined) result.reasoning_tokens = reasoning;
  return result;
}
