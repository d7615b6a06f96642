import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BadInputEngineTuning,
  createBadInputRun,
  expectProviderError,
  runBadInputSuite,
} from '../conformance/run-bad-input-suite.js';
import { fixtureResponse } from '../testing/index.js';
import { createOpenAIChatEngine } from './openai-chat-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

const createEngine = (baseUrl: string, tuning: BadInputEngineTuning) =>
  createOpenAIChatEngine(
    {
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      baseUrl: `${baseUrl}/v1`,
      maxRetries: tuning.maxRetries,
      ...(tuning.idleTimeoutMs ? { idleTimeoutMs: tuning.idleTimeoutMs } : {}),
    },
    { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
  );

const chunk = (delta: unknown, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** `text-only.sse` with an unfinished JSON data line spliced in after "Hello!". */
function invalidJsonBody(): string {
  const events = readFileSync(fixture('text-only.sse'), 'utf8').split('\n\n');
  return [
    ...events.slice(0, 3),
    'data: {"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":',
    ...events.slice(3),
  ].join('\n\n');
}

runBadInputSuite({
  name: 'openai-chat',
  createEngine,
  seed: 7,
  rateLimited: {
    response: fixtureResponse(fixture('error-429.json'), { status: 429 }),
    providerCode: 'rate_limit_exceeded',
    messageContains: 'Rate limit reached for gpt-4o-mini',
    body: { error: { type: 'requests' } },
  },
  fullText: 'Hello! How can I help you today?',
  emptyBodyStatus: 404,
  retryThenSucceed: {
    first: fixtureResponse(fixture('error-429.json'), { status: 429, headers: { 'retry-after-ms': '10' } }),
    successResponse: fixtureResponse(fixture('text-only.sse')),
  },
  truncated: fixtureResponse(fixture('truncated.sse')),
  noRetryAfterFirstByte: true,
  invalidJson: { body: invalidJsonBody(), bodyContains: '"content":' },
  wrongShape: { body: 'data: {"choices":"nope"}\n\n', messageContains: 'choices' },
  streamError: {
    response: fixtureResponse(fixture('stream-error.sse')),
    messageContains: 'The server had an error while processing your request',
    providerCode: 'server_error',
  },
  longLinePrefix: 'data: {"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":"',
  invalidToolArgs: {
    body:
      chunk({
        role: 'assistant',
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": Par' } },
        ],
      }) +
      chunk({}, 'tool_calls') +
      'data: [DONE]\n\n',
    warnFields: { call_id: 'call_1' },
    block: { kind: 'tool_call', id: 'call_1', payload: { args: '{"city": Par' } },
  },
});

const run = createBadInputRun(createEngine, 7);

describe('openai-chat engine: HTTP errors', () => {
  it('gives up after maxRetries and reports the last failure', async () => {
    const { error, requests } = await run(
      { status: 503, body: '{"error":{"message":"overloaded"}}' },
      { maxRetries: 2 },
    );
    expect(expectProviderError(error, 'http-error').status).toBe(503);
    expect(requests).toHaveLength(3);
  });
});

describe('openai-chat engine: malformed streams', () => {
  it('no response headers within the idle timeout → stream-idle-timeout, retried like a network error', async () => {
    const { error, events, elapsedMs, requests } = await run(
      [
        { delayHeadersMs: 5_000, body: '' },
        { delayHeadersMs: 5_000, body: '' },
      ],
      { idleTimeoutMs: 100, maxRetries: 1 },
    );
    expect(expectProviderError(error, 'stream-idle-timeout').retryable).toBe(true);
    expect(events.map((event) => event.type)).toEqual(['log', 'error']);
    expect(requests).toHaveLength(2);
    expect(elapsedMs).toBeLessThan(3_000);
  });
});
