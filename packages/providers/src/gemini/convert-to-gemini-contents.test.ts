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
import { convertToGeminiContents } from './convert-to-gemini-contents.js';

describe('convertToGeminiContents', () => {
  it('uses real roles, a systemInstruction and merges adjacent turns of one role', () => {
    const { contents, systemInstruction, warnings } = convertToGeminiContents([
      systemBlock('Be terse.'),
      userBlock('Hi'),
      llmTextBlock('Hello.'),
      otherBlock({ text: 'More.' }),
      systemBlock('Answer in French.'),
      userBlock('   '),
      userBlock('Bye'),
    ]);
    expect(systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }] });
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello.' }, { text: 'More.' }] },
      { role: 'user', parts: [{ text: 'Bye' }] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('sends inline images as inlineData (data: URLs included) and other URLs as fileData', () => {
    const { contents } = convertToGeminiContents([
      userBlock('What is this?', [
        { media_type: 'image/png', content: 'iVBORw0KGgo=' },
        { media_type: 'image/jpeg', url: 'data:image/jpeg;base64,/9j/4AAQ' },
        { media_type: 'image/webp', url: 'https://example.com/cat.webp' },
      ]),
    ]);
    expect(contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is this?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
          { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp' } },
        ],
      },
    ]);
  });

  it('replays calls with their ids and wraps results into response objects', () => {
    const { contents, warnings } = convertToGeminiContents([
      userBlock('Weather and time?'),
      toolCallBlock('c1', 'get_weather', { city: 'Paris' }),
      toolCallBlock('c2', 'get_time', '{"zone":"CET"}'),
      toolCallBlock('c3', 'ping', undefined),
      toolUseBlock('c1', '{"forecast":"sunny"}'),
      toolUseBlock('c2', '"12:00"'),
      toolUseBlock('c3', undefined, 'host unreachable'),
    ]);
    expect(warnings).toEqual([]);
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: 'c1' } },
          { functionCall: { name: 'get_time', args: { zone: 'CET' }, id: 'c2' } },
          { functionCall: { name: 'ping', args: {}, id: 'c3' } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { forecast: 'sunny' }, id: 'c1' } },
          { functionResponse: { name: 'get_time', response: { result: '12:00' }, id: 'c2' } },
          { functionResponse: { name: 'ping', response: { error: 'host unreachable' }, id: 'c3' } },
        ],
      },
    ]);
  });

  it('keeps a failed call result next to its error, and non-JSON results as text', () => {
    const { contents } = convertToGeminiContents([
      toolCallBlock('c1', 'f', {}),
      toolUseBlock('c1', '{"partial":true}', 'timeout'),
      toolCallBlock('c2', 'g', {}),
      toolUseBlock('c2', 'plain words'),
    ]);
    expect(contents[1]?.parts[0]).toEqual({
      functionResponse: { name: 'f', response: { error: 'timeout', result: { partial: true } }, id: 'c1' },
    });
    expect(contents[3]?.parts[0]).toEqual({
      functionResponse: { name: 'g', response: { result: 'plain words' }, id: 'c2' },
    });
  });

  it('warns about arguments that are not an object and results without a call', () => {
    const { contents, warnings } = convertToGeminiContents([
      toolCallBlock('c1', 'f', '{"a": 1'),
      toolUseBlock('c1', '1'),
      toolUseBlock('orphan', '2'),
    ]);
    expect(contents[0]?.parts[0]).toEqual({ functionCall: { name: 'f', args: {}, id: 'c1' } });
    expect(contents).toHaveLength(2);
    expect(warnings).toEqual([
      'tool call c1 (f) has arguments that are not a JSON object; sent as {}',
      'tool result orphan has no matching tool call; it was not sent',
    ]);
  });

  it('puts a Gemini signature back on the recorded call, else the first call, else the last text', () => {
    const { contents } = convertToGeminiContents([
      userBlock('Go'),
      reasoningBlock({ text: 'thinking…', signature: 'sig-a', provider: 'gemini', signature_call_id: 'c2' }),
      toolCallBlock('c1', 'f', {}),
      toolCallBlock('c2', 'f', {}),
      toolUseBlock('c1', '1'),
      toolUseBlock('c2', '2'),
      reasoningBlock({ signature: 'sig-b', provider: 'gemini' }),
      llmTextBlock('Let me check.'),
      toolCallBlock('c3', 'f', {}),
      toolUseBlock('c3', '3'),
      reasoningBlock({ signature: 'sig-c', provider: 'gemini' }),
      llmTextBlock('Part one.'),
      llmTextBlock('Part two.'),
    ]);
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user', 'model', 'user', 'model']);
    expect(contents[1]?.parts).toEqual([
      { functionCall: { name: 'f', args: {}, id: 'c1' } },
      { functionCall: { name: 'f', args: {}, id: 'c2' }, thoughtSignature: 'sig-a' },
    ]);
    expect(contents[3]?.parts).toEqual([
      { text: 'Let me check.' },
      { functionCall: { name: 'f', args: {}, id: 'c3' }, thoughtSignature: 'sig-b' },
    ]);
    expect(contents[5]?.parts).toEqual([{ text: 'Part one.' }, { text: 'Part two.', thoughtSignature: 'sig-c' }]);
  });

  it('never sends thought text, nor signatures from other providers', () => {
    const { contents } = convertToGeminiContents([
      userBlock('Hi'),
      reasoningBlock({ text: 'secret thoughts', signature: 'anthropic-sig' }),
      reasoningBlock({ text: 'more', signature: 'x', provider: 'anthropic' }),
      llmTextBlock('Hello!'),
      reasoningBlock({ signature: 'lonely', provider: 'gemini' }),
    ]);
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello!' }] },
    ]);
  });
});
