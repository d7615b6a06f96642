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
import { convertToOllamaMessages } from './convert-to-ollama-messages.js';

describe('convertToOllamaMessages', () => {
  it('maps system, user and assistant text, skipping blank blocks', () => {
    const { messages, warnings } = convertToOllamaMessages([
      systemBlock('Be terse.'),
      userBlock('Hi'),
      llmTextBlock('Hello.'),
      userBlock('  '),
      otherBlock({ text: 'Note.' }),
      userBlock('Bye'),
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.\n\nNote.' },
      { role: 'user', content: 'Bye' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('sends inline images as bare base64 and drops URL images with a warning', () => {
    const { messages, warnings } = convertToOllamaMessages([
      userBlock('What is this?', [
        { media_type: 'image/png', content: 'iVBORw0KGgo=' },
        { media_type: 'image/jpeg', url: 'data:image/jpeg;base64,/9j/4AAQ' },
        { media_type: 'image/webp', url: 'https://example.com/cat.webp' },
      ]),
    ]);
    expect(messages).toEqual([{ role: 'user', content: 'What is this?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] }]);
    expect(warnings).toEqual([
      'image https://example.com/cat.webp is a URL; Ollama only takes inline images, so it was not sent',
    ]);
  });

  it('groups one engine call into an assistant message with thinking, text and tool calls', () => {
    const { messages, warnings } = convertToOllamaMessages([
      userBlock('Weather in Paris and Tokyo?'),
      reasoningBlock({ text: 'Two cities, two calls.' }),
      llmTextBlock('Checking both.'),
      toolCallBlock('c1', 'get_weather', { city: 'Paris' }),
      toolCallBlock('c2', 'get_weather', '{"city":"Tokyo"}'),
      toolUseBlock('c1', '{"forecast":"sunny"}'),
      toolUseBlock('c2', undefined, 'service down'),
      reasoningBlock({ text: 'Summarise.', signature: 'ignored' }),
      llmTextBlock('Paris is sunny; Tokyo is unknown.'),
    ]);
    expect(warnings).toEqual([]);
    expect(messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        thinking: 'Two cities, two calls.',
        tool_calls: [
          { id: 'c1', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } },
          { id: 'c2', function: { index: 1, name: 'get_weather', arguments: { city: 'Tokyo' } } },
        ],
      },
      { role: 'tool', content: '{"forecast":"sunny"}', tool_name: 'get_weather', tool_call_id: 'c1' },
      { role: 'tool', content: '{"error":"service down"}', tool_name: 'get_weather', tool_call_id: 'c2' },
      { role: 'assistant', content: 'Paris is sunny; Tokyo is unknown.', thinking: 'Summarise.' },
    ]);
  });

  it('keeps a partial result next to its error', () => {
    const { messages } = convertToOllamaMessages([
      toolCallBlock('c1', 'f', {}),
      toolUseBlock('c1', '[1,2]', 'timeout'),
    ]);
    expect(messages[1]).toEqual({
      role: 'tool',
      content: '{"error":"timeout","result":[1,2]}',
      tool_name: 'f',
      tool_call_id: 'c1',
    });
  });

  it('warns about non-object arguments and results without a call; drops thinking-only turns', () => {
    const { messages, warnings } = convertToOllamaMessages([
      userBlock('Go'),
      reasoningBlock({ text: 'nothing to say' }),
      toolCallBlock('c1', 'f', '{"a": 1'),
      toolUseBlock('orphan', '2'),
      reasoningBlock({ text: 'only thoughts' }),
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: '',
        thinking: 'nothing to say',
        tool_calls: [{ id: 'c1', function: { index: 0, name: 'f', arguments: {} } }],
      },
    ]);
    expect(warnings).toEqual([
      'tool call c1 (f) has arguments that are not a JSON object; sent as {}',
      'tool result orphan has no matching tool call; it was not sent',
    ]);
  });
});
