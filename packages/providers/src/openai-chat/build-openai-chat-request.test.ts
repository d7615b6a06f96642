import { createToolConfig, createTurn, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { conformanceWeatherTool } from '../conformance/conformance-scenarios.js';
import { buildOpenAIChatRequest } from './build-openai-chat-request.js';

const turn = createTurn({ blocks: [userBlock('Hi')] });
const noTools = { tools: [], toolConfig: createToolConfig() };

describe('buildOpenAIChatRequest', () => {
  it('streams with usage and sends only the sampling settings that are set', () => {
    const { body, sampling } = buildOpenAIChatRequest(turn, noTools, {
      model: 'gpt-4o-mini',
      temperature: 0.2,
      maxTokens: 256,
      stop: ['END'],
    });
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      temperature: 0.2,
      stop: ['END'],
    });
    expect(sampling).toEqual({ temperature: 0.2, max_tokens: 256 });
  });

  it('uses max_completion_tokens and reasoning_effort for reasoning models, without temperature / top_p', () => {
    const { body, sampling } = buildOpenAIChatRequest(turn, noTools, {
      model: 'o3-mini',
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 2000,
      reasoningEffort: 'high',
    });
    expect(body).toMatchObject({ max_completion_tokens: 2000, reasoning_effort: 'high' });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('max_tokens');
    expect(sampling).toEqual({ max_tokens: 2000 });
  });

  it('never sends reasoning_effort to non-reasoning models', () => {
    const { body } = buildOpenAIChatRequest(turn, noTools, { model: 'gpt-4o', reasoningEffort: 'low' });
    expect(body).not.toHaveProperty('reasoning_effort');
  });

  it('advertises exactly the context tools with tool_choice and parallel_tool_calls', () => {
    const { body } = buildOpenAIChatRequest(
      turn,
      {
        tools: [conformanceWeatherTool],
        toolConfig: createToolConfig({ tool_choice: 'required', max_parallel_tools: 1 }),
      },
      { model: 'gpt-4o-mini' },
    );
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather for a city.',
          parameters: conformanceWeatherTool.parameters,
        },
      },
    ]);
    expect(body.tool_choice).toBe('required');
    expect(body.parallel_tool_calls).toBe(false);
  });

  it('omits tools when the list is empty or tools are disabled', () => {
    const disabled = buildOpenAIChatRequest(
      turn,
      { tools: [conformanceWeatherTool], toolConfig: createToolConfig({ enabled: false }) },
      { model: 'gpt-4o-mini' },
    );
    expect(disabled.body).not.toHaveProperty('tools');
    expect(disabled.body).not.toHaveProperty('tool_choice');
    expect(disabled.body).not.toHaveProperty('parallel_tool_calls');
    expect(buildOpenAIChatRequest(turn, noTools, { model: 'gpt-4o-mini' }).body).not.toHaveProperty('tools');
  });

  it('treats gpt-5-chat-latest as a sampling model, not a reasoning model', () => {
    const { body, sampling } = buildOpenAIChatRequest(turn, noTools, {
      model: 'gpt-5-chat-latest',
      temperature: 0.4,
      maxTokens: 200,
      reasoningEffort: 'high',
    });
    expect(body).toMatchObject({ temperature: 0.4, max_tokens: 200 });
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(sampling).toEqual({ temperature: 0.4, max_tokens: 200 });
  });
});
