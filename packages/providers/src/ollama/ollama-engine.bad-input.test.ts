import { readFileSync } from 'node:fs';
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
import { createOllamaEngine } from './ollama-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const encoder = new TextEncoder();
const ndjson = (...lines: unknown[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
const done = { model: 'llama3.1:8b', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' };

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
  server = await startReplayServer({ transcript: responses, seed: 8 });
  const engine = createOllamaEngine(
    {
      model: 'llama3.1:8b',
      baseUrl: server.url,
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
  expect(events.at(-1)).toMatchObject({ type: 'error', code, blame: 'provider' });
}

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

  it('502 with a text body (a proxy in front of Ollama) → http-error carrying the text', async () => {
    const { error, events } = await run({
      status: 502,
      headers: { 'content-type': 'text/plain' },
      body: 'Bad Gateway',
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(502);
    expect(failure.body).toBe('Bad Gateway');
    expectErrorEvent(events, 'http-error');
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
  it('a line that is not JSON → stream-malformed, partial text kept', async () => {
    const text = readFileSync(fixture('text-only.ndjson'), 'utf8').split('\n');
    const broken = [...text.slice(0, 2), '{"model":"llama3.1:8b","message":{"content":', ...text.slice(2)];
    const { error, events, turn } = await run({ body: broken.join('\n') });
    expectProviderError(error, 'stream-malformed');
    expectErrorEvent(events, 'stream-malformed');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello!' });
  });

  it('a line of the wrong shape → stream-malformed', async () => {
    const { error } = await run({ body: ndjson({ model: 'm', message: { content: 5 }, done: false }) });
    expect(expectProviderError(error, 'stream-malformed').message).toContain('message.content');
  });

  it('an error line mid-stream → stream-error with the message, partial text kept', async () => {
    const { error, events, turn } = await run(fixtureResponse(fixture('stream-error.ndjson')));
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.message).toContain('unexpected EOF');
    expectErrorEvent(events, 'stream-error');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How' });
  });

  it('a body that ends cleanly mid-line → stream-truncated', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.ndjson')));
    expectProviderError(error, 'stream-truncated');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How can' });
  });

  it('a body that ends on a line boundary without a done line → stream-truncated', async () => {
    const lines = readFileSync(fixture('text-only.ndjson'), 'utf8').split('\n').slice(0, 4);
    const { error } = await run({ body: `${lines.join('\n')}\n` });
    expectProviderError(error, 'stream-truncated');
  });

  it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
    const total = 10 * 1024 * 1024;
    const piece = encoder.encode('a'.repeat(64 * 1024));
    const body = function* () {
      yield encoder.encode('{"model":"llama3.1:8b","message":{"role":"assistant","content":"');
      for (let sent = 0; sent < total; sent += piece.byteLength) yield piece;
    };
    const heapBefore = process.memoryUsage().heapUsed;
    const { error, events, requests } = await run({ body });
    expectProviderError(error, 'line-too-long');
    expectErrorEvent(events, 'line-too-long');
    const request = requests[0];
    expect(await request?.outcome).toBe('client-closed');
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

  it('a model that loads slowly (no headers in time) → stream-idle-timeout', async () => {
    const { error, elapsedMs } = await run({ delayHeadersMs: 5_000, body: '' }, { idleTimeoutMs: 100 });
    expect(expectProviderError(error, 'stream-idle-timeout').retryable).toBe(true);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('tool-call arguments that are not a JSON object → the call is kept raw with a warn log', async () => {
    const body = ndjson(
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
    );
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      fields: { name: 'get_weather' },
    });
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'tool_call', payload: { args: '{"city": Par' } });
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
