import { createTurn, InferenceError, modelKey, providerKey, stopReasonKey, usageKey, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import { InferenceStream } from './inference-stream.js';
import { ProviderError } from './provider-error.js';

function setup() {
  const { context, sink, controller } = createTestInferenceContext();
  const turn = createTurn({ id: 't', blocks: [userBlock('Hi')] });
  const stream = new InferenceStream({ provider: 'p', model: 'alias', turn, context, sampling: { temperature: 0.1 } });
  return { stream, sink, controller, turn };
}

describe('InferenceStream', () => {
  it('publishes start once, partials with accumulated text, and finishes with blocks and metadata', () => {
    const { stream, sink, turn } = setup();
    stream.setModel('model-2025');
    stream.appendThinking('hm');
    stream.appendText('Hel');
    stream.appendText('');
    stream.appendText('lo');
    stream.toolCall({ id: 'call_1', name: 'f', arguments: '' });
    const result = stream.finish({ stopReason: 'tool_calls', usage: { input_tokens: 3, output_tokens: 4 } });
    expect(result).toBe(turn);
    expect(sink.types()).toEqual(['start', 'partial-thinking', 'partial', 'partial', 'tool-call', 'final']);
    expect(sink.ofType('partial').map((event) => event.completion)).toEqual(['Hel', 'Hello']);
    expect(sink.ofType('tool-call')[0]?.tool_call).toEqual({ id: 'call_1', name: 'f', input: '{}' });
    expect(sink.ofType('final')[0]).toMatchObject({
      text: 'Hello',
      meta: { model: 'model-2025', temperature: 0.1, stop_reason: 'tool_calls', usage: { input_tokens: 3 } },
    });
    expect(turn.blocks.slice(1).map((block) => [block.kind, block.payload])).toEqual([
      ['reasoning', { text: 'hm' }],
      ['llm_text', { text: 'Hello' }],
      ['tool_call', { id: 'call_1', name: 'f', args: {} }],
    ]);
    expect(turn.metadata.get(providerKey)).toBe('p');
    expect(turn.metadata.get(modelKey)).toBe('model-2025');
    expect(turn.metadata.get(stopReasonKey)).toBe('tool_calls');
    expect(turn.metadata.get(usageKey)).toEqual({ input_tokens: 3, output_tokens: 4 });
  });

  it('keeps invalid tool arguments raw and warns', () => {
    const { stream, sink, turn } = setup();
    stream.toolCall({ id: 'c', name: 'f', arguments: '{"a":' });
    stream.finish();
    expect(sink.ofType('log')[0]).toMatchObject({ level: 'warn', fields: { call_id: 'c', name: 'f' } });
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ args: '{"a":' });
  });

  it('fails once: error event with code and blame, partial text kept', () => {
    const { stream, sink, turn } = setup();
    stream.appendText('par');
    const error = new ProviderError('stream-truncated', 'cut', { provider: 'p' });
    expect(stream.fail(error)).toBe(error);
    expect(stream.fail(new Error('again'))).toBe(error);
    expect(sink.types()).toEqual(['start', 'partial', 'error']);
    expect(sink.ofType('error')[0]).toMatchObject({ error_string: 'cut', code: 'stream-truncated', blame: 'provider' });
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'par' } });
  });

  it('wraps unknown failures as engine-failed', () => {
    const { stream } = setup();
    const failure = stream.fail(new TypeError('bug'));
    expect(failure).toBeInstanceOf(InferenceError);
    expect(failure.code).toBe('engine-failed');
  });

  it('turns any failure after abort into an interrupt and a cancellation', () => {
    const { stream, sink, controller, turn } = setup();
    stream.appendText('Hel');
    controller.abort();
    const failure = stream.fail(new ProviderError('stream-truncated', 'x', { provider: 'p' }));
    expect(failure).toMatchObject({ name: 'InferenceError', code: 'cancelled' });
    expect(sink.types()).toEqual(['start', 'partial', 'interrupt']);
    expect(sink.ofType('interrupt')[0]?.text).toBe('Hel');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hel' });
  });
});
