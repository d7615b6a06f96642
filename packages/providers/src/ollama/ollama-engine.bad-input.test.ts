import { readFileSync } from 'node:fs';
import { createTurn, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import {
  type BadInputEngineTuning,
  createBadInputRun,
  expectErrorEvent,
  expectProviderError,
  runBadInputSuite,
} from '../conformance/run-bad-input-suite.js';
import { createTestInferenceContext, fixtureResponse, startReplayServer } from '../testing/index.js';
import { createOllamaEngine } from './ollama-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const ndjson = (...lines: unknown[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
const done = { model: 'llama3.1:8b', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' };

const createEngine = (baseUrl: string, tuning: BadInputEngineTuning) =>
  createOllamaEngine(
    {
      model: 'llama3.1:8b',
      baseUrl,
      maxRetries: tuning.maxRetries,
      ...(tuning.idleTimeoutMs ? { idleTimeoutMs: tuning.idleTimeoutMs } : {}),
    },
    { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
  );

/** `text-only.ndjson` with an unfinished JSON line spliced in after "Hello!". */
function invalidJsonBody(): string {
  const text = readFileSync(fixture('text-only.ndjson'), 'utf8').split('\n');
  return [...text.slice(0, 2), '{"model":"llama3.1:8b","message":{"content":', ...text.slice(2)].join('\n');
}

runBadInputSuite({
  name: 'ollama',
  createEngine,
  seed: 8,
  fullText: 'Hello! How can I help you today?',
  badGateway: { contentType: 'text/plain', body: 'Bad Gateway' },
  emptyBodyStatus: 404,
  retryThenSucceed: {
    first: fixtureResponse(fixture('error-500.json'), { status: 500 }),
    successResponse: fixtureResponse(fixture('text-only.ndjson')),
  },
  truncated: fixtureResponse(fixture('truncated.ndjson')),
  noRetryAfterFirstByte: true,
  invalidJson: { body: invalidJsonBody(), bodyContains: '"content":' },
  wrongShape: {
    body: ndjson({ model: 'm', message: { content: 5 }, done: false }),
    messageContains: 'message.content',
  },
  streamError: { response: fixtureResponse(fixture('stream-error.ndjson')), messageContains: 'unexpected EOF' },
  longLinePrefix: '{"model":"llama3.1:8b","message":{"role":"assistant","content":"',
  invalidToolArgs: {
    body: ndjson(
      {
        model: 'llama3.1:8b',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: '{"city": Par' } }],
        },
        done: false,
      },
      done,
    ),
    warnFields: { name: 'get_weather' },
    block: { kind: 'tool_call', payload: { args: '{"city": Par' } },
  },
});

const run = createBadInputRun(createEngine, 8);

describe('ollama engine: HTTP errors', () => {
  it('404 with {"error": "..."} → http-error with status, message and body, not retried', async () => {
    const { error, events, requests } = await run(fixtureResponse(fixture('error-404.json'), { status: 404 }), {
      maxRetries: 2,
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(404);
    expect(failure.retryable).toBe(false);
    expect(failure.message).toBe('ollama: HTTP 404 Not Found: model "llama3.1:8b" not found, try pulling it first');
    expect(failure.body).toEqual({ error: 'model "llama3.1:8b" not found, try pulling it first' });
    expect(requests).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(['error']);
  });

  it('500 with a JSON body is retried, then reported', async () => {
    const { error, requests } = await run(fixtureResponse(fixture('error-500.json'), { status: 500 }), {
      maxRetries: 1,
    });
    expect(expectProviderError(error, 'http-error').message).toContain('llama runner process has terminated');
    expect(requests).toHaveLength(2);
  });

  it('a refused connection → network-error', async () => {
    const probe = await startReplayServer({ transcript: { body: '' } });
    const url = probe.url;
    await probe.close();
    const engine = createOllamaEngine({ model: 'llama3.1:8b', baseUrl: url, maxRetries: 0 }, { env: {} });
    const { context, sink } = createTestInferenceContext();
    const error = await engine
      .infer(createTurn({ blocks: [userBlock('Hi')] }), context)
      .catch((caught: unknown) => caught);
    expect(expectProviderError(error, 'network-error').message).toContain('/api/chat');
    expectErrorEvent(sink.events, 'network-error');
  });
});

describe('ollama engine: malformed streams', () => {
  it('a body that ends on a line boundary without a done line → stream-truncated', async () => {
    const lines = readFileSync(fixture('text-only.ndjson'), 'utf8').split('\n').slice(0, 4);
    const { error } = await run({ body: `${lines.join('\n')}\n` });
    expectProviderError(error, 'stream-truncated');
  });

  it('a model that loads slowly (no headers in time) → stream-idle-timeout', async () => {
    const { error, elapsedMs } = await run({ delayHeadersMs: 5_000, body: '' }, { idleTimeoutMs: 100 });
    expect(expectProviderError(error, 'stream-idle-timeout').retryable).toBe(true);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('skips what it does not know: unknown fields, blank and CRLF lines, lines without a message', async () => {
    const body =
      '\r\n' +
      `${JSON.stringify({ model: 'llama3.1:8b', created_at: 'x', done: false, logprobs: [] })}\r\n` +
      `${JSON.stringify({ model: 'llama3.1:8b', message: { role: 'assistant', content: 'Done.', images: null, extra: 1 }, done: false })}\n` +
      '\n' +
      ndjson({ ...done, prompt_eval_count: 3, eval_count: 2, context: [1, 2] });
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual(['start', 'partial', 'final']);
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Done.' } });
  });
});
