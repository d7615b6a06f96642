import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import { GeminiStreamDecoder, type GeminiStreamSink } from './gemini-stream.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/** A sink recording what the decoder drives. */
function fakeSink() {
  const calls: string[] = [];
  const state = { text: '', thinking: '', model: '' as string | null | undefined, logs: [] as string[] };
  const sink: GeminiStreamSink = {
    appendText: (delta) => {
      calls.push(`text:${delta}`);
      state.text += delta;
    },
    appendThinking: (delta) => {
      calls.push(`thinking:${delta}`);
      state.thinking += delta;
    },
    setModel: (model) => {
      if (model) state.model = model;
    },
    log: (_level, message) => {
      state.logs.push(message);
    },
  };
  return { sink, calls, state };
}

/** The `data:` payloads of an SSE fixture. */
function payloads(name: string): string[] {
  return readFileSync(fixture(name), 'utf8')
    .split('\r\n\r\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

function decode(events: readonly (string | object)[]) {
  const { sink, calls, state } = fakeSink();
  const decoder = new GeminiStreamDecoder(sink, { provider: 'gemini', callIdPrefix: 'call_m' });
  for (const event of events) decoder.push(typeof event === 'string' ? event : JSON.stringify(event));
  return { decoder, calls, state };
}

function failure(run: () => unknown, code: ProviderError['code']): ProviderError {
  try {
    run();
  } catch (error) {
    if (!isProviderError(error)) throw error;
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error('expected a ProviderError');
}

const candidate = (parts: object[], finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0 }],
});

