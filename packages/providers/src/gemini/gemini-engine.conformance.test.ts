import { expect } from 'vitest';
import { runConformanceSuite } from '../conformance/index.js';
import { createGeminiEngine } from './gemini-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'gemini-2.0-flash';

runConformanceSuite({
  name: 'gemini',
  createEngine: (baseUrl, tuning) =>
    createGeminiEngine(
      {
        model,
        apiKey: 'gemini-test-key',
        baseUrl,
        maxRetries: tuning.maxRetries,
        idleTimeoutMs: tuning.idleTimeoutMs,
      },
      { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
    ),
  fixtures: {
    'text-only': { file: fixture('text-only.sse'), model, usage: { input_tokens: 19, output_tokens: 9 } },
    'tool-call': { file: fixture('tool-call.sse'), model, usage: { input_tokens: 41, output_tokens: 5 } },
    'parallel-tool-calls': {
      file: fixture('parallel-tool-calls.sse'),
      model,
      usage: { input_tokens: 1291, output_tokens: 16, cached_tokens: 1024 },
    },
    reasoning: {
      file: fixture('reasoning.sse'),
      model: 'gemini-2.5-flash',
      usage: { input_tokens: 9, output_tokens: 30, reasoning_tokens: 21 },
    },
    'provider-error': {
      file: fixture('error-400.json'),
      status: 400,
      errorMessage: 'API key not valid. Please pass a valid API key.',
    },
    'truncated-stream': { file: fixture('truncated.sse') },
    cancellation: { file: fixture('text-only.sse') },
  },
  extras: {
    'text-only': ({ requests, events }) => {
      // Provider details ride along in `meta.extra`, beside the normalised fields.
      expect(events.at(-1)?.meta.extra).toEqual({
        response_id: 'nGE3aPHXMKOdz7IPm4emgQk',
        model_version: 'gemini-2.0-flash',
      });
      const request = requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);
      expect(request?.headers['x-goog-api-key']).toBe('gemini-test-key');
      expect(request?.body).toEqual({
        systemInstruction: { parts: [{ text: 'You are a helpful assistant.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }],
      });
    },
    'parallel-tool-calls': ({ requests, turn, blocksBefore }) => {
      expect(requests[0]?.body).toMatchObject({
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Get the current weather for a city.',
                parameters: {
                  type: 'OBJECT',
                  properties: { city: { type: 'STRING', description: 'The city name, e.g. Paris' } },
                  required: ['city'],
                },
              },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      });
      // Gemini sent no ids: both calls got generated ids, distinct and tied to this engine call.
      const ids = turn.blocks.slice(blocksBefore).map((block) => block.id);
      expect(ids).toHaveLength(2);
      expect(ids[0]).toMatch(/^call_[0-9a-f]{32}_0$/);
      expect(ids[1]).toMatch(/^call_[0-9a-f]{32}_1$/);
    },
    reasoning: ({ turn, blocksBefore }) => {
      // The signature of the signature-only last part is kept for replay.
      const reasoning = turn.blocks[blocksBefore];
      expect(reasoning?.kind).toBe('reasoning');
      expect(reasoning?.payload).toMatchObject({ provider: 'gemini', signature: expect.stringMatching(/^CiQB/) });
    },
  },
});
