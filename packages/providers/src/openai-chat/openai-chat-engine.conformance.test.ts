import { expect } from 'vitest';
import { runConformanceSuite } from '../conformance/index.js';
import { createOpenAIChatEngine } from './openai-chat-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'gpt-4o-mini-2024-07-18';

runConformanceSuite({
  name: 'openai-chat',
  createEngine: (baseUrl, tuning) =>
    createOpenAIChatEngine(
      {
        model: 'gpt-4o-mini',
        apiKey: 'sk-test',
        baseUrl: `${baseUrl}/v1`,
        maxRetries: tuning.maxRetries,
        idleTimeoutMs: tuning.idleTimeoutMs,
      },
      { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
    ),
  fixtures: {
    'text-only': {
      file: fixture('text-only.sse'),
      model,
      usage: { input_tokens: 19, output_tokens: 10, cached_tokens: 0, reasoning_tokens: 0 },
    },
    'tool-call': { file: fixture('tool-call.sse'), model },
    'parallel-tool-calls': {
      file: fixture('parallel-tool-calls.sse'),
      model,
      usage: { input_tokens: 1291, output_tokens: 46, cached_tokens: 1152, reasoning_tokens: 0 },
    },
    reasoning: {
      file: fixture('reasoning.sse'),
      model: 'deepseek-reasoner',
      usage: { input_tokens: 12, output_tokens: 31, cached_tokens: 0, reasoning_tokens: 21 },
    },
    'provider-error': {
      file: fixture('error-400.json'),
      status: 400,
      errorMessage: "Invalid type for 'messages[1].content'",
    },
    'truncated-stream': { file: fixture('truncated.sse') },
    cancellation: { file: fixture('text-only.sse') },
  },
  extras: {
    'text-only': ({ requests, events }) => {
      // Provider details ride along in `meta.extra`, beside the normalised fields.
      expect(events.at(-1)?.meta.extra).toEqual({
        response_id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        system_fingerprint: 'fp_0aa8d3e20b',
      });
      const request = requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/v1/chat/completions');
      expect(request?.headers.authorization).toBe('Bearer sk-test');
      expect(request?.body).toEqual({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello!' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      });
    },
    'parallel-tool-calls': ({ requests }) => {
      expect(requests[0]?.body).toMatchObject({
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
      });
    },
  },
});
