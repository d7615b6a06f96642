import {
  llmTextBlock,
  otherBlock,
  reasoningBlock,
  systemBlock,
  toolCallBlock,
  toolUseBlock,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { convertToOpenAIResponsesInput } from './convert-to-openai-responses-input.js';

const asSystem = { systemRole: 'system' } as const;
const rs = (id: string, extra: { text?: string; encrypted?: string } = {}) =>
  reasoningBlock({
    item_id: id,
    ...(extra.text ? { text: extra.text } : {}),
    ...(extra.encrypted === undefined ? { encrypted_content: `enc-${id}` } : {}),
    ...(extra.encrypted ? { encrypted_content: extra.encrypted } : {}),
  });

describe('convertToOpenAIResponsesInput', () => {
  it('maps messages with input_text / output_text parts and skips blank texts', () => {
    const { input, warnings } = convertToOpenAIResponsesInput(
      [
        systemBlock('Be terse.'),
        userBlock('Hi'),
        llmTextBlock('Hello!'),
        llmTextBlock('   '),
        otherBlock({ text: 'an aside' }),
        otherBlock({}),
        userBlock(''),
      ],
      asSystem,
    );
    expect(input).toEqual([
      { role: 'system', content: [{ type: 'input_text', text: 'Be terse.' }] },
      { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'Hello!' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'an aside' }] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('sends system blocks as developer messages when asked', () => {
    const { input } = convertToOpenAIResponsesInput([systemBlock('Rules.')], { systemRole: 'developer' });
    expect(input).toEqual([{ role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] }]);
  });

  it('attaches user images as input_image parts (URL or data URL, detail auto by default)', () => {
    const { input } = convertToOpenAIResponsesInput(
      [
        userBlock('What is this?', [
          { media_type: 'image/png', url: 'https://example.com/cat.png', detail: 'high' },
          { media_type: 'image/jpeg', content: 'QUJD' },
        ]),
      ],
      asSystem,
    );
    expect(input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'high' },
          { type: 'input_image', image_url: 'data:image/jpeg;base64,QUJD', detail: 'auto' },
        ],
      },
    ]);
  });

  it('maps tool calls and results; failed calls carry {error, result}', () => {
    const { input, warnings } = convertToOpenAIResponsesInput(
      [
        userBlock('Weather?'),
        toolCallBlock('call_1', 'get_weather', { city: 'Paris' }),
        toolCallBlock('call_2', 'get_time', ''),
        toolUseBlock('call_1', '{"temp_c":21}'),
        toolUseBlock('call_2', '{"partial":true}', 'timed out'),
      ],
      asSystem,
    );
    expect(input.slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp_c":21}' },
      { type: 'function_call_output', call_id: 'call_2', output: '{"error":"timed out","result":{"partial":true}}' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('drops results without a call and reports calls without a result', () => {
    const { input, warnings } = convertToOpenAIResponsesInput(
      [userBlock('Hi'), toolUseBlock('call_x', '1'), toolCallBlock('call_y', 'f', {})],
      asSystem,
    );
    expect(input.map((item) => ('type' in item ? item.type : item.role))).toEqual(['user', 'function_call']);
    expect(warnings).toEqual([
      'tool result call_x has no matching tool call; it was not sent',
      'tool call call_y has no tool result; the provider will reject the request',
    ]);
  });

  it('replays every reasoning item right before the item it preceded, keeping item ids, in every chain', () => {
    const { input } = convertToOpenAIResponsesInput(
      [
        userBlock('Weather in Paris and Tokyo?'),
        rs('rs_1', { text: 'Two cities.' }),
        toolCallBlock('call_1', 'get_weather', { city: 'Paris' }, { itemId: 'fc_1' }),
        toolCallBlock('call_2', 'get_weather', { city: 'Tokyo' }, { itemId: 'fc_2' }),
        toolUseBlock('call_1', '"sunny"'),
        toolUseBlock('call_2', '"rainy"'),
        rs('rs_2'),
        llmTextBlock('Sunny in Paris, rainy in Tokyo.', { itemId: 'msg_1' }),
        userBlock('Thanks'),
        rs('rs_3'),
        llmTextBlock('You are welcome.', { itemId: 'msg_2' }),
      ],
      asSystem,
    );
    expect(input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris and Tokyo?' }] },
      { type: 'reasoning', id: 'rs_1', encrypted_content: 'enc-rs_1', summary: [] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '"sunny"' },
      { type: 'function_call_output', call_id: 'call_2', output: '"rainy"' },
      { type: 'reasoning', id: 'rs_2', encrypted_content: 'enc-rs_2', summary: [] },
      { role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'Sunny in Paris, rainy in Tokyo.' }] },
      { role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      { type: 'reasoning', id: 'rs_3', encrypted_content: 'enc-rs_3', summary: [] },
      { role: 'assistant', id: 'msg_2', content: [{ type: 'output_text', text: 'You are welcome.' }] },
    ]);
  });

  it('keeps ids for every item after a replayed reasoning item in the same response (preamble + call)', () => {
    const { input } = convertToOpenAIResponsesInput(
      [
        userBlock('Weather?'),
        rs('rs_1'),
        llmTextBlock('Let me check.', { itemId: 'msg_1' }),
        rs('rs_2'),
        toolCallBlock('call_1', 'get_weather', { city: 'Paris' }, { itemId: 'fc_1' }),
        toolUseBlock('call_1', '"sunny"'),
      ],
      asSystem,
    );
    expect(input.slice(1, 5)).toEqual([
      { type: 'reasoning', id: 'rs_1', encrypted_content: 'enc-rs_1', summary: [] },
      { role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'Let me check.' }] },
      { type: 'reasoning', id: 'rs_2', encrypted_content: 'enc-rs_2', summary: [] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
  });

  it('skips reasoning it cannot replay and then sends the following items without ids', () => {
    const { input } = convertToOpenAIResponsesInput(
      [
        userBlock('A'),
        // No encrypted content (e.g. a cut-off stream or another provider's thinking).
        reasoningBlock({ item_id: 'rs_1', text: 'hmm' }),
        llmTextBlock('Answer A.', { itemId: 'msg_1' }),
        userBlock('B'),
        // Not followed by an item of its response.
        rs('rs_2'),
        userBlock('C'),
        // Followed by a text block without item id (not produced by the Responses API).
        rs('rs_3'),
        llmTextBlock('Answer C.'),
        // A replayable one followed by a blank text is not replayable either.
        rs('rs_4'),
        llmTextBlock(' ', { itemId: 'msg_4' }),
        toolCallBlock('call_1', 'f', {}, { itemId: 'fc_1' }),
        toolUseBlock('call_1', '1'),
      ],
      asSystem,
    );
    expect(input.filter((item) => 'type' in item && item.type === 'reasoning')).toEqual([]);
    expect(input).toContainEqual({ role: 'assistant', content: [{ type: 'output_text', text: 'Answer A.' }] });
    expect(input).toContainEqual({ type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' });
    expect(JSON.stringify(input)).not.toContain('"id"');
  });

  it('never sends item ids of a response without reasoning (a non-reasoning model)', () => {
    const { input } = convertToOpenAIResponsesInput(
      [
        userBlock('Hi'),
        llmTextBlock('Hello!', { itemId: 'msg_1' }),
        toolCallBlock('call_1', 'f', {}, { itemId: 'fc_1' }),
        toolUseBlock('call_1', '1'),
      ],
      asSystem,
    );
    expect(JSON.stringify(input)).not.toContain('"id"');
  });

  it('sends non-string payloads (from YAML) as JSON text', () => {
    const odd = llmTextBlock('x');
    (odd.payload as { text: unknown }).text = { answer: 42 };
    const { input } = convertToOpenAIResponsesInput([odd], asSystem);
    expect(input).toEqual([{ role: 'assistant', content: [{ type: 'output_text', text: '{"answer":42}' }] }]);
  });
});
