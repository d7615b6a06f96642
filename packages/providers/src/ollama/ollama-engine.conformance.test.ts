import { expect } from 'vitest';
import { runConformanceSuite } from '../conformance/index.js';
import { createOllamaEngine } from './ollama-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'llama3.1:8b';

runConformanceSuite({
  name: 'ollama',
  createEngine: (baseUrl, tuning) =>
    createOllamaEngine(
      { model, baseUrl, maxRetries: tuning.maxRetries, idleTimeoutMs: tuning.idleTimeoutMs },
      { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
    ),
  fixtures: {
    'text-only': { file: fixture('text-only.ndjson'), model, usage: { input_tokens: 26, output_tokens: 10 } },
    'tool-call': { file: fixture('tool-call.ndjson'), model, usage: { input_tokens: 167, output_tokens: 18 } },
    'parallel-tool-calls': {
      file: fixture('parallel-tool-calls.ndjson'),
      model: 'qwen3:8b',
      usage: { input_tokens: 212, output_tokens: 46 },
    },
    reasoning: { file: fixture('reasoning.ndjson'), model: 'qwen3:8b', usage: { input_tokens: 12, output_tokens: 31 } },
    'provider-error': {
      file: fixture('error-404.json'),
      status: 404,
      errorMessage: 'model "llama3.1:8b" not found, try pulling it first',
    },
    'truncated-stream': { file: fixture('truncated.ndjson') },
    cancellation: { file: fixture('text-only.ndjson') },
  },
  extras: {
    'text-only': ({ requests, events }) => {
      // Provider details ride along in `meta.extra`, beside the normalised fields.
      expect(events.at(-1)?.meta.extra).toEqual({
        total_duration_ns: 822345678,
        load_duration_ns: 11234567,
        prompt_eval_duration_ns: 45678901,
        eval_duration_ns: 408765432,
      });
      const request = requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/api/chat');
      expect(request?.headers.authorization).toBeUndefined();
      expect(request?.body).toEqual({
        model,
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello!' },
        ],
        stream: true,
      });
    },
    'tool-call': ({ turn, blocksBefore }) => {
      // Ollama sent no id: the call got a generated one tied to this engine call.
      expect(turn.blocks[blocksBefore]?.id).toMatch(/^call_[0-9a-f]{32}_0$/);
    },
    'parallel-tool-calls': ({ requests, turn, blocksBefore }) => {
      expect(requests[0]?.body).toMatchObject({
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Get the current weather for a city.',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ],
      });
      // Newer Ollama versions send call ids: they are kept.
      expect(turn.blocks.slice(blocksBefore).map((block) => block.id)).toEqual(['call_q5r2m8xk', 'call_v7n1c3tz']);
    },
  },
});
