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
import { createGeminiEngine } from './gemini-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'gemini-3-pro-preview';
const path = `/v1beta/models/${model}:streamGenerateContent?alt=sse`;

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

describe('gemini engine in a Session tool loop', () => {
  it('calls the tool, then sends the call (id, signature) and its functionResponse back to Gemini', async () => {
    server = await startReplayServer({
      routes: [
        {
          method: 'POST',
          path: /^\/v1beta\/models\/gemini-3-pro-preview:streamGenerateContent\?alt=sse$/,
          responses: [
            fixtureResponse(fixture('tool-call-signed.sse')),
            fixtureResponse(fixture('tool-result-answer.sse')),
          ],
        },
      ],
      seed: 13,
    });
    const sink = new RecordingSink();
    const engine = createGeminiEngine({ model, apiKey: 'k', baseUrl: server.url, maxRetries: 0 }, { env: {} });
    // History starts with a system prompt; the new prompt turn is a clone of it plus the question.
    const session = new Session({
      id: 'session-gemini',
      builder: createEngineBuilder({ engine, registry: new ToolRegistry([weather]), sinks: [sink] }),
      turns: [createTurn({ blocks: [systemBlock('You are a helpful assistant.')] })],
    });
    session.appendNewTurnFromUserPrompt("What's the weather in Paris?");
    const turn = await session.startInference().wait();

    expect(turn.blocks.map((block) => block.kind)).toEqual([
      'system',
      'user',
      'reasoning',
      'tool_call',
      'tool_use',
      'reasoning',
      'llm_text',
    ]);
    const call = turn.blocks[3];
    if (call?.kind !== 'tool_call') throw new Error('expected a tool_call block');
    expect(call.id).toMatch(/^call_[0-9a-f]{32}_0$/);
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'It is sunny in Paris, 21 °C.' });
    expect(turn.metadata.get(usageKey)).toEqual({
      input_tokens: 88 + 131,
      output_tokens: 16 + 64 + 11 + 40,
      reasoning_tokens: 64 + 40,
    });
    expect(sink.ofType('tool-call-execution-result')[0]?.tool_result.id).toBe(call.id);

    expect(server.requests.map((request) => request.path)).toEqual([path, path]);
    const second = server.requests[1]?.body;
    expect(second).toMatchObject({
      systemInstruction: { parts: [{ text: 'You are a helpful assistant.' }] },
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect((second as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: "What's the weather in Paris?" }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: call.id },
            // Replayed byte for byte on the part it came with (Gemini 3 rejects the call otherwise).
            thoughtSignature: expect.stringMatching(/^EuYBCuMBAdHtim9k/),
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'get_weather',
              id: call.id,
              response: { city: 'Paris', forecast: 'sunny', temperature_c: 21 },
            },
          },
        ],
      },
    ]);
  });
});
