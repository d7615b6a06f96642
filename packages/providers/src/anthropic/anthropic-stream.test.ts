import { describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import { AnthropicStreamDecoder, type AnthropicStreamSink } from './anthropic-stream.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

function recorder() {
  const calls: string[] = [];
  const sink: AnthropicStreamSink = {
    appendText: (delta) => calls.push(`text:${delta}`),
    appendThinking: (delta) => calls.push(`thinking:${delta}`),
    setModel: (model) => {
      if (model) calls.push(`model:${model}`);
    },
    log: (level, message) => calls.push(`${level}:${message}`),
  };
  return { sink, calls, decoder: new AnthropicStreamDecoder('anthropic', sink) };
}

const event = (payload: Record<string, unknown>) => JSON.stringify(payload);
const messageStart = (usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 }) =>
  event({ type: 'message_start', message: { id: 'msg_1', model: 'claude-x', content: [], usage } });
const blockStart = (index: number, block: Record<string, unknown>) =>
  event({ type: 'content_block_start', index, content_block: block });
const delta = (index: number, payload: Record<string, unknown>) =>
  event({ type: 'content_block_delta', index, delta: payload });
const messageDelta = (stop: string | null, usage: Record<string, unknown> = { output_tokens: 5 }) =>
  event({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage });
const stop = event({ type: 'message_stop' });

