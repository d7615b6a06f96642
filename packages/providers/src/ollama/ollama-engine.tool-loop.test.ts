import {
  createEngineBuilder,
  createTurn,
  defineTool,
  RecordingSink,
  Session,
  systemBlock,
  ToolRegistry,
  usageKey,
} from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureResponse, type ReplayServer, startReplayServer } from '../testing/index.js';
import { createOllamaEngine } from './ollama-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const weather = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  input: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, forecast: 'sunny', temperature_c: 21 }),
});

describe('ollama engine in a Session tool loop', () => {
  it('calls the tool, then sends the assistant tool_calls and a tool message with tool_name back', async () => {
    server = await startReplayServer({
      routes: [
        {
          method: 'POST',
          path: '/api/chat',
          responses: [
            fixtureResponse(fixture('tool-loop-call.ndjson')),
            fixtureResponse(fixture('tool-loop-answer.ndjson')),
          ],
        },
      ],
      seed: 21,
    });
    const sink = new RecordingSink();
    const engine = createOllamaEngine({ model: 'llama3.1:8b', baseUrl: server.url, maxRetries: 0 }, { env: {} });
    // History starts with a system prompt; the new prompt turn is a clone of it plus the question.
    const session = new Session({
      id: 'session-ollama',
      builder: createEngineBuilder({ engine, registry: new ToolRegistry([weather]), sinks: [sink] }),
      turns: [createTurn({ blocks: [systemBlock('You are a helpful assistant.')] })],
    });
    session.appendNewTurnFromUserPrompt("What's the weather in Paris?");
    const turn = await session.startInference().wait();

    expect(turn.blocks.map((block) => block.kind)).toEqual(['system', 'user', 'tool_call', 'tool_use', 'llm_text']);
    const call = turn.blocks[2];
    if (call?.kind !== 'tool_call') throw new Error('expected a tool_call block');
    expect(call.id).toMatch(/^call_[0-9a-f]{32}_0$/);
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'It is sunny in Paris, 21 °C.' });
    expect(turn.metadata.get(usageKey)).toEqual({ input_tokens: 154 + 201, output_tokens: 17 + 12 });
    expect(sink.ofType('tool-call-execution-result')[0]?.tool_result.id).toBe(call.id);

    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]?.body;
    expect(second).toMatchObject({
      model: 'llama3.1:8b',
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
    });
    expect((second as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: "What's the weather in Paris?" },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: call.id, function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } }],
      },
      {
        role: 'tool',
        tool_name: 'get_weather',
        tool_call_id: call.id,
        content: '{"city":"Paris","forecast":"sunny","temperature_c":21}',
      },
    ]);
  });
});
