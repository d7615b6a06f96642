import { createTurn, systemBlock, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { createOpenAIChatEngine } from './openai-chat-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const encoder = new TextEncoder();

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface RunOptions {
  maxRetries?: number;
  idleTimeoutMs?: number;
}

/** Serves `responses` in order and runs one inference; returns the error, events and turn. */
async function run(responses: ReplayResponse | ReplayResponse[], options: RunOptions = {}) {
  server = await startReplayServer({ transcript: responses, seed: 7 });
  const engine = createOpenAIChatEngine(
    {
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      baseUrl: `${server.url}/v1`,
      maxRetries: options.maxRetries ?? 0,
      ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    },
    { env: {}, retryBaseDelayMs: 5 },
  );
  const { context, sink } = createTestInferenceContext();
  const turn = createTurn({ id: 'turn-1', blocks: [systemBlock('You are terse.'), userBlock('Hello!')] });
  const startedAt = Date.now();
  let error: unknown;
  try {
    await engine.infer(turn, context);
  } catch (caught) {
    error = caught;
  }
  return { error, events: sink.events, turn, elapsedMs: Date.now() - startedAt, requests: server.requests };
}

function expectProviderError(error: unknown, code: ProviderError['code']): ProviderError {
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  expect(error.code).toBe(code);
  expect(error.blame).toBe('provider');
  return error;
}

function expectErrorEvent(events: readonly { type: string }[], code: string): void {
  const last = events.at(-1);
  expect(last).toMatchObject({ type: 'error', code, blame: 'provider' });
}

describe('openai-chat engine: HTTP errors', () => {
  it('429 with a JSON body → http-error with status, message, provider code and body', async () => {
    const { error, events } = await run(fixtureResponse(fixture('error-429.json'), { status: 429 }));
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(429);
    expect(failure.retryable).toBe(true);
    expect(failure.providerCode).toBe('rate_limit_exceeded');
    expect(failure.message).toContain('Rate limit reached for gpt-4o-mini');
    expect(failure.body).toMatchObject({ error: { type: 'requests' } });
    expectErrorEvent(events, 'http-error');
    expect(events.map((event) => event.type)).toEqual(['error']);
  });

  it('500 with an HTML body → http-error carrying the text', async () => {
    const { error, events } = await run({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(502);
    expect(failure.message).toContain('502 Bad Gateway');
    expect(failure.body).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
    expectErrorEvent(events, 'http-error');
  });

  it('404 with an empty body still names the status', async () => {
    const { error } = await run({ status: 404, body: '' });
    expect(expectProviderError(error, 'http-error').message).toMatch(/HTTP 404/);
  });

  it('retries a 429 before the first byte, then succeeds (2 requests, a warn log)', async () => {
    const { error, events, requests } = await run(
      [
        fixtureResponse(fixture('error-429.json'), { status: 429, headers: { 'retry-after-ms': '10' } }),
        fixtureResponse(fixture('text-only.sse')),
      ],
      { maxRetries: 2 },
    );
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'log', level: 'warn' });
    expect(events.at(-1)).toMatchObject({ type: 'final', text: 'Hello! How can I help you today?' });
  });

  it('gives up after maxRetries and reports the last failure', async () => {
    const { error, requests } = await run(
      { status: 503, body: '{"error":{"message":"overloaded"}}' },
      { maxRetries: 2 },
    );
    expect(expectProviderError(error, 'http-error').status).toBe(503);
    expect(requests).toHaveLength(3);
  });

  it('never retries once the stream has started, even when retries are allowed', async () => {
    const { error, events, requests } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'destroy' }), {
      maxRetries: 2,
    });
    expectProviderError(error, 'stream-truncated');
    expect(requests).toHaveLength(1);
    expectErrorEvent(events, 'stream-truncated');
  });
});

describe('openai-chat engine: malformed streams', () => {
  it('invalid JSON in a data line → stream-malformed, partial text kept', async () => {
    const text = await import('node:fs').then((fs) => fs.readFileSync(fixture('text-only.sse'), 'utf8'));
    const events = text.split('\n\n');
    const broken = [
      ...events.slice(0, 3),
      'data: {"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":',
      ...events.slice(3),
    ];
    const result = await run({ body: broken.join('\n\n') });
    const failure = expectProviderError(result.error, 'stream-malformed');
    expect(failure.body).toContain('"content":');
    expectErrorEvent(result.events, 'stream-malformed');
    expect(result.turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello!' });
  });

  it('a chunk of the wrong shape → stream-malformed', async () => {
    const { error } = await run({ body: 'data: {"choices":"nope"}\n\n' });
    expect(expectProviderError(error, 'stream-malformed').message).toContain('choices');
  });

  it('an error object inside the stream → stream-error with the provider message', async () => {
    const { error, events, turn } = await run(fixtureResponse(fixture('stream-error.sse')));
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.message).toContain('The server had an error while processing your request');
    expect(failure.providerCode).toBe('server_error');
    expectErrorEvent(events, 'stream-error');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How' });
  });

  it('a stream that ends cleanly without [DONE] or finish_reason → stream-truncated', async () => {
    const { error } = await run(fixtureResponse(fixture('truncated.sse')));
    expectProviderError(error, 'stream-truncated');
  });

  it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
    const total = 10 * 1024 * 1024;
    const piece = encoder.encode('a'.repeat(64 * 1024));
    const body = function* () {
      yield encoder.encode('data: {"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":"');
      for (let sent = 0; sent < total; sent += piece.byteLength) yield piece;
    };
    const heapBefore = process.memoryUsage().heapUsed;
    const { error, events, requests } = await run({ body });
    expectProviderError(error, 'line-too-long');
    expectErrorEvent(events, 'line-too-long');
    const request = requests[0];
    expect(await request?.outcome).toBe('client-closed');
    // The client hung up soon after the 1 MiB cap, long before the 10 MB were written.
    expect(request?.bytesSent ?? total).toBeLessThan(4 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('headers then silence → stream-idle-timeout after the configured time, connection closed', async () => {
    const { error, events, elapsedMs, requests } = await run({ body: '', ending: 'stall' }, { idleTimeoutMs: 500 });
    expectProviderError(error, 'stream-idle-timeout');
    expectErrorEvent(events, 'stream-idle-timeout');
    expect(elapsedMs).toBeLessThan(3_000);
    expect(await requests[0]?.outcome).toBe('client-closed');
  });

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

  it('silence after some text → idle timeout, and the partial text is kept', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'stall' }), {
      idleTimeoutMs: 150,
    });
    expectProviderError(error, 'stream-idle-timeout');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
  });

  it('invalid JSON tool arguments → the call is kept with raw arguments and a warn log', async () => {
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const body =
      chunk({
        role: 'assistant',
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": Par' } },
        ],
      }) +
      chunk({}, 'tool_calls') +
      'data: [DONE]\n\n';
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      fields: { call_id: 'call_1' },
    });
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'tool_call', id: 'call_1', payload: { args: '{"city": Par' } });
  });
});
