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
import { convertToOpenAIChatMessages } from './convert-to-openai-chat-messages.js';

describe('convertToOpenAIChatMessages', () => {
  it('maps system, user, assistant and other text; skips reasoning and blank text', () => {
    const { messages, warnings } = convertToOpenAIChatMessages([
      systemBlock('Be brief.'),
      userBlock('Hi'),
      reasoningBlock({ text: 'thinking', encrypted_content: 'x' }),
      llmTextBlock('Hello!'),
      otherBlock({ text: 'note' }),
      otherBlock({}),
      userBlock('   '),
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'assistant', content: 'note' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('sends images as image_url parts, inline bytes as data URLs', () => {
    const { messages } = convertToOpenAIChatMessages([
      userBlock('What is this?', [
        { media_type: 'image/png', content: 'iVBORw0KGgo=' },
        { media_type: 'image/jpeg', url: 'https://example.com/cat.jpg', detail: 'low' },
      ]),
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
        ],
      },
    ]);
  });

  it('groups consecutive tool calls into one assistant message followed by tool messages', () => {
    const { messages } = convertToOpenAIChatMessages([
      userBlock('Weather in Paris and Tokyo?'),
      toolCallBlock('call_1', 'get_weather', { city: 'Paris' }),
      toolCallBlock('call_2', 'get_weather', '{"city":"Tokyo"}'),
      toolUseBlock('call_1', '{"temp":21}'),
      toolUseBlock('call_2', undefined, 'city not found'),
      llmTextBlock('Paris is 21°C.'),
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"error":"city not found"}' },
      { role: 'assistant', content: 'Paris is 21°C.' },
    ]);
  });

  it('encodes a failed call with its partial result, and empty arguments as {}', () => {
    const { messages } = convertToOpenAIChatMessages([
      toolCallBlock('call_1', 'list', undefined),
      toolUseBlock('call_1', '{"rows":2}', 'timeout'),
    ]);
    expect(messages[0]).toMatchObject({ tool_calls: [{ function: { arguments: '{}' } }] });
    expect(messages[1]).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: '{"error":"timeout","result":{"rows":2}}',
    });
  });

  it('holds back messages that sit between tool calls and their results', () => {
    const { messages } = convertToOpenAIChatMessages([
      toolCallBlock('call_1', 'a', {}),
      toolCallBlock('call_2', 'b', {}),
      userBlock('(interjection)'),
      toolUseBlock('call_1', '1'),
      llmTextBlock('(assistant aside)'),
      toolUseBlock('call_2', '2'),
    ]);
    expect(messages.map((message) => [message.role, 'tool_call_id' in message ? message.tool_call_id : ''])).toEqual([
      ['assistant', ''],
      ['tool', 'call_1'],
      ['tool', 'call_2'],
      ['user', ''],
      ['assistant', ''],
    ]);
  });

  it('places a result that precedes its call right after the call', () => {
    const { messages, warnings } = convertToOpenAIChatMessages([
      toolUseBlock('call_1', '"early"'),
      toolCallBlock('call_1', 'a', {}),
      userBlock('next'),
    ]);
    expect(messages.map((message) => message.role)).toEqual(['assistant', 'tool', 'user']);
    expect(warnings).toEqual([]);
  });

  it('warns about calls without results and results without calls', () => {
    const { messages, warnings } = convertToOpenAIChatMessages([
      toolCallBlock('call_1', 'a', {}),
      userBlock('later'),
      toolUseBlock('call_9', 'orphan'),
    ]);
    expect(messages.map((message) => message.role)).toEqual(['assistant', 'user']);
    expect(warnings).toEqual([
      'tool call call_1 has no tool result; the provider will reject the request',
      'tool result call_9 has no matching tool call; it was not sent',
    ]);
  });
});
