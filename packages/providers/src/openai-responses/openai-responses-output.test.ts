import { toolCallBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { openAIResponsesOutputBlocks } from './openai-responses-output.js';

describe('openAIResponsesOutputBlocks', () => {
  it('builds blocks in output order and places the tool-call blocks by position', () => {
    const paris = toolCallBlock('call_1', 'get_weather', { city: 'Paris' }, { itemId: 'fc_1' });
    const tokyo = toolCallBlock('call_2', 'get_weather', { city: 'Tokyo' }, { itemId: 'fc_2' });
    const blocks = openAIResponsesOutputBlocks(
      [
        { type: 'reasoning', itemId: 'rs_0', text: 'Two cities.', encryptedContent: 'enc' },
        { type: 'message', itemId: 'msg_1', text: 'Checking both.' },
        { type: 'function_call', call: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { type: 'function_call', call: { id: 'call_2', name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        { type: 'reasoning', itemId: '', text: 'No id.' },
      ],
      [paris, tokyo],
    );
    expect(blocks.map((block) => [block.kind, block.payload])).toEqual([
      ['reasoning', { text: 'Two cities.', item_id: 'rs_0', encrypted_content: 'enc' }],
      ['llm_text', { text: 'Checking both.', item_id: 'msg_1' }],
      ['tool_call', paris.payload],
      ['tool_call', tokyo.payload],
      ['reasoning', { text: 'No id.' }],
    ]);
    expect(blocks[2]).toBe(paris);
  });
});
