import { expect } from 'vitest';
import { runConformanceSuite } from '../conformance/index.js';
import { createOpenAIResponsesEngine } from './openai-responses-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const model = 'gpt-4o-mini-2024-07-18';

runConformanceSuite({
  name: 'openai-responses',
  createEngine: (baseUrl, tuning) =>
    createOpenAIResponsesEngine(
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
      usage: { input_tokens: 22, output_tokens: 10, cached_tokens: 0, reasoning_tokens: 0 },
    },
    'tool-call': { file: fixture('tool-call.sse'), model },
    'parallel-tool-calls': {
      file: fixture('parallel-tool-calls.sse'),
      model,
      usage: { input_tokens: 1291, output_tokens: 46, cached_tokens: 1152, reasoning_tokens: 0 },
    },
    reasoning: {
      file: fixture('reasoning.sse'),
      model: 'o4-mini-2025-04-16',
      usage: { input_tokens: 21, output_tokens: 154, cached_tokens: 0, reasoning_tokens: 128 },
    },
    'provider-error': {
      file: fixture('error-400.json'),
      status: 400,
      errorMessage: "Invalid type for 'input[1].content'",
    },
    'truncated-stream': { file: fixture('truncated.sse') },
    cancellation: { file: fixture('text-only.sse') },
  },
  extras: {
    'text-only': ({ requests, turn, events }) => {
      // Provider details ride along in `meta.extra`, beside the normalised fields.
      expect(events.at(-1)?.meta.extra).toEqual({
        response_id: 'resp_a92d91b0dca976940894e277504bd1a7d459c2fa6f01cb9052',
      });
      const request = requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/v1/responses');
      expect(request?.headers.authorization).toBe('Bearer sk-test');
      expect(request?.headers.accept).toBe('text/event-stream');
      expect(request?.body).toEqual({
        model: 'gpt-4o-mini',
        input: [
          { role: 'system', content: [{ type: 'input_text', text: 'You are a helpful assistant.' }] },
          { role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] },
        ],
        stream: true,
        store: false,
      });
      // The text block carries the message item id for replay.
      expect(turn.blocks.at(-1)?.payload).toMatchObject({ item_id: expect.stringMatching(/^msg_/) });
    },
    'parallel-tool-calls': ({ requests, turn }) => {
      expect(requests[0]?.body).toMatchObject({
        tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
      });
      const calls = turn.blocks.filter((block) => block.kind === 'tool_call');
      expect(calls.map((block) => block.payload.item_id)).toEqual([
        expect.stringMatching(/^fc_/),
        expect.stringMatching(/^fc_/),
      ]);
    },
    reasoning: ({ turn }) => {
      const reasoning = turn.blocks.find((block) => block.kind === 'reasoning');
      expect(reasoning?.payload).toMatchObject({
        item_id: expect.stringMatching(/^rs_/),
        encrypted_content: expect.stringMatching(/^gAAAAAB/),
      });
    },
  },
});
