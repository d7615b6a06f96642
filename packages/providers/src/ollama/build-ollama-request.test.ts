import { createTurn, defineTool, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import { buildOllamaRequest } from './build-ollama-request.js';

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather for a city.',
  input: z.object({ city: z.string() }),
  execute: () => ({}),
});

const turn = () => createTurn({ blocks: [userBlock('Hi')] });

describe('buildOllamaRequest', () => {
  it('sends model, messages and stream only when nothing else is set', () => {
    const { body, sampling, warnings } = buildOllamaRequest(turn(), createTestInferenceContext().context, {
      model: 'llama3.1:8b',
    });
    expect(body).toEqual({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(sampling).toEqual({});
    expect(warnings).toEqual([]);
  });

  it('maps sampling settings to options, and reasoning effort to think: true', () => {
    const { body, sampling } = buildOllamaRequest(turn(), createTestInferenceContext().context, {
      model: 'qwen3:8b',
      temperature: 0.1,
      topP: 0.8,
      maxTokens: 256,
      stop: ['</end>'],
      reasoningEffort: 'low',
    });
    expect(body.options).toEqual({ temperature: 0.1, top_p: 0.8, num_predict: 256, stop: ['</end>'] });
    expect(body.think).toBe(true);
    expect(sampling).toEqual({ temperature: 0.1, top_p: 0.8, max_tokens: 256 });
  });

  it('advertises the context tools in the function shape with their JSON Schema', () => {
    const { context } = createTestInferenceContext({ tools: [weather] });
    const { body, warnings } = buildOllamaRequest(turn(), context, { model: 'm' });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather for a city.', parameters: weather.parameters },
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('omits tools for tool_choice none or disabled tools, and warns that required cannot be enforced', () => {
    const none = buildOllamaRequest(
      turn(),
      createTestInferenceContext({ tools: [weather], toolConfig: { tool_choice: 'none' } }).context,
      { model: 'm' },
    );
    expect(none.body.tools).toBeUndefined();
    const disabled = buildOllamaRequest(
      turn(),
      createTestInferenceContext({ tools: [weather], toolConfig: { enabled: false } }).context,
      { model: 'm' },
    );
    expect(disabled.body.tools).toBeUndefined();
    const required = buildOllamaRequest(
      turn(),
      createTestInferenceContext({ tools: [weather], toolConfig: { tool_choice: 'required' } }).context,
      { model: 'm' },
    );
    expect(required.body.tools).toHaveLength(1);
    expect(required.warnings).toEqual([
      'tool_choice "required" cannot be enforced by Ollama; the model may answer without a tool call',
    ]);
  });
});
