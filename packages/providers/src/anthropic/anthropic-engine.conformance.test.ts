import { expect } from 'vitest';
import { runConformanceSuite } from '../conformance/index.js';
import { createAnthropicEngine } from './anthropic-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'claude-sonnet-4-5-20250929';

runConformanceSuite({
  name: 'anthropic',
  createEngine: (baseUrl, tuning) =>
    createAnthropicEngine(
      {
        model: 'claude-sonnet-4-5',
        apiKey: 'sk-ant-test',
        baseUrl,
        maxRetries: tuning.maxRetries,
        idleTimeoutMs: tuning.idleTimeoutMs,
      },
      { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
    ),
  fixtures: {
    'text-only': {
      file: fixture('text-only.sse'),
      model,
      usage: {
        input_tokens: 19,
        output_tokens: 12,
        cached_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
    'tool-call': { file: fixture('tool-call.sse'), model },
    'parallel-tool-calls': {
      file: fixture('parallel-tool-calls.sse'),
      model,
      // Anthropic's input_tokens (25) leaves out the 1152 cached prompt tokens; Cricket counts them in.
      usage: {
        input_tokens: 1177,
        output_tokens: 86,
        cached_tokens: 1152,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1152,
      },
    },
    reasoning: {
      file: fixture('thinking.sse'),
      model,
      usage: {
        input_tokens: 38,
        output_tokens: 58,
        cached_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
    'provider-error': {
      file: fixture('error-400.json'),
      status: 400,
      errorMessage: 'messages: at least one message is required',
    },
    'truncated-stream': { file: fixture('truncated.sse') },
    cancellation: { file: fixture('text-only.sse') },
  },
  extras: {
    'text-only': ({ requests, events }) => {
      // Provider details ride along in `meta.extra`, beside the normalised fields.
      expect(events.at(-1)?.meta.extra).toEqual({ response_id: 'msg_01XFDUDYJgAACzvnptvVoYEL' });
      const request = requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/v1/messages');
      expect(request?.headers['x-api-key']).toBe('sk-ant-test');
      expect(request?.headers['anthropic-version']).toBe('2023-06-01');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.body).toEqual({
        model: 'claude-sonnet-4-5',
        max_tokens: 4096,
        system: 'You are a helpful assistant.',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
        stream: true,
      });
    },
    'parallel-tool-calls': ({ requests }) => {
      expect(requests[0]?.body).toMatchObject({
        tools: [
          {
            name: 'get_weather',
            description: 'Get the current weather for a city.',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        tool_choice: { type: 'auto' },
      });
    },
    reasoning: ({ turn, blocksBefore }) => {
      // The signature is kept for the replay that a tool loop would need.
      expect(turn.blocks[blocksBefore]?.payload).toMatchObject({
        provider: 'anthropic',
        signature: expect.stringMatching(/^EqQB/),
      });
    },
  },
});
