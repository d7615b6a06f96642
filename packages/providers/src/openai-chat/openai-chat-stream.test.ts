import { describe, expect, it } from 'vitest';
import { isProviderError } from '../shared/provider-error.js';
import { mapOpenAIChatFinishReason } from './map-openai-chat-finish-reason.js';
import { OpenAIChatStreamDecoder, type OpenAIChatStreamSink } from './openai-chat-stream.js';

function recorder() {
  const calls: string[] = [];
  const sink: OpenAIChatStreamSink = {
    appendText: (delta) => calls.push(`text:${delta}`),
    appendThinking: (delta) => calls.push(`thinking:${delta}`),
    setModel: (model) => {
      if (model) calls.push(`model:${model}`);
    },
    log: (level, message) => calls.push(`${level}:${message}`),
  };
  return { sink, calls };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
const callDelta = (index: number, fields: Record<string, unknown>) => chunk({ tool_calls: [{ index, ...fields }] });

describe('OpenAIChatStreamDecoder', () => {
  it('merges interleaved tool-call fragments by index and returns them in index order', () => {
    const { sink } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push(callDelta(1, { id: 'call_b', function: { name: 'b', arguments: '{"x"' } }));
    decoder.push(callDelta(0, { id: 'call_a', function: { name: 'a', arguments: '' } }));
    decoder.push(callDelta(1, { function: { arguments: ':2}' } }));
    decoder.push(callDelta(0, { function: { arguments: '{}' } }));
    decoder.push(chunk({}, 'tool_calls'));
    expect(decoder.push('[DONE]')).toBe(true);
    expect(decoder.finish()).toEqual({
      outcome: { stopReason: 'tool_calls', extra: { response_id: 'c' } },
      toolCalls: [
        { id: 'call_a', name: 'a', arguments: '{}' },
        { id: 'call_b', name: 'b', arguments: '{"x":2}' },
      ],
    });
  });

  it('reassembles arguments split over 500 fragments exactly', () => {
    const { sink } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    const args = JSON.stringify({ text: 'é😀'.repeat(100), n: Array.from({ length: 50 }, (_, i) => i) });
    decoder.push(callDelta(0, { id: 'call_1', type: 'function', function: { name: 'echo', arguments: '' } }));
    const size = Math.ceil(args.length / 500);
    for (let offset = 0; offset < args.length; offset += size) {
      decoder.push(callDelta(0, { function: { arguments: args.slice(offset, offset + size) } }));
    }
    decoder.push(chunk({}, 'tool_calls'));
    expect(decoder.finish().toolCalls[0]?.arguments).toBe(args);
  });

  it('separates calls that share index 0 but carry different ids', () => {
    const { sink } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push(callDelta(0, { id: 'call_1', function: { name: 'a', arguments: '{}' } }));
    decoder.push(callDelta(0, { id: 'call_2', function: { name: 'b', arguments: '{}' } }));
    decoder.push('[DONE]');
    expect(decoder.finish().toolCalls.map((call) => call.id)).toEqual(['call_1', 'call_2']);
  });

  it('generates missing ids, tolerates repeated names, drops nameless calls with a warning', () => {
    const { sink, calls } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push(callDelta(0, { function: { name: 'get_weather', arguments: '{"city":' } }));
    decoder.push(callDelta(0, { function: { name: 'get_weather', arguments: '"Oslo"}' } }));
    decoder.push(callDelta(1, { id: 'call_x', function: { arguments: '{}' } }));
    decoder.push('[DONE]');
    const { toolCalls } = decoder.finish();
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Oslo"}' });
    expect(toolCalls[0]?.id).toMatch(/^call_[0-9a-f]{32}$/);
    expect(calls.some((entry) => entry.startsWith('warn:'))).toBe(true);
  });

  it('routes reasoning_content / reasoning to thinking and refusals to text, ignoring other choices', () => {
    const { sink, calls } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push(chunk({ reasoning_content: 'hmm' }));
    decoder.push(chunk({ reasoning: ' ok' }));
    decoder.push(chunk({ content: 'Hi' }));
    decoder.push(chunk({ refusal: 'No.' }));
    decoder.push(JSON.stringify({ model: 'm-1', choices: [{ index: 1, delta: { content: 'other choice' } }] }));
    expect(calls).toEqual(['thinking:hmm', 'thinking: ok', 'text:Hi', 'text:No.', 'model:m-1']);
  });

  it('maps usage with cached and reasoning tokens; accepts a finish_reason without [DONE]', () => {
    const { sink } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push(chunk({ content: 'x' }, 'length'));
    decoder.push(
      JSON.stringify({
        choices: [],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 3 },
        },
      }),
    );
    expect(decoder.finish().outcome).toEqual({
      stopReason: 'max_tokens',
      usage: { input_tokens: 10, output_tokens: 5, cached_tokens: 4, reasoning_tokens: 3 },
      extra: { response_id: 'c' },
    });
  });

  it('throws typed errors for truncation, bad JSON, bad shapes and in-stream errors', () => {
    const codeOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return isProviderError(error) ? error.code : String(error);
      }
      return 'no error';
    };
    const fresh = () => new OpenAIChatStreamDecoder('openai-chat', recorder().sink);
    expect(codeOf(() => fresh().finish())).toBe('stream-truncated');
    expect(codeOf(() => fresh().push('{"choices": ['))).toBe('stream-malformed');
    expect(codeOf(() => fresh().push('{"choices": [{"index": "zero"}]}'))).toBe('stream-malformed');
    expect(codeOf(() => fresh().push('{"error": {"message": "boom", "type": "server_error"}}'))).toBe('stream-error');
    expect(codeOf(() => fresh().push('{"error": "boom"}'))).toBe('stream-error');
  });

  it('rejects near-miss chunk shapes exactly as the schema does, and reads plain chunks as it does', () => {
    const codeOf = (payload: string) => {
      try {
        new OpenAIChatStreamDecoder('openai-chat', recorder().sink).push(payload);
      } catch (error) {
        return isProviderError(error) ? error.code : String(error);
      }
      return 'ok';
    };
    for (const payload of [
      '[]',
      '"chunk"',
      '{"choices": {"index": 0}}',
      '{"choices": [null]}',
      '{"choices": [{"index": -1}]}',
      '{"choices": [{"index": 0.5}]}',
      '{"choices": [{"index": 1e300}]}',
      '{"choices": [{"index": 0, "delta": []}]}',
      '{"choices": [{"index": 0, "delta": {"content": 5}}]}',
      '{"choices": [{"index": 0, "delta": {"reasoning": {}}}]}',
      '{"choices": [{"index": 0, "finish_reason": 1}]}',
      '{"model": 3, "choices": []}',
      '{"created": "today", "choices": []}',
      '{"usage": {"prompt_tokens": -1, "completion_tokens": 0}}',
    ]) {
      expect(codeOf(payload), payload).toBe('stream-malformed');
    }
    const { sink, calls } = recorder();
    const decoder = new OpenAIChatStreamDecoder('openai-chat', sink);
    decoder.push('{"id": "c", "model": "m", "created": 1, "extra": {"x": 1}, "choices": null}');
    decoder.push('{"choices": [{"index": 0, "delta": null, "finish_reason": null}]}');
    decoder.push('{"choices": [{"index": 0, "delta": {"role": null, "content": "a", "reasoning_content": "r"}}]}');
    decoder.push('{"choices": [{"index": 1, "delta": {"content": "other choice"}}, {"index": 0, "delta": {}}]}');
    decoder.push('{"system_fingerprint": "fp", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}');
    expect(calls).toEqual(['model:m', 'thinking:r', 'text:a']);
    expect(decoder.finish().outcome).toEqual({
      stopReason: 'stop',
      extra: { response_id: 'c', system_fingerprint: 'fp' },
    });
  });
});

describe('mapOpenAIChatFinishReason', () => {
  it('normalises the documented values and passes others through', () => {
    expect(mapOpenAIChatFinishReason('stop')).toBe('stop');
    expect(mapOpenAIChatFinishReason('tool_calls')).toBe('tool_calls');
    expect(mapOpenAIChatFinishReason('function_call')).toBe('tool_calls');
    expect(mapOpenAIChatFinishReason('length')).toBe('max_tokens');
    expect(mapOpenAIChatFinishReason('content_filter')).toBe('content_filter');
    expect(mapOpenAIChatFinishReason('EOS')).toBe('eos');
    expect(mapOpenAIChatFinishReason('constructor')).toBe('constructor');
    expect(mapOpenAIChatFinishReason(null)).toBeUndefined();
  });
});