describe('GeminiStreamDecoder', () => {
  it('streams text deltas and reports usage, model and stop reason', () => {
    const { decoder, calls, state } = decode(payloads('text-only.sse'));
    expect(calls).toEqual(['text:Hello!', 'text: How can', 'text: I help you today?']);
    expect(state.model).toBe('gemini-2.0-flash');
    expect(decoder.finished).toBe(true);
    expect(decoder.finish()).toEqual({
      outcome: {
        stopReason: 'stop',
        usage: { input_tokens: 19, output_tokens: 9 },
        extra: { response_id: 'nGE3aPHXMKOdz7IPm4emgQk', model_version: 'gemini-2.0-flash' },
      },
      toolCalls: [],
    });
  });

  it('routes thought parts to thinking and keeps the signature of the signature-only part', () => {
    const { decoder, calls } = decode(payloads('reasoning.sse'));
    expect(calls.map((call) => call.split(':')[0])).toEqual(['thinking', 'thinking', 'text', 'text']);
    const { outcome } = decoder.finish();
    expect(outcome.usage).toEqual({ input_tokens: 9, output_tokens: 30, reasoning_tokens: 21 });
    expect(outcome.reasoning).toEqual({ signature: expect.stringMatching(/^CiQB/), provider: 'gemini' });
  });

  it('returns whole function calls in order with generated stable ids, and STOP → tool_calls', () => {
    const { decoder } = decode(payloads('parallel-tool-calls.sse'));
    expect(decoder.finish()).toEqual({
      outcome: {
        stopReason: 'tool_calls',
        usage: { input_tokens: 1291, output_tokens: 16, cached_tokens: 1024 },
        extra: { response_id: 'sGE3aOW7L_2iz7IPuKCH0Q0', model_version: 'gemini-2.0-flash' },
      },
      toolCalls: [
        { id: 'call_m_0', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_m_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      ],
    });
  });

  it("keeps the API's call ids and the signature of the first call", () => {
    const { decoder } = decode([
      candidate([
        { text: 'Checking.', thoughtSignature: 'text-sig' },
        { functionCall: { id: 'fc-1', name: 'a', args: {} }, thoughtSignature: 'call-sig' },
        { functionCall: { name: 'b' }, thoughtSignature: 'ignored' },
      ]),
      candidate([{ text: '', thoughtSignature: 'late' }], 'STOP'),
    ]);
    const { outcome, toolCalls } = decoder.finish();
    expect(toolCalls).toEqual([
      { id: 'fc-1', name: 'a', arguments: '{}' },
      { id: 'call_m_1', name: 'b', arguments: '{}' },
    ]);
    expect(outcome.reasoning).toEqual({ signature: 'call-sig', provider: 'gemini', signature_call_id: 'fc-1' });
  });

  it('drops a call without a name with a warning', () => {
    const { decoder, state } = decode([candidate([{ functionCall: { args: { a: 1 } } }], 'STOP')]);
    expect(decoder.finish().toolCalls).toEqual([]);
    expect(state.logs).toEqual(['gemini: dropped a function call without a name']);
  });

  it('maps the finish reasons', () => {
    const stop = (reason: string, parts: object[] = [{ text: 'x' }]) =>
      decode([candidate(parts, reason)]).decoder.finish().outcome.stopReason;
    expect(stop('MAX_TOKENS')).toBe('max_tokens');
    for (const reason of ['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII']) {
      expect(stop(reason)).toBe('content_filter');
    }
    expect(stop('MALFORMED_FUNCTION_CALL')).toBe('malformed_function_call');
    expect(stop('STOP', [{ functionCall: { name: 'f', args: {} } }])).toBe('tool_calls');
  });

  it('a safety stop keeps the text already streamed', () => {
    const { decoder, state } = decode(payloads('safety.sse'));
    expect(state.text).toBe('Sure, here is');
    expect(decoder.finish().outcome).toEqual({
      stopReason: 'content_filter',
      usage: { input_tokens: 15, output_tokens: 3 },
      extra: { response_id: 'zGE3aJbLBZ-gz7IPhK2v6Q0', model_version: 'gemini-2.0-flash' },
    });
  });

  it('ignores candidates other than the first and parts it does not know', () => {
    const { decoder, calls } = decode([
      {
        candidates: [
          { content: { parts: [{ text: 'second' }] }, index: 1 },
          {
            content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'AA==' } }, { text: 'first' }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
      },
    ]);
    expect(calls).toEqual(['text:first']);
    expect(decoder.finish().outcome.stopReason).toBe('stop');
  });

  it('counts tool-use prompt tokens as input', () => {
    const { decoder } = decode([
      { ...candidate([{ text: 'x' }], 'STOP'), usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 5 } },
    ]);
    expect(decoder.finish().outcome.usage).toEqual({ input_tokens: 15, output_tokens: 0 });
  });

  it('a blocked prompt → stream-error with the block reason', () => {
    const [event = ''] = payloads('prompt-blocked.sse');
    const error = failure(() => decode([event]), 'stream-error');
    expect(error.providerCode).toBe('PROHIBITED_CONTENT');
    expect(error.message).toBe('gemini: the prompt was blocked (PROHIBITED_CONTENT)');
  });

  it('an error event (also wrapped in an array) → stream-error with the status as provider code', () => {
    const events = payloads('stream-error.sse');
    const error = failure(() => decode(events), 'stream-error');
    expect(error.providerCode).toBe('INTERNAL');
    expect(error.message).toContain('An internal error has occurred');
    const wrapped = failure(
      () => decode([[{ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }]]),
      'stream-error',
    );
    expect(wrapped.providerCode).toBe('UNAVAILABLE');
  });

  it('invalid JSON or a wrong shape → stream-malformed', () => {
    expect(failure(() => decode(['{"candidates": [']), 'stream-malformed').body).toBe('{"candidates": [');
    expect(failure(() => decode([{ candidates: 'nope' }]), 'stream-malformed').message).toContain('candidates');
  });

  it('an end without finishReason → stream-truncated', () => {
    const { decoder } = decode(payloads('truncated.sse').slice(0, 2));
    expect(decoder.finished).toBe(false);
    failure(() => decoder.finish(), 'stream-truncated');
  });
});
