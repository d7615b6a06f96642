import {
  createToolConfig,
  createTurn,
  llmTextBlock,
  reasoningBlock,
  systemBlock,
  toolCallBlock,
  toolUseBlock,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { conformanceWeatherTool } from '../conformance/conformance-scenarios.js';
import { anthropicRejectsTemperatureWithTopP } from './anthropic-sampling.js';
import { anthropicToolChoice, buildAnthropicRequest } from './build-anthropic-request.js';

const turn = createTurn({ blocks: [systemBlock('Be brief.'), userBlock('Hi')] });
const noTools = { tools: [], toolConfig: createToolConfig() };
const withTools = (overrides: Parameters<typeof createToolConfig>[0] = {}) => ({
  tools: [conformanceWeatherTool],
  toolConfig: createToolConfig(overrides),
});

describe('buildAnthropicRequest: sampling', () => {
  it('streams with max_tokens 4096 by default and sends only what is set', () => {
    const { body, sampling, warnings } = buildAnthropicRequest(turn, noTools, { model: 'claude-sonnet-4-5' });
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: true,
    });
    expect(sampling).toEqual({ max_tokens: 4096 });
    expect(warnings).toEqual([]);
  });

  it('sends temperature, top_p, max_tokens and stop sequences when set', () => {
    const { body, sampling } = buildAnthropicRequest(turn, noTools, {
      model: 'claude-3-5-haiku-20241022',
      temperature: 0.2,
      topP: 0.8,
      maxTokens: 300,
      stop: ['END', ''],
    });
    expect(body).toMatchObject({ max_tokens: 300, temperature: 0.2, top_p: 0.8, stop_sequences: ['END'] });
    expect(sampling).toEqual({ max_tokens: 300, temperature: 0.2, top_p: 0.8 });
  });

  it('keeps temperature and drops top_p (with a warning) for models that refuse both', () => {
    const { body, sampling, warnings } = buildAnthropicRequest(turn, noTools, {
      model: 'claude-sonnet-4-5-20250929',
      temperature: 0.5,
      topP: 0.9,
    });
    expect(body.temperature).toBe(0.5);
    expect(body).not.toHaveProperty('top_p');
    expect(sampling).toEqual({ max_tokens: 4096, temperature: 0.5 });
    expect(warnings).toEqual([expect.stringContaining('does not accept temperature and top_p together')]);
    // top_p alone is fine for them.
    expect(buildAnthropicRequest(turn, noTools, { model: 'claude-sonnet-4-5', topP: 0.9 }).body.top_p).toBe(0.9);
  });

  it.each([
    ['claude-opus-4-1-20250805', true],
    ['claude-sonnet-4-5', true],
    ['claude-haiku-4-5@20251001', true],
    ['anthropic.claude-opus-4-1-20250805-v1:0', true],
    ['anthropic/claude-opus-5', true],
    ['claude-sonnet-4-20250514', false],
    ['claude-opus-4-0', false],
    ['claude-3-7-sonnet-20250219', false],
    ['claude-3-5-haiku-latest', false],
    ['some-proxy-model', false],
  ])('anthropicRejectsTemperatureWithTopP(%s) = %s', (model, expected) => {
    expect(anthropicRejectsTemperatureWithTopP(model)).toBe(expected);
  });
});

