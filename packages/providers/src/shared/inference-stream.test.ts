import { createTurn, InferenceError, modelKey, providerKey, stopReasonKey, usageKey, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import { InferenceStream } from './inference-stream.js';
import { ProviderError } from './provider-error.js';

function setup() {
  const turn = createTurn({ id: 't', blocks: [userBlock('Hi')] });
  // What a sink handling `final` finds on the turn.
  const atFinal: { kinds?: string[] } = {};
  const { context, sink, controller } = createTestInferenceContext({
    onEvent: (event) => {
      if (event.type === 'final') atFinal.kinds = turn.blocks.slice(1).map((block) => block.kind);
    },
  });
  const stream = new InferenceStream({ provider: 'p', model: 'alias', turn, context, sampling: { temperature: 0.1 } });
  return { stream, sink, controller, turn, atFinal };
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

  it('appends an explicit output in provider order, before final, with payloads and tool-call extras', () => {
    const { stream, sink, turn, atFinal } = setup();
    stream.appendThinking('Plan.');
    stream.appendText('Checking.');
    stream.appendThinking('Then call.');
    stream.toolCall({ id: 'call_1', name: 'f', arguments: '{"a":1}', itemId: 'fc_1', extra: { sig: 's', id: 'x' } });
    stream.toolCall({ id: 'call_1', name: 'g', arguments: '' });
    stream.toolCall({ id: 'call_2', name: 'h', arguments: '' });
    stream.finish({
      stopReason: 'tool_calls',
      usage: { input_tokens: 1, output_tokens: 2 },
      output: [
        { kind: 'reasoning', payload: { text: 'Plan.', item_id: 'rs_0', encrypted_content: 'enc' } },
        { kind: 'llm_text', payload: { text: 'Checking.', item_id: 'msg_1' } },
        { kind: 'llm_text', payload: { text: '' } },
        { kind: 'reasoning', payload: {} },
        { kind: 'reasoning', payload: { text: 'Then call.' } },
        { kind: 'tool_call', id: 'call_1' },
        { kind: 'tool_call', id: 'call_1' },
        { kind: 'tool_call', id: 'call_9' },
      ],
    });
    const appended = turn.blocks.slice(1).map((block) => [block.kind, block.payload]);
    expect(appended).toEqual([
      ['reasoning', { text: 'Plan.', item_id: 'rs_0', encrypted_content: 'enc' }],
      ['llm_text', { text: 'Checking.', item_id: 'msg_1' }],
      ['reasoning', { text: 'Then call.' }],
      // Extras never replace the call's own fields; duplicate ids keep their recording order.
      ['tool_call', { sig: 's', id: 'call_1', name: 'f', args: { a: 1 }, item_id: 'fc_1' }],
      ['tool_call', { id: 'call_1', name: 'g', args: {} }],
      // Recorded but not placed by the output: appended last rather than lost.
      ['tool_call', { id: 'call_2', name: 'h', args: {} }],
    ]);
    expect(turn.blocks[2]?.role).toBe('assistant');
    expect(atFinal.kinds).toEqual(['reasoning', 'llm_text', 'reasoning', 'tool_call', 'tool_call', 'tool_call']);
    expect(sink.ofType('log')).toEqual([expect.objectContaining({ level: 'warn', fields: { call_id: 'call_9' } })]);
    expect(sink.ofType('final')[0]?.text).toBe('Checking.');
  });

  it('keeps the default layout without an output, blocks on the turn before final', () => {
    const { stream, turn, atFinal } = setup();
    stream.appendThinking('hm');
    stream.appendText('Hi');
    stream.toolCall({ id: 'c', name: 'f', arguments: '{}', extra: { thought_signature: 'sig' } });
    stream.finish({ reasoning: { signature: 'sig-r' }, usage: { input_tokens: 1, output_tokens: 1 } });
    expect(turn.blocks.slice(1).map((block) => block.payload)).toEqual([
      { signature: 'sig-r', text: 'hm' },
      { text: 'Hi' },
      { thought_signature: 'sig', id: 'c', name: 'f', args: {} },
    ]);
    expect(atFinal.kinds).toEqual(['reasoning', 'llm_text', 'tool_call']);
  });

  it('puts provider extras in final meta.extra, leaving an empty one out', () => {
    const first = setup();
    first.stream.finish({ usage: { input_tokens: 1, output_tokens: 1 }, extra: { response_id: 'r1', n: 2 } });
    expect(first.sink.ofType('final')[0]?.meta.extra).toEqual({ response_id: 'r1', n: 2 });
    const second = setup();
    second.stream.finish({ usage: { input_tokens: 1, output_tokens: 1 }, extra: {} });
    expect(second.sink.ofType('final')[0]?.meta).not.toHaveProperty('extra');
  });

  it('always reports a stop reason and numeric usage on final and the turn', () => {
    const withCalls = setup();
    withCalls.stream.toolCall({ id: 'c', name: 'f', arguments: '' });
    withCalls.stream.finish();
    const final = withCalls.sink.ofType('final')[0];
    expect(final?.meta).toMatchObject({
      model: 'alias',
      stop_reason: 'tool_calls',
      usage: { input_tokens: 0, output_tokens: 0 },
      duration_ms: expect.any(Number),
    });
    expect(withCalls.turn.metadata.get(usageKey)).toEqual({ input_tokens: 0, output_tokens: 0 });
    const plain = setup();
    plain.stream.appendText('x');
    plain.stream.finish({ usage: { input_tokens: 1, output_tokens: 1 } });
    expect(plain.sink.ofType('final')[0]?.meta.stop_reason).toBe('stop');
    expect(plain.turn.metadata.get(stopReasonKey)).toBe('stop');
    expect(plain.sink.ofType('log')).toEqual([]);
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
