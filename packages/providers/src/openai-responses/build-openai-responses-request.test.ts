import {
  createToolConfig,
  createTurn,
  createTurnData,
  responsesServerToolsKey,
  systemBlock,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { conformanceWeatherTool } from '../conformance/conformance-scenarios.js';
import { buildOpenAIResponsesRequest } from './build-openai-responses-request.js';

const turn = createTurn({ blocks: [systemBlock('Be terse.'), userBlock('Hi')] });
const noTools = { tools: [], toolConfig: createToolConfig() };
const weatherTools = { tools: [conformanceWeatherTool], toolConfig: createToolConfig() };

describe('buildOpenAIResponsesRequest', () => {
  it('streams with store: false and sends only the sampling settings that are set', () => {
    const { body, sampling, warnings } = buildOpenAIResponsesRequest(turn, noTools, {
      model: 'gpt-4o-mini',
      temperature: 0.2,
      maxTokens: 256,
    });
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      input: [
        { role: 'system', content: [{ type: 'input_text', text: 'Be terse.' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      ],
      stream: true,
      store: false,
      max_output_tokens: 256,
      temperature: 0.2,
    });
    expect(sampling).toEqual({ temperature: 0.2, max_tokens: 256 });
    expect(warnings).toEqual([]);
  });

  it('asks reasoning models for summaries and encrypted reasoning, without temperature / top_p', () => {
    const { body, sampling } = buildOpenAIResponsesRequest(turn, noTools, {
      model: 'o4-mini',
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 2000,
      reasoningEffort: 'high',
    });
    expect(body).toMatchObject({
      max_output_tokens: 2000,
      reasoning: { effort: 'high', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
    });
    expect(body.input[0]).toEqual({ role: 'developer', content: [{ type: 'input_text', text: 'Be terse.' }] });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(sampling).toEqual({ max_tokens: 2000 });
  });

  it('leaves the effort to the model default when none is configured', () => {
    const { body } = buildOpenAIResponsesRequest(turn, noTools, { model: 'gpt-5-mini' });
    expect(body.reasoning).toEqual({ summary: 'auto' });
  });

  it('never asks non-reasoning models for reasoning or encrypted content', () => {
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'gpt-5-chat-latest']) {
      const { body } = buildOpenAIResponsesRequest(turn, noTools, { model, reasoningEffort: 'low' });
      expect(body, model).not.toHaveProperty('reasoning');
      expect(body, model).not.toHaveProperty('include');
    }
  });

  it('drops stop sequences with a warning (the Responses API has none)', () => {
    const { body, warnings } = buildOpenAIResponsesRequest(turn, noTools, { model: 'gpt-4o', stop: ['END'] });
    expect(JSON.stringify(body)).not.toContain('END');
    expect(warnings).toEqual(['stop sequences are not supported by the Responses API and were not sent']);
  });

  it('advertises exactly the context tools as flat, non-strict function tools with tool_choice', () => {
    const { body } = buildOpenAIResponsesRequest(
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
        name: 'get_weather',
        description: 'Get the current weather for a city.',
        parameters: conformanceWeatherTool.parameters,
        strict: false,
      },
    ]);
    expect(body.tool_choice).toBe('required');
    expect(body.parallel_tool_calls).toBe(false);
    expect(buildOpenAIResponsesRequest(turn, weatherTools, { model: 'gpt-4o-mini' }).body).toMatchObject({
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
  });

  it('omits tools when the list is empty or tools are disabled', () => {
    const disabled = buildOpenAIResponsesRequest(
      turn,
      { tools: [conformanceWeatherTool], toolConfig: createToolConfig({ enabled: false }) },
      { model: 'gpt-4o-mini' },
    );
    for (const key of ['tools', 'tool_choice', 'parallel_tool_calls']) {
      expect(disabled.body).not.toHaveProperty(key);
      expect(buildOpenAIResponsesRequest(turn, noTools, { model: 'gpt-4o-mini' }).body).not.toHaveProperty(key);
    }
  });

  it("appends the turn's hosted tools verbatim after the function tools", () => {
    const withSearch = createTurn({ blocks: [userBlock('News?')] });
    withSearch.data.set(responsesServerToolsKey, [{ type: 'web_search', search_context_size: 'low' }]);
    const { body } = buildOpenAIResponsesRequest(withSearch, weatherTools, { model: 'gpt-5' });
    expect(body.tools?.map((tool) => tool.type)).toEqual(['function', 'web_search']);
    expect(body.tools?.[1]).toEqual({ type: 'web_search', search_context_size: 'low' });
    const searchOnly = buildOpenAIResponsesRequest(withSearch, noTools, { model: 'gpt-5' }).body;
    expect(searchOnly.tools).toEqual([{ type: 'web_search', search_context_size: 'low' }]);
    expect(searchOnly).not.toHaveProperty('tool_choice');
  });

  it('ignores malformed hosted tools with a warning instead of failing', () => {
    // A value that bypassed the typed setter (e.g. loaded from a hand-edited YAML file).
    const broken = createTurn({
      blocks: [userBlock('Hi')],
      data: createTurnData([[responsesServerToolsKey.id, 'web_search']]),
    });
    const { body, warnings } = buildOpenAIResponsesRequest(broken, noTools, { model: 'gpt-5' });
    expect(body).not.toHaveProperty('tools');
    expect(warnings[0]).toMatch(/ignored the turn's hosted tools/);
  });
});