describe('buildAnthropicRequest: extended thinking', () => {
  it.each([
    ['low', 1024],
    ['medium', 4096],
    ['high', 16384],
  ] as const)('reasoningEffort %s → budget %i, the answer keeps its default 4096 tokens', (effort, budget) => {
    const { body, sampling } = buildAnthropicRequest(turn, noTools, {
      model: 'claude-sonnet-4-5',
      reasoningEffort: effort,
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(budget + 4096);
    expect(sampling.max_tokens).toBe(budget + 4096);
  });

  it('keeps a max_tokens above the budget and raises one that is not, with a warning', () => {
    const high = buildAnthropicRequest(turn, noTools, { model: 'm', reasoningEffort: 'low', maxTokens: 8000 });
    expect(high.body.max_tokens).toBe(8000);
    expect(high.warnings).toEqual([]);
    const low = buildAnthropicRequest(turn, noTools, { model: 'm', reasoningEffort: 'medium', maxTokens: 1000 });
    expect(low.body.max_tokens).toBe(5096);
    expect(low.warnings).toEqual([expect.stringContaining('does not exceed the thinking budget 4096')]);
  });

  it('drops a temperature other than 1 and a top_p below 0.95, which thinking does not allow', () => {
    const dropped = buildAnthropicRequest(turn, noTools, {
      model: 'claude-3-7-sonnet-20250219',
      reasoningEffort: 'low',
      temperature: 0.3,
      topP: 0.5,
    });
    expect(dropped.body).not.toHaveProperty('temperature');
    expect(dropped.body).not.toHaveProperty('top_p');
    expect(dropped.warnings).toHaveLength(2);
    const kept = buildAnthropicRequest(turn, noTools, {
      model: 'claude-3-7-sonnet-20250219',
      reasoningEffort: 'low',
      temperature: 1,
      topP: 0.95,
    });
    expect(kept.body).toMatchObject({ temperature: 1, top_p: 0.95 });
  });

  it('leaves thinking out when tool use is forced, keeping tool_choice any', () => {
    const { body, warnings } = buildAnthropicRequest(turn, withTools({ tool_choice: 'required' }), {
      model: 'claude-sonnet-4-5',
      reasoningEffort: 'high',
    });
    expect(body).not.toHaveProperty('thinking');
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(body.max_tokens).toBe(4096);
    expect(warnings).toEqual([expect.stringContaining('reasoningEffort high ignored: tool_choice "required"')]);
  });

  const toolExchange = (withThinking: boolean) =>
    createTurn({
      blocks: [
        userBlock('Weather in Paris?'),
        ...(withThinking ? [reasoningBlock({ text: 'Call the tool.', signature: 'sig', provider: 'anthropic' })] : []),
        toolCallBlock('toolu_1', 'get_weather', { city: 'Paris' }),
        toolUseBlock('toolu_1', '{"temp_c":21}'),
      ],
    });

  it('replays the thinking of the tool-use exchange being continued', () => {
    const { body, warnings } = buildAnthropicRequest(toolExchange(true), withTools(), {
      model: 'claude-sonnet-4-5',
      reasoningEffort: 'low',
    });
    expect(warnings).toEqual([]);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(body.messages[1]?.content[0]).toEqual({ type: 'thinking', thinking: 'Call the tool.', signature: 'sig' });
  });

  it('leaves thinking out when the exchange being continued has no thinking (the API would refuse)', () => {
    const { body, warnings } = buildAnthropicRequest(toolExchange(false), withTools(), {
      model: 'claude-sonnet-4-5',
      reasoningEffort: 'low',
    });
    expect(body).not.toHaveProperty('thinking');
    expect(warnings).toEqual([expect.stringContaining('produced without Anthropic thinking')]);
    // A new user message starts a new exchange: thinking is fine again.
    const next = toolExchange(false);
    next.blocks.push(llmTextBlock('21°C.'), userBlock('And Rome?'));
    expect(
      buildAnthropicRequest(next, withTools(), { model: 'claude-sonnet-4-5', reasoningEffort: 'low' }).body.thinking,
    ).toBeDefined();
  });
});

describe('buildAnthropicRequest: tools', () => {
  it('advertises exactly the context tools with their JSON schema and tool_choice auto', () => {
    const { body } = buildAnthropicRequest(turn, withTools(), { model: 'claude-sonnet-4-5' });
    expect(body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather for a city.',
        input_schema: conformanceWeatherTool.parameters,
      },
    ]);
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });

  it('omits tools and tool_choice when tools are disabled or none are given', () => {
    const disabled = buildAnthropicRequest(turn, withTools({ enabled: false }), { model: 'm' }).body;
    expect(disabled).not.toHaveProperty('tools');
    expect(disabled).not.toHaveProperty('tool_choice');
    expect(buildAnthropicRequest(turn, noTools, { model: 'm' }).body).not.toHaveProperty('tools');
  });

  it('maps the tool policy onto tool_choice', () => {
    expect(anthropicToolChoice({ tool_choice: 'auto', max_parallel_tools: 3 })).toEqual({ type: 'auto' });
    expect(anthropicToolChoice({ tool_choice: 'required', max_parallel_tools: 3 })).toEqual({ type: 'any' });
    expect(anthropicToolChoice({ tool_choice: 'none', max_parallel_tools: 1 })).toEqual({ type: 'none' });
    expect(anthropicToolChoice({ tool_choice: 'auto', max_parallel_tools: 1 })).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(anthropicToolChoice({ tool_choice: 'required', max_parallel_tools: 1 })).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
  });
});
