import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import { OllamaStreamDecoder, type OllamaStreamSink } from './ollama-stream.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/** A sink recording what the decoder drives. */
function fakeSink() {
  const calls: string[] = [];
  const state = { model: undefined as string | undefined, logs: [] as string[] };
  const sink: OllamaStreamSink = {
    appendText: (delta) => calls.push(`text:${delta}`),
    appendThinking: (delta) => calls.push(`thinking:${delta}`),
    setModel: (model) => {
      if (model) state.model = model;
    },
    log: (_level, message) => {
      state.logs.push(message);
    },
  };
  return { sink, calls, state };
}

/** The parsed lines of an NDJSON fixture. */
function lines(name: string): unknown[] {
  return readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

function decode(input: readonly unknown[]) {
  const { sink, calls, state } = fakeSink();
  const decoder = new OllamaStreamDecoder(sink, { provider: 'ollama', callIdPrefix: 'call_m' });
  const ended = input.map((line) => decoder.push(line));
  return { decoder, calls, state, ended };
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

const line = (message: object, done = false, extra: object = {}) => ({
  model: 'm',
  created_at: '2025-06-03T14:22:41Z',
  message: { role: 'assistant', content: '', ...message },
  done,
  ...extra,
});

describe('OllamaStreamDecoder', () => {
  it('streams content deltas and ends at the done line with usage and stop reason', () => {
    const { decoder, calls, state, ended } = decode(lines('text-only.ndjson'));
    expect(calls.join('')).toBe('text:Hellotext:!text: Howtext: cantext: Itext: helptext: youtext: todaytext:?');
    expect(ended.at(-1)).toBe(true);
    expect(ended.slice(0, -1).every((value) => !value)).toBe(true);
    expect(state.model).toBe('llama3.1:8b');
    expect(decoder.finish()).toEqual({
      outcome: {
        stopReason: 'stop',
        usage: { input_tokens: 26, output_tokens: 10 },
        extra: {
          total_duration_ns: 822345678,
          load_duration_ns: 11234567,
          prompt_eval_duration_ns: 45678901,
          eval_duration_ns: 408765432,
        },
      },
      toolCalls: [],
    });
  });

  it('routes message.thinking to thinking', () => {
    const { calls } = decode(lines('reasoning.ndjson'));
    const thinking = calls.filter((call) => call.startsWith('thinking:')).map((call) => call.slice('thinking:'.length));
    expect(thinking.join('')).toBe('The user said hello, so I should greet them back and offer help.');
    expect(calls.findIndex((call) => call.startsWith('text:'))).toBe(8);
  });

  it('keeps call ids when sent, generates stable ones otherwise, and reports tool_calls', () => {
    const { decoder } = decode([
      line({ tool_calls: [{ function: { name: 'a', arguments: { x: 1 } } }] }),
      line({ tool_calls: [{ id: 'call_srv', function: { index: 1, name: 'b', arguments: {} } }] }),
      line({ tool_calls: [{ function: { name: 'c' } }] }),
      line({}, true, { done_reason: 'stop', prompt_eval_count: 5, eval_count: 7 }),
    ]);
    expect(decoder.finish()).toEqual({
      outcome: { stopReason: 'tool_calls', usage: { input_tokens: 5, output_tokens: 7 } },
      toolCalls: [
        { id: 'call_m_0', name: 'a', arguments: '{"x":1}' },
        { id: 'call_srv', name: 'b', arguments: '{}' },
        { id: 'call_m_2', name: 'c', arguments: '{}' },
      ],
    });
  });

  it('drops a call without a name with a warning', () => {
    const { decoder, state } = decode([line({ tool_calls: [{ function: { arguments: {} } }] }), line({}, true)]);
    expect(decoder.finish().toolCalls).toEqual([]);
    expect(state.logs).toEqual(['ollama: dropped a tool call without a name']);
  });

  it('maps done reasons; a missing reason and missing counts default sensibly', () => {
    expect(decode(lines('length.ndjson')).decoder.finish().outcome.stopReason).toBe('max_tokens');
    expect(decode([line({}, true, { done_reason: 'load' })]).decoder.finish().outcome).toEqual({
      stopReason: 'load',
      usage: { input_tokens: 0, output_tokens: 0 },
    });
    expect(decode([line({ content: 'x' }, true)]).decoder.finish().outcome.stopReason).toBe('stop');
  });

  it('an error line → stream-error with the message', () => {
    const error = failure(() => decode(lines('stream-error.ndjson')), 'stream-error');
    expect(error.message).toBe('ollama: an error was encountered while running the model: unexpected EOF');
  });

  it('a line of another shape → stream-malformed', () => {
    expect(failure(() => decode([{ message: { content: 'x' } }]), 'stream-malformed').message).toContain('done');
    failure(() => decode([[1, 2]]), 'stream-malformed');
  });

  it('an end without a done line → stream-truncated', () => {
    const { decoder } = decode(lines('text-only.ndjson').slice(0, 3));
    expect(decoder.done).toBe(false);
    failure(() => decoder.finish(), 'stream-truncated');
  });
});
