import { describe, expect, it } from 'vitest';
import { added, call, completed, done, recorder, response, summary, text, usage } from './openai-responses-test-kit.js';

describe('OpenAIResponsesStreamDecoder', () => {
  it('keeps output order and separates summary parts, reasoning items and messages by a blank line', () => {
    const { decoder, push, calls } = recorder();
    push(
      { type: 'response.created', response: response('in_progress') },
      added(0, { id: 'rs_0', type: 'reasoning', encrypted_content: 'early', summary: [] }),
      summary(0, 0, '**Plan**'),
      summary(0, 1, 'Check the'),
      summary(0, 1, ' weather.'),
      done(0, { id: 'rs_0', type: 'reasoning', encrypted_content: 'enc-0', summary: [] }),
      added(1, { id: 'msg_1', type: 'message', role: 'assistant', content: [] }),
      text(1, 'Let me check.'),
      done(1, { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'Let me check.' }] }),
      added(2, { id: 'rs_2', type: 'reasoning', encrypted_content: 'early', summary: [] }),
      summary(2, 0, 'Calling it.'),
      done(2, { id: 'rs_2', type: 'reasoning', encrypted_content: 'enc-2', summary: [] }),
      added(3, call(3)),
      { type: 'response.function_call_arguments.delta', item_id: 'fc_3', output_index: 3, delta: '{"city":' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_3', output_index: 3, delta: '"Paris"}' },
      done(3, call(3, { arguments: '{"city":"Paris"}', status: 'completed' })),
    );
    expect(push(completed)).toEqual([true]);
    expect(calls).toEqual([
      'model:gpt-5-mini-2025-08-07',
      'thinking:**Plan**',
      'thinking:\n\nCheck the',
      'thinking: weather.',
      'text:Let me check.',
      'thinking:\n\nCalling it.',
      'model:gpt-5-mini-2025-08-07',
    ]);
    const call3 = { id: 'call_3', name: 'get_weather', arguments: '{"city":"Paris"}', itemId: 'fc_3' };
    expect(decoder.finish()).toEqual({
      outcome: {
        stopReason: 'tool_calls',
        usage: { input_tokens: 10, output_tokens: 20, cached_tokens: 4, reasoning_tokens: 12 },
        output: [
          {
            kind: 'reasoning',
            payload: { text: '**Plan**\n\nCheck the weather.', item_id: 'rs_0', encrypted_content: 'enc-0' },
          },
          { kind: 'llm_text', payload: { text: 'Let me check.', item_id: 'msg_1' } },
          { kind: 'reasoning', payload: { text: 'Calling it.', item_id: 'rs_2', encrypted_content: 'enc-2' } },
          { kind: 'tool_call', id: 'call_3' },
        ],
        extra: { response_id: 'resp_1' },
      },
      toolCalls: [call3],
      output: [
        { type: 'reasoning', itemId: 'rs_0', text: '**Plan**\n\nCheck the weather.', encryptedContent: 'enc-0' },
        { type: 'message', itemId: 'msg_1', text: 'Let me check.' },
        { type: 'reasoning', itemId: 'rs_2', text: 'Calling it.', encryptedContent: 'enc-2' },
        { type: 'function_call', call: call3 },
      ],
    });
  });

  it('keeps encrypted reasoning only when the next item is a kept message or call', () => {
    const { decoder, push } = recorder();
    push(
      // Followed by a hosted web search item, which is never replayed.
      done(0, {
        id: 'rs_0',
        type: 'reasoning',
        encrypted_content: 'enc-0',
        summary: [{ type: 'summary_text', text: 'Search.' }],
      }),
      done(1, { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } }),
      // Followed by an empty message.
      done(2, { id: 'rs_2', type: 'reasoning', encrypted_content: 'enc-2', summary: [] }),
      done(3, { id: 'msg_3', type: 'message', content: [{ type: 'output_text', text: '' }] }),
      done(4, { id: 'rs_4', type: 'reasoning', encrypted_content: 'enc-4', summary: [] }),
      done(5, { id: 'msg_5', type: 'message', content: [{ type: 'output_text', text: 'Done.' }] }),
      // Last item of the response.
      done(6, {
        id: 'rs_6',
        type: 'reasoning',
        encrypted_content: 'enc-6',
        summary: [{ type: 'summary_text', text: 'Bye.' }],
      }),
      completed,
    );
    expect(decoder.finish().output).toEqual([
      { type: 'reasoning', itemId: 'rs_0', text: 'Search.' },
      { type: 'reasoning', itemId: 'rs_4', text: '', encryptedContent: 'enc-4' },
      { type: 'message', itemId: 'msg_5', text: 'Done.' },
      { type: 'reasoning', itemId: 'rs_6', text: 'Bye.' },
    ]);
  });

  it('publishes text and summaries from the finished item when they never streamed', () => {
    const { decoder, push, calls } = recorder();
    push(
      done(0, {
        id: 'rs_0',
        type: 'reasoning',
        summary: [
          { type: 'summary_text', text: 'One.' },
          { type: 'summary_text', text: 'Two.' },
        ],
      }),
      done(1, { id: 'msg_1', type: 'message', content: [{ type: 'refusal', refusal: 'I cannot help.' }] }),
      completed,
    );
    expect(calls.filter((entry) => !entry.startsWith('model:'))).toEqual([
      'thinking:One.',
      'thinking:\n\nTwo.',
      'text:I cannot help.',
    ]);
    expect(decoder.finish().output.map((entry) => entry.type === 'reasoning' && entry.text)).toEqual([
      'One.\n\nTwo.',
      false,
    ]);
  });

  it('takes the final arguments from .done events and falls back to the item id without call_id', () => {
    const { decoder, push } = recorder();
    push(
      added(0, { id: 'fc_0', type: 'function_call', name: 'get_weather', arguments: '' }),
      { type: 'response.function_call_arguments.delta', item_id: 'fc_0', output_index: 0, delta: '{"ci' },
      { type: 'response.function_call_arguments.done', item_id: 'fc_0', output_index: 0, arguments: '{"city":"Oslo"}' },
      completed,
    );
    expect(decoder.finish()).toMatchObject({
      outcome: { stopReason: 'tool_calls' },
      toolCalls: [{ id: 'fc_0', name: 'get_weather', arguments: '{"city":"Oslo"}', itemId: 'fc_0' }],
    });
  });

  it('routes events without index or id to the latest item of their kind (minimal compatible servers)', () => {
    const { decoder, push, calls } = recorder();
    push(
      added(0, { type: 'message', content: [] }),
      { type: 'response.output_text.delta', delta: 'Hi' },
      { type: 'response.reasoning_text.delta', delta: 'raw thought' },
      { type: 'response.completed', response: { status: 'completed' } },
    );
    expect(calls).toEqual(['text:Hi', 'thinking:raw thought']);
    expect(decoder.finish().output).toEqual([
      { type: 'message', itemId: '', text: 'Hi' },
      { type: 'reasoning', itemId: '', text: 'raw thought' },
    ]);
  });

  it('ends an incomplete response with its reason, a warning, and without cut-off calls', () => {
    const { decoder, push, calls } = recorder();
    push(added(0, { id: 'msg_0', type: 'message', content: [] }), text(0, 'Hello! How'), added(1, call(1)), {
      type: 'response.function_call_arguments.delta',
      item_id: 'fc_1',
      output_index: 1,
      delta: '{"ci',
    });
    push({
      type: 'response.incomplete',
      response: response('incomplete', { incomplete_details: { reason: 'max_output_tokens' }, usage }),
    });
    const result = decoder.finish();
    expect(result.outcome.stopReason).toBe('max_tokens');
    expect(result.toolCalls).toEqual([]);
    expect(result.output).toEqual([{ type: 'message', itemId: 'msg_0', text: 'Hello! How' }]);
    expect(calls).toContain('warn:openai-responses: the response is incomplete (max_output_tokens)');
    expect(calls).toContain('warn:openai-responses: dropped the cut-off function call get_weather');
  });

  it('drops calls without a name with a warning', () => {
    const { decoder, push, calls } = recorder();
    push(done(0, { id: 'fc_0', type: 'function_call', call_id: 'call_0', arguments: '{}' }), completed);
    expect(decoder.finish().toolCalls).toEqual([]);
    expect(calls).toContain('warn:openai-responses: dropped a function call without a name');
  });
});
