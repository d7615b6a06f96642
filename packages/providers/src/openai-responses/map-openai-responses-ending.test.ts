import { describe, expect, it } from 'vitest';
import { mapOpenAIResponsesStopReason, mapOpenAIResponsesUsage } from './map-openai-responses-ending.js';

describe('mapOpenAIResponsesStopReason', () => {
  it('maps completed responses by whether they called functions', () => {
    expect(mapOpenAIResponsesStopReason({ status: 'completed', hasToolCalls: false })).toBe('stop');
    expect(mapOpenAIResponsesStopReason({ status: 'completed', hasToolCalls: true })).toBe('tool_calls');
  });

  it('maps incomplete responses by their reason', () => {
    const incomplete = (reason: string | null | undefined) =>
      mapOpenAIResponsesStopReason({ status: 'incomplete', incompleteReason: reason, hasToolCalls: false });
    expect(incomplete('max_output_tokens')).toBe('max_tokens');
    expect(incomplete('content_filter')).toBe('content_filter');
    expect(incomplete('Server_Overload')).toBe('server_overload');
    expect(incomplete(null)).toBe('incomplete');
  });
});

describe('mapOpenAIResponsesUsage', () => {
  it('copies token counts and the cached / reasoning details when present', () => {
    expect(
      mapOpenAIResponsesUsage({
        input_tokens: 100,
        output_tokens: 50,
        input_tokens_details: { cached_tokens: 64 },
        output_tokens_details: { reasoning_tokens: 32 },
      }),
    ).toEqual({ input_tokens: 100, output_tokens: 50, cached_tokens: 64, reasoning_tokens: 32 });
    expect(mapOpenAIResponsesUsage({ input_tokens: 1, output_tokens: 2, input_tokens_details: null })).toEqual({
      input_tokens: 1,
      output_tokens: 2,
    });
  });
});
