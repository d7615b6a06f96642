import {
  claudeOriginalContentKey,
  llmTextBlock,
  otherBlock,
  reasoningBlock,
  systemBlock,
  toolCallBlock,
  toolUseBlock,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

const plain = { replayThinking: false };
const thinking = { replayThinking: true };
const text = (value: string) => ({ type: 'text', text: value });

describe('convertToAnthropicMessages: system and plain messages', () => {
  it('sends one system block as the top-level string and skips blank ones', () => {
    const converted = convertToAnthropicMessages([systemBlock('Be brief.'), systemBlock('  '), userBlock('Hi')], plain);
    expect(converted).toEqual({
      system: 'Be brief.',
      messages: [{ role: 'user', content: [text('Hi')] }],
      warnings: [],
    });
  });

  it('gathers every system block, wherever it sits, as one text block each', () => {
    const converted = convertToAnthropicMessages(
      [
        systemBlock('Be brief.'),
        userBlock('Hi'),
        llmTextBlock('Hello.'),
        systemBlock('Answer in French.'),
        userBlock('Ok'),
      ],
      plain,
    );
    expect(converted.system).toEqual([text('Be brief.'), text('Answer in French.')]);
    expect(converted.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('omits system when there is none and merges consecutive blocks of one role', () => {
    const converted = convertToAnthropicMessages(
      [userBlock('One'), userBlock('Two'), llmTextBlock('A'), otherBlock({ text: 'B' }), otherBlock({ note: 1 })],
      plain,
    );
    expect(converted.system).toBeUndefined();
    expect(converted.messages).toEqual([
      { role: 'user', content: [text('One'), text('Two')] },
      { role: 'assistant', content: [text('A'), text('B')] },
    ]);
  });

  it('puts images before the text: URL sources and base64 sources', () => {
    const converted = convertToAnthropicMessages(
      [
        userBlock('What is in these?', [
          { media_type: 'image/png', url: 'https://example.com/a.png' },
          { media_type: 'image/jpeg', content: 'QUJD' },
        ]),
      ],
      plain,
    );
    expect(converted.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'QUJD' } },
      text('What is in these?'),
    ]);
  });

  it('trims trailing whitespace off a final assistant message, which the API rejects', () => {
    const converted = convertToAnthropicMessages([userBlock('Hi'), llmTextBlock('Sure, here it is:  \n')], plain);
    expect(converted.messages.at(-1)).toEqual({ role: 'assistant', content: [text('Sure, here it is:')] });
  });

  it('sends a claude_original_content array instead of the block mapping, ignoring invalid ones', () => {
    const user = userBlock('ignored');
    const document = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } };
    user.metadata.set(claudeOriginalContentKey, [document, text('Summarise.')]);
    const reply = llmTextBlock('kept');
    reply.metadata.set(claudeOriginalContentKey, 'not an array');
    const converted = convertToAnthropicMessages([user, reply], plain);
    expect(converted.messages).toEqual([
      { role: 'user', content: [document, text('Summarise.')] },
      { role: 'assistant', content: [text('kept')] },
    ]);
    expect(converted.warnings).toEqual([expect.stringContaining('claude_original_content')]);
  });
});