function expectProviderError(fn: () => unknown, code: ProviderError['code']): ProviderError {
  try {
    fn();
  } catch (error) {
    if (!isProviderError(error)) throw error;
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error(`expected ${code}`);
}

describe('AnthropicStreamDecoder', () => {
  it('decodes text and tool calls, returning the calls in block order with their fragments joined', () => {
    const { decoder, calls } = recorder();
    decoder.push(messageStart());
    decoder.push(blockStart(0, { type: 'text', text: '' }));
    decoder.push(delta(0, { type: 'text_delta', text: 'Checking.' }));
    decoder.push(event({ type: 'content_block_stop', index: 0 }));
    decoder.push(blockStart(2, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }));
    decoder.push(blockStart(1, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }));
    decoder.push(delta(2, { type: 'input_json_delta', partial_json: '{"x"' }));
    decoder.push(delta(1, { type: 'input_json_delta', partial_json: '' }));
    decoder.push(delta(2, { type: 'input_json_delta', partial_json: ':2}' }));
    decoder.push(messageDelta('tool_use'));
    expect(decoder.push(stop)).toBe(true);
    expect(decoder.done).toBe(true);
    expect(calls.slice(0, 2)).toEqual(['model:claude-x', 'text:Checking.']);
    expect(decoder.finish()).toEqual({
      outcome: {
        stopReason: 'tool_calls',
        usage: { input_tokens: 10, output_tokens: 5 },
        output: [
          { kind: 'llm_text', payload: { text: 'Checking.' } },
          { kind: 'tool_call', id: 'toolu_a' },
          { kind: 'tool_call', id: 'toolu_b' },
        ],
        extra: { response_id: 'msg_1' },
      },
      toolCalls: [
        { id: 'toolu_a', name: 'a', arguments: '' },
        { id: 'toolu_b', name: 'b', arguments: '{"x":2}' },
      ],
      thinking: [],
    });
  });

  it('reassembles arguments split over 500 fragments exactly', () => {
    const { decoder } = recorder();
    const args = JSON.stringify({ text: 'é😀'.repeat(100), n: Array.from({ length: 50 }, (_, i) => i) });
    decoder.push(blockStart(0, { type: 'tool_use', id: 'toolu_1', name: 'echo', input: {} }));
    const size = Math.ceil(args.length / 500);
    for (let offset = 0; offset < args.length; offset += size) {
      decoder.push(delta(0, { type: 'input_json_delta', partial_json: args.slice(offset, offset + size) }));
    }
    decoder.push(stop);
    expect(decoder.finish().toolCalls[0]?.arguments).toBe(args);
  });

  it('keeps thinking text, signatures and redacted data per block, in order', () => {
    const { decoder, calls } = recorder();
    decoder.push(blockStart(0, { type: 'thinking', thinking: '', signature: '' }));
    decoder.push(delta(0, { type: 'thinking_delta', thinking: 'Step one.' }));
    decoder.push(delta(0, { type: 'thinking_delta', thinking: ' Step two.' }));
    decoder.push(delta(0, { type: 'signature_delta', signature: 'sig-A' }));
    decoder.push(blockStart(1, { type: 'redacted_thinking', data: 'opaque==' }));
    decoder.push(blockStart(2, { type: 'text', text: '' }));
    decoder.push(delta(2, { type: 'text_delta', text: 'Done.' }));
    decoder.push(stop);
    expect(calls).toEqual(['thinking:Step one.', 'thinking: Step two.', 'text:Done.']);
    expect(decoder.finish().thinking).toEqual([
      { kind: 'thinking', text: 'Step one. Step two.', signature: 'sig-A' },
      { kind: 'redacted', data: 'opaque==' },
    ]);
  });

  it('lists the output in content-block order: each thinking block apart, adjacent texts merged', () => {
    const { decoder } = recorder();
    decoder.push(messageStart());
    decoder.push(blockStart(0, { type: 'thinking', thinking: '', signature: '' }));
    decoder.push(delta(0, { type: 'thinking_delta', thinking: 'First.' }));
    decoder.push(delta(0, { type: 'signature_delta', signature: 'sig-A' }));
    decoder.push(blockStart(1, { type: 'redacted_thinking', data: 'opaque==' }));
    decoder.push(blockStart(2, { type: 'thinking', thinking: 'Second.', signature: 'sig-B' }));
    decoder.push(blockStart(3, { type: 'text', text: 'Let me ' }));
    decoder.push(delta(3, { type: 'text_delta', text: 'check.' }));
    decoder.push(blockStart(4, { type: 'text', text: '' }));
    decoder.push(delta(4, { type: 'text_delta', text: ' Now.' }));
    decoder.push(blockStart(5, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }));
    decoder.push(blockStart(6, { type: 'text', text: 'After.' }));
    decoder.push(
      event({ type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: '###' }, usage: {} }),
    );
    decoder.push(stop);
    const { outcome } = decoder.finish();
    expect(outcome.output).toEqual([
      { kind: 'reasoning', payload: { text: 'First.', signature: 'sig-A', provider: 'anthropic' } },
      { kind: 'reasoning', payload: { encrypted_content: 'opaque==', provider: 'anthropic' } },
      { kind: 'reasoning', payload: { text: 'Second.', signature: 'sig-B', provider: 'anthropic' } },
      { kind: 'llm_text', payload: { text: 'Let me check. Now.' } },
      { kind: 'tool_call', id: 'toolu_1' },
      { kind: 'llm_text', payload: { text: 'After.' } },
    ]);
    expect(outcome.stopReason).toBe('stop');
    expect(outcome.extra).toEqual({ response_id: 'msg_1', stop_sequence: '###' });
  });

  it('uses the start event input when a tool call streams no input, generates missing ids, drops nameless calls', () => {
    const { decoder, calls } = recorder();
    decoder.push(blockStart(0, { type: 'tool_use', id: '', name: 'lookup', input: { q: 'x' } }));
    decoder.push(blockStart(1, { type: 'tool_use', id: 'toolu_2', name: '', input: {} }));
    decoder.push(stop);
    const { toolCalls } = decoder.finish();
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]?.arguments).toBe('{"q":"x"}');
    expect(toolCalls[0]?.id).toMatch(/^toolu_[0-9a-f]{32}$/);
    expect(calls.some((entry) => entry.startsWith('warn:'))).toBe(true);
  });

  it('folds cumulative usage: message_delta values replace message_start ones, missing ones are kept', () => {
    const { decoder } = recorder();
    decoder.push(
      messageStart({
        input_tokens: 20,
        output_tokens: 1,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 0,
      }),
    );
    decoder.push(messageDelta('end_turn', { input_tokens: 22, output_tokens: 40 }));
    decoder.push(stop);
    expect(decoder.finish().outcome.usage).toEqual({
      input_tokens: 122,
      output_tokens: 40,
      cached_tokens: 0,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 0,
    });
  });

  it('skips pings, content_block_stop, unknown events, unknown blocks and unknown deltas', () => {
    const { decoder, calls } = recorder();
    decoder.push(event({ type: 'ping' }));
    decoder.push(event({ type: 'future_event', whatever: [1, 2] }));
    decoder.push(blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }));
    decoder.push(delta(0, { type: 'input_json_delta', partial_json: '{"query":"x"}' }));
    decoder.push(blockStart(1, { type: 'web_search_tool_result', content: [] }));
    decoder.push(blockStart(2, { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: {} }));
    decoder.push(blockStart(3, { type: 'text', text: '' }));
    decoder.push(delta(3, { type: 'citations_delta', citation: { type: 'web_search_result_location' } }));
    decoder.push(delta(3, { type: 'text_delta', text: 'ok' }));
    decoder.push(event({ type: 'content_block_stop', index: 3 }));
    decoder.push(stop);
    expect(decoder.finish().toolCalls).toEqual([]);
    expect(calls).toEqual([
      'debug:anthropic: skipped a content block of unknown type server_tool_use',
      'debug:anthropic: skipped a content block of unknown type web_search_tool_result',
      'text:ok',
    ]);
  });

  it('reads a text delta that arrives without its block start as text', () => {
    const { decoder, calls } = recorder();
    decoder.push(delta(0, { type: 'text_delta', text: 'orphan' }));
    decoder.push(delta(1, { type: 'thinking_delta', thinking: 'hmm' }));
    decoder.push(stop);
    expect(calls).toEqual(['text:orphan', 'thinking:hmm']);
  });

  it('turns an error event into a stream-error carrying the error type and retryability', () => {
    const overloaded = expectProviderError(
      () =>
        recorder().decoder.push(event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })),
      'stream-error',
    );
    expect(overloaded.providerCode).toBe('overloaded_error');
    expect(overloaded.retryable).toBe(true);
    expect(overloaded.message).toBe('anthropic: Overloaded');
    const invalid = expectProviderError(
      () => recorder().decoder.push(event({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } })),
      'stream-error',
    );
    expect(invalid.retryable).toBe(false);
  });

  it('rejects payloads that are not JSON or not the documented shape', () => {
    expectProviderError(() => recorder().decoder.push('{"type":"message_start",'), 'stream-malformed');
    expectProviderError(() => recorder().decoder.push('[1,2]'), 'stream-malformed');
    const error = expectProviderError(
      () =>
        recorder().decoder.push(event({ type: 'content_block_delta', index: 'zero', delta: { type: 'text_delta' } })),
      'stream-malformed',
    );
    expect(error.message).toContain('index');
    expectProviderError(
      () => recorder().decoder.push(blockStart(0, { type: 'tool_use', name: 'no_id' })),
      'stream-malformed',
    );
  });

  it('needs message_stop or a stop reason, else the stream was truncated', () => {
    const cut = recorder().decoder;
    cut.push(messageStart());
    cut.push(blockStart(0, { type: 'text', text: '' }));
    expectProviderError(() => cut.finish(), 'stream-truncated');
    const withoutStop = recorder().decoder;
    withoutStop.push(messageDelta('end_turn'));
    expect(withoutStop.finish().outcome.stopReason).toBe('stop');
  });
});

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'max_tokens'],
    ['model_context_window_exceeded', 'max_tokens'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'pause_turn'],
    ['SOMETHING_NEW', 'something_new'],
  ])('%s → %s', (reason, expected) => {
    expect(mapAnthropicStopReason(reason)).toBe(expected);
  });

  it('keeps an absent reason absent', () => {
    expect(mapAnthropicStopReason(null)).toBeUndefined();
    expect(mapAnthropicStopReason(undefined)).toBeUndefined();
  });
});

describe('Anthropic usage', () => {
  it('counts cached prompt tokens into input_tokens and reports them apart', () => {
    expect(
      mapAnthropicUsage({
        input_tokens: 5,
        output_tokens: 7,
        cache_creation_input_tokens: 30,
        cache_read_input_tokens: 200,
      }),
    ).toEqual({
      input_tokens: 235,
      output_tokens: 7,
      cached_tokens: 200,
      cache_creation_input_tokens: 30,
      cache_read_input_tokens: 200,
    });
    expect(mapAnthropicUsage({ input_tokens: 5 })).toEqual({ input_tokens: 5, output_tokens: 0 });
  });

  it('merges a later report over an earlier one, ignoring nulls', () => {
    expect(
      mergeAnthropicUsage({ input_tokens: 5, output_tokens: 1 }, { output_tokens: 9, input_tokens: null }),
    ).toEqual({
      input_tokens: 5,
      output_tokens: 9,
    });
  });
});
