import { describe, expect, it } from 'vitest';
import { openAIResponsesStreamOutput } from './openai-responses-output.js';

describe('openAIResponsesStreamOutput', () => {
  it('lists reasoning, messages and call places in output order, with item ids', () => {
    const output = openAIResponsesStreamOutput([
      { type: 'reasoning', itemId: 'rs_0', text: 'Two cities.', encryptedContent: 'enc' },
      { type: 'message', itemId: 'msg_1', text: 'Checking both.' },
      { type: 'function_call', call: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { type: 'function_call', call: { id: 'call_2', name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
      { type: 'reasoning', itemId: '', text: 'No id.' },
      { type: 'message', itemId: '', text: 'No id either.' },
    ]);
    expect(output).toEqual([
      { kind: 'reasoning', payload: { text: 'Two cities.', item_id: 'rs_0', encrypted_content: 'enc' } },
      { kind: 'llm_text', payload: { text: 'Checking both.', item_id: 'msg_1' } },
      { kind: 'tool_call', id: 'call_1' },
      { kind: 'tool_call', id: 'call_2' },
      { kind: 'reasoning', payload: { text: 'No id.' } },
      { kind: 'llm_text', payload: { text: 'No id either.' } },
    ]);
  });
});
