import type { Usage } from '@cricket/core';
import type { AnthropicUsage } from './anthropic-event-schema.js';

/**
 * Folds a later usage report into an earlier one: `message_delta` counts are cumulative and replace
 * those of `message_start`; fields a report leaves out (null or absent) keep their earlier value.
 */
export function mergeAnthropicUsage(earlier: AnthropicUsage | undefined, later: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...earlier };
  for (const field of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const value = later[field];
    if (value !== null && value !== undefined) merged[field] = value;
  }
  return merged;
}

/**
 * Cricket usage from Anthropic counts. Anthropic's `input_tokens` leaves out the cached part of the
 * prompt, while Cricket's `input_tokens` is the whole prompt (cached tokens are a subset of it, as
 * for the other providers), so:
 * - `input_tokens` = `input_tokens` + `cache_creation_input_tokens` + `cache_read_input_tokens`;
 * - `cached_tokens` = `cache_read_input_tokens` (prompt tokens served from the cache);
 * - `cache_creation_input_tokens` / `cache_read_input_tokens` are copied when reported;
 * - `output_tokens` as reported (it includes thinking tokens; Anthropic does not report them apart).
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const creation = usage.cache_creation_input_tokens ?? undefined;
  const read = usage.cache_read_input_tokens ?? undefined;
  const result: Usage = {
    input_tokens: (usage.input_tokens ?? 0) + (creation ?? 0) + (read ?? 0),
    output_tokens: usage.output_tokens ?? 0,
  };
  if (read !== undefined) result.cached_tokens = read;
  if (creation !== undefined) result.cache_creation_input_tokens = creation;
  if (read !== undefined) result.cache_read_input_tokens = read;
  return result;
}