describe('convertToAnthropicMessages: tool use', () => {
  it('merges text and calls into one assistant message and all results into the next user message', () => {
    const converted = convertToAnthropicMessages(
      [
        userBlock('Weather in Paris and Tokyo?'),
        llmTextBlock('Checking both.'),
        toolCallBlock('toolu_1', 'get_weather', { city: 'Paris' }),
        toolCallBlock('toolu_2', 'get_weather', '{"city":"Tokyo"}'),
        // Results in the order the tools finished, not the call order.
        toolUseBlock('toolu_2', '{"temp_c":18}'),
        toolUseBlock('toolu_1', undefined, 'upstream timeout'),
        llmTextBlock('Tokyo is 18°C; Paris failed.'),
      ],
      plain,
    );
    expect(converted.warnings).toEqual([]);
    expect(converted.messages).toEqual([
      { role: 'user', content: [text('Weather in Paris and Tokyo?')] },
      {
        role: 'assistant',
        content: [
          text('Checking both.'),
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'upstream timeout', is_error: true },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '{"temp_c":18}' },
        ],
      },
      { role: 'assistant', content: [text('Tokyo is 18°C; Paris failed.')] },
    ]);
  });

  it('places results right after their call even when other user content came in between', () => {
    const converted = convertToAnthropicMessages(
      [toolCallBlock('toolu_1', 'lookup', {}), userBlock('Also, hurry.'), toolUseBlock('toolu_1', '"ok"')],
      plain,
    );
    expect(converted.messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '"ok"' }, text('Also, hurry.')],
      },
    ]);
  });

  it('omits empty result content and keeps a partial result after the error message', () => {
    const converted = convertToAnthropicMessages(
      [
        toolCallBlock('a', 'x', {}),
        toolCallBlock('b', 'x', {}),
        toolUseBlock('a', undefined),
        toolUseBlock('b', '"half"', 'crashed'),
      ],
      plain,
    );
    expect(converted.messages[1]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'a' },
      { type: 'tool_result', tool_use_id: 'b', content: 'crashed\n\n"half"', is_error: true },
    ]);
  });

  it('warns about results without a call, duplicate results and calls without a result', () => {
    const converted = convertToAnthropicMessages(
      [
        toolUseBlock('ghost', '1'),
        toolCallBlock('toolu_1', 'x', {}),
        toolUseBlock('toolu_1', '1'),
        toolUseBlock('toolu_1', '2'),
        toolCallBlock('toolu_2', 'x', {}),
        userBlock('next'),
      ],
      plain,
    );
    expect(converted.warnings).toEqual([
      expect.stringContaining('tool result ghost has no matching tool call'),
      expect.stringContaining('tool call toolu_1 has more than one result'),
      expect.stringContaining('tool call toolu_2 has no tool result'),
    ]);
    expect(converted.messages[1]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_1', content: '1' }]);
  });

  it('maps call ids to the allowed characters, identically for call and result', () => {
    const converted = convertToAnthropicMessages(
      [toolCallBlock('functions.get:0', 'get', {}), toolUseBlock('functions.get:0', '1')],
      plain,
    );
    expect(converted.messages[0]?.content[0]).toMatchObject({ id: 'functions_get_0' });
    expect(converted.messages[1]?.content[0]).toMatchObject({ tool_use_id: 'functions_get_0' });
  });

  it('sends arguments that are not a JSON object as {} with a warning', () => {
    const converted = convertToAnthropicMessages(
      [toolCallBlock('a', 'x', '{"city": Par'), toolCallBlock('b', 'x', ''), toolCallBlock('c', 'x', [1])],
      plain,
    );
    expect(converted.messages[0]?.content.map((block) => ('input' in block ? block.input : undefined))).toEqual([
      {},
      {},
      {},
    ]);
    expect(converted.warnings.filter((warning) => warning.includes('not a JSON object'))).toHaveLength(2);
  });
});

describe('convertToAnthropicMessages: thinking replay', () => {
  const signed = reasoningBlock({ text: 'Need the weather.', signature: 'sig-1', provider: 'anthropic' });
  const redacted = reasoningBlock({ encrypted_content: 'opaque==', provider: 'anthropic' });
  const blocks = [
    userBlock('Weather?'),
    signed,
    redacted,
    llmTextBlock('Checking.'),
    toolCallBlock('toolu_1', 'get_weather', { city: 'Paris' }),
    toolUseBlock('toolu_1', '"sunny"'),
  ];

  it('replays signed and redacted thinking first in the assistant message, in order', () => {
    const converted = convertToAnthropicMessages(blocks, thinking);
    expect(converted.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque==' },
      text('Checking.'),
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
  });

  it('leaves thinking out when the request does not think', () => {
    const converted = convertToAnthropicMessages(blocks, plain);
    expect(converted.messages[1]?.content.map((block) => block.type)).toEqual(['text', 'tool_use']);
  });

  it('never replays reasoning of other providers or unsigned thinking', () => {
    const converted = convertToAnthropicMessages(
      [
        userBlock('Hi'),
        reasoningBlock({ text: 'openai summary', encrypted_content: 'gAAAA', item_id: 'rs_1' }),
        reasoningBlock({ text: 'gemini', signature: 'CiQB' }),
        reasoningBlock({ text: 'cut off before its signature', provider: 'anthropic' }),
        llmTextBlock('Hello.'),
      ],
      thinking,
    );
    expect(converted.messages[1]).toEqual({ role: 'assistant', content: [text('Hello.')] });
  });
});
