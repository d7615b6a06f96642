import {
  createEngineBuilder,
  createTurn,
  defineTool,
  RecordingSink,
  Session,
  systemBlock,
  type ToolDefinition,
  ToolRegistry,
  usageKey,
} from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureResponse, type ReplayServer, startReplayServer } from '../testing/index.js';
import { createAnthropicEngine } from './anthropic-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const callId = 'toolu_01VwXq3Rk8mTz5Lp2Nc7Hy4B';
const weatherCalls: string[] = [];
const weatherTool = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  input: z.object({ city: z.string() }),
  execute: ({ city }) => {
    weatherCalls.push(city);
    return { city, forecast: 'sunny', temperature_c: 21 };
  },
});

async function runWeatherSession(tool: ToolDefinition) {
  server = await startReplayServer({
    seed: 29,
    routes: [
      {
        method: 'POST',
        path: '/v1/messages',
        responses: [fixtureResponse(fixture('tool-loop-call.sse')), fixtureResponse(fixture('tool-loop-answer.sse'))],
      },
    ],
  });
  const engine = createAnthropicEngine(
    { model: 'claude-sonnet-4-5', apiKey: 'sk-ant-test', baseUrl: server.url, reasoningEffort: 'low', maxRetries: 0 },
    { env: {} },
  );
  const sink = new RecordingSink();
  const session = new Session({
    builder: createEngineBuilder({ engine, registry: new ToolRegistry([tool]), sinks: [sink] }),
    turns: [createTurn({ blocks: [systemBlock('You are a weather assistant.')] })],
  });
  session.appendNewTurnFromUserPrompt("What's the weather in Paris?");
  const turn = await session.startInference().wait();
  return { turn, sink, requests: server.requests };
}

describe('anthropic engine in a tool loop (Session + engine builder + registry)', () => {
  it('executes the call, then sends thinking, text, tool_use and tool_result back in the required shape', async () => {
    const { turn, sink, requests } = await runWeatherSession(weatherTool);

    // The turn: the model's thinking, text and call, the executed result, then the answer.
    expect(weatherCalls).toEqual(['Paris']);
    expect(turn.blocks.map((block) => block.kind)).toEqual([
      'system',
      'user',
      'reasoning',
      'llm_text',
      'tool_call',
      'tool_use',
      'llm_text',
    ]);
    expect(turn.blocks[4]).toMatchObject({ id: callId, payload: { name: 'get_weather', args: { city: 'Paris' } } });
    expect(turn.blocks[5]?.payload).toEqual({
      id: callId,
      result: '{"city":"Paris","forecast":"sunny","temperature_c":21}',
      error: '',
    });
    expect(turn.blocks[6]?.payload).toEqual({ text: 'It is sunny and 21 °C in Paris.' });
    // The tool loop sums the usage of both calls.
    expect(turn.metadata.get(usageKey)).toMatchObject({ input_tokens: 561 + 742, output_tokens: 97 + 14 });
    expect(sink.events.filter((event) => event.type === 'final').map((event) => event.meta.stop_reason)).toEqual([
      'tool_calls',
      'stop',
    ]);

    // The second request replays the whole exchange.
    expect(requests).toHaveLength(2);
    const first = requests[0]?.body;
    const second = requests[1]?.body;
    expect(first).toMatchObject({
      system: 'You are a weather assistant.',
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'auto' },
    });
    expect(second).toMatchObject({
      system: 'You are a weather assistant.',
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'get_weather' }],
    });
    expect((second as { messages: unknown }).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: "What's the weather in Paris?" }] },
      {
        role: 'assistant',
        content: [
          {
            type: 'thinking',
            thinking: 'The user wants the weather in Paris. I should call get_weather.',
            signature: expect.stringMatching(/^ErUBCkYIBRgCIkCd3Jp5Q0f4/),
          },
          { type: 'text', text: "I'll check the weather in Paris." },
          { type: 'tool_use', id: callId, name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: callId,
            content: '{"city":"Paris","forecast":"sunny","temperature_c":21}',
          },
        ],
      },
    ]);
  });

  it('reports a failed tool as a tool_result with is_error', async () => {
    const failingTool = defineTool({
      name: 'get_weather',
      description: 'Get the current weather for a city.',
      input: z.object({ city: z.string() }),
      execute: () => {
        throw new Error('weather service unreachable');
      },
    });
    const { turn, requests } = await runWeatherSession(failingTool);
    expect(turn.blocks.at(-1)?.kind).toBe('llm_text');
    expect(requests[1]?.body).toMatchObject({
      messages: [
        { role: 'user' },
        { role: 'assistant' },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: callId,
              content: expect.stringContaining('weather service unreachable'),
              is_error: true,
            },
          ],
        },
      ],
    });
  });
});
