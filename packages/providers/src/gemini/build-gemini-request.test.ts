import { createTurn, defineTool, systemBlock, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import { buildGeminiRequest, geminiThinkingBudgets } from './build-gemini-request.js';

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather for a city.',
  input: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
  execute: () => ({}),
});
const ping = defineTool({ name: 'ping', description: 'Ping.', input: z.object({}), execute: () => 'pong' });

const turn = () => createTurn({ blocks: [systemBlock('Be brief.'), userBlock('Hi')] });

describe('buildGeminiRequest', () => {
  it('sends only the contents and system instruction when nothing else is set', () => {
    const { body, sampling, warnings } = buildGeminiRequest(turn(), createTestInferenceContext().context, {});
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    });
    expect(sampling).toEqual({});
    expect(warnings).toEqual([]);
  });

  it('maps sampling settings to generationConfig and reports them as sampling metadata', () => {
    const { body, sampling } = buildGeminiRequest(turn(), createTestInferenceContext().context, {
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 512,
      stop: ['END'],
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 512,
      stopSequences: ['END'],
    });
    expect(sampling).toEqual({ temperature: 0.2, top_p: 0.9, max_tokens: 512 });
  });

  it('asks for thoughts with a budget per reasoning effort', () => {
    for (const effort of ['low', 'medium', 'high'] as const) {
      const { body } = buildGeminiRequest(turn(), createTestInferenceContext().context, { reasoningEffort: effort });
      expect(body.generationConfig).toEqual({
        thinkingConfig: { includeThoughts: true, thinkingBudget: geminiThinkingBudgets[effort] },
      });
    }
  });

  it('declares the context tools with typed parameters and the calling mode of tool_choice', () => {
    const modes = { auto: 'AUTO', required: 'ANY', none: 'NONE' } as const;
    for (const [choice, mode] of Object.entries(modes)) {
      const { context } = createTestInferenceContext({
        tools: [weather, ping],
        toolConfig: { tool_choice: choice as keyof typeof modes },
      });
      const { body } = buildGeminiRequest(turn(), context, {});
      expect(body.toolConfig).toEqual({ functionCallingConfig: { mode } });
      expect(body.tools).toEqual([
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather for a city.',
              parameters: {
                type: 'OBJECT',
                properties: { city: { type: 'STRING' }, unit: { type: 'STRING', enum: ['c', 'f'] } },
                required: ['city'],
              },
            },
            // No parameters at all: Gemini rejects an OBJECT schema without properties.
            { name: 'ping', description: 'Ping.' },
          ],
        },
      ]);
    }
  });

  it('omits tools when none are given or tools are disabled', () => {
    const empty = buildGeminiRequest(turn(), createTestInferenceContext().context, {});
    expect(empty.body.tools).toBeUndefined();
    expect(empty.body.toolConfig).toBeUndefined();
    const { context } = createTestInferenceContext({ tools: [weather], toolConfig: { enabled: false } });
    const disabled = buildGeminiRequest(turn(), context, {});
    expect(disabled.body.tools).toBeUndefined();
    expect(disabled.body.toolConfig).toBeUndefined();
  });
});
