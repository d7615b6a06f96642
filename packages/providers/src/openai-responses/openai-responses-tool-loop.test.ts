import { readFileSync } from 'node:fs';
import {
  createEngineBuilder,
  defineTool,
  RecordingSink,
  Session,
  systemPromptMiddleware,
  ToolRegistry,
} from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureResponse, type ReplayServer, startReplayServer } from '../testing/index.js';
import { createOpenAIResponsesEngine } from './openai-responses-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/** The finished output items of a transcript (`response.output_item.done`), in output order. */
function doneItems(name: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const line of readFileSync(fixture(name), 'utf8').split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice('data: '.length)) as { type: string; item?: Record<string, unknown> };
    if (event.type === 'response.output_item.done' && event.item) items.push(event.item);
  }
  return items;
}

/** The input items the engine must send to replay a transcript's output (reasoning, message, call). */
function replayOf(name: string): Record<string, unknown>[] {
  return doneItems(name).map((item) => {
    switch (item.type) {
      case 'reasoning':
        return { type: 'reasoning', id: item.id, encrypted_content: item.encrypted_content, summary: [] };
      case 'message': {
        const content = item.content as { text: string }[];
        return { role: 'assistant', id: item.id, content: content.map(({ text }) => ({ type: 'output_text', text })) };
      }
      default:
        return {
          type: 'function_call',
          id: item.id,
          call_id: item.call_id,
          name: item.name,
          arguments: item.arguments,
        };
    }
  });
}

const weatherTool = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  input: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, forecast: 'sunny', temperature_c: 21 }),
});

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('openai-responses engine in a session tool loop', () => {
  it('runs tool call → tool result → answer, replaying reasoning items where the API requires them', async () => {
    server = await startReplayServer({
      routes: [
        {
          method: 'POST',
          path: '/v1/responses',
          responses: [
            fixtureResponse(fixture('reasoning-tool-call.sse')),
            fixtureResponse(fixture('tool-result-answer.sse')),
            fixtureResponse(fixture('follow-up-answer.sse')),
          ],
        },
      ],
      seed: 5,
    });
    const sink = new RecordingSink();
    const engine = createOpenAIResponsesEngine(
      { model: 'gpt-5-mini', apiKey: 'sk-test', baseUrl: `${server.url}/v1` },
      { env: {} },
    );
    const session = new Session({
      builder: createEngineBuilder({
        engine,
        registry: new ToolRegistry([weatherTool]),
        middlewares: [systemPromptMiddleware('You are a weather bot.')],
        sinks: [sink],
      }),
    });

    session.appendNewTurnFromUserPrompt("What's the weather in Paris?");
    const turn = await session.startInference().wait();

    expect(turn.blocks.map((block) => block.kind)).toEqual([
      'system',
      'user',
      'reasoning',
      'llm_text',
      'reasoning',
      'tool_call',
      'tool_use',
      'reasoning',
      'llm_text',
    ]);
    expect(turn.blocks.at(-1)?.payload.text).toBe('It is sunny and 21°C in Paris.');
    const result = turn.blocks.find((block) => block.kind === 'tool_use');
    expect(result?.payload).toMatchObject({ id: 'call_weatherParis0001', error: '' });
    const output = result?.kind === 'tool_use' ? (result.payload.result ?? '') : '';
    expect(JSON.parse(output)).toEqual({ city: 'Paris', forecast: 'sunny', temperature_c: 21 });
    expect(sink.types().filter((type) => type === 'final')).toHaveLength(2);

    const requests = server.requests;
    expect(requests).toHaveLength(2);
    const system = { role: 'developer', content: [{ type: 'input_text', text: 'You are a weather bot.' }] };
    const question = { role: 'user', content: [{ type: 'input_text', text: "What's the weather in Paris?" }] };
    expect(requests[0]?.body).toMatchObject({
      model: 'gpt-5-mini',
      input: [system, question],
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { summary: 'auto' },
      tools: [{ type: 'function', name: 'get_weather', strict: false }],
      tool_choice: 'auto',
    });
    // The second request carries both reasoning items, each right before the item it preceded,
    // the call with its item id, and the tool output.
    const firstChain = [
      ...replayOf('reasoning-tool-call.sse'),
      { type: 'function_call_output', call_id: 'call_weatherParis0001', output },
    ];
    expect((requests[1]?.body as { input: unknown } | undefined)?.input).toEqual([system, question, ...firstChain]);

    // A follow-up prompt replays the reasoning of the historical tool chain as well as the latest.
    session.appendNewTurnFromUserPrompt('Thanks!');
    const next = await session.startInference().wait();
    expect(next.blocks.slice(-3).map((block) => block.kind)).toEqual(['user', 'reasoning', 'llm_text']);
    const thanks = { role: 'user', content: [{ type: 'input_text', text: 'Thanks!' }] };
    expect((requests[2]?.body as { input: unknown } | undefined)?.input).toEqual([
      system,
      question,
      ...firstChain,
      ...replayOf('tool-result-answer.sse'),
      thanks,
    ]);
  });
});
