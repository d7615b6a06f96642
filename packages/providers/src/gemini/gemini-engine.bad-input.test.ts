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
import { createGeminiEngine } from './gemini-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const encoder = new TextEncoder();
const sse = (payload: unknown) => `data: ${JSON.stringify(payload)}\r\n\r\n`;

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface RunOptions {
  maxRetries?: number;
  idleTimeoutMs?: number;
  maxRetryDelayMs?: number;
}

/** Serves `responses` in order and runs one inference; returns the error, events and turn. */
async function run(responses: ReplayResponse | ReplayResponse[], options: RunOptions = {}) {
  server = await startReplayServer({ transcript: responses, seed: 9 });
  const engine = createGeminiEngine(
    {
      model: 'gemini-2.0-flash',
      apiKey: 'k',
      baseUrl: server.url,
      maxRetries: options.maxRetries ?? 0,
      ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    },
    {
      env: {},
      retryBaseDelayMs: 5,
      ...(options.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: options.maxRetryDelayMs }),
    },
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

describe('gemini engine: HTTP errors', () => {
  it('429 with an array-wrapped JSON body → http-error with status, message, status code and body', async () => {
    const { error, events } = await run(fixtureResponse(fixture('error-429.json'), { status: 429 }));
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(429);
    expect(failure.retryable).toBe(true);
    expect(failure.providerCode).toBe('RESOURCE_EXHAUSTED');
    expect(failure.message).toContain('You exceeded your current quota');
    expect(failure.body).toMatchObject([{ error: { code: 429 } }]);
    expect(events.map((event) => event.type)).toEqual(['error']);
    expectErrorEvent(events, 'http-error');
  });

  it('400 with a JSON body is not retried', async () => {
    const { error, requests } = await run(fixtureResponse(fixture('error-400.json'), { status: 400 }), {
      maxRetries: 2,
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.providerCode).toBe('INVALID_ARGUMENT');
    expect(failure.retryable).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('502 with an HTML body → http-error carrying the text', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const { error, events } = await run({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(502);
    expect(failure.message).toContain('502 Bad Gateway');
    expect(failure.body).toBe(html);
    expectErrorEvent(events, 'http-error');
  });

  it('404 with an empty body still names the status', async () => {
    const { error } = await run({ status: 404, body: '' });
    expect(expectProviderError(error, 'http-error').message).toMatch(/HTTP 404/);
  });

  it('retries a 503 before the first byte, then succeeds (2 requests, a warn log)', async () => {
    const { error, events, requests } = await run(
      [
        { status: 503, body: '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}' },
        fixtureResponse(fixture('text-only.sse')),
      ],
      { maxRetries: 2 },
    );
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'log', level: 'warn' });
    expect(events.at(-1)).toMatchObject({ type: 'final', text: 'Hello! How can I help you today?' });
  });

  it("waits for the 429 body's RetryInfo.retryDelay (capped) before retrying", async () => {
    const { error, events, requests } = await run(
      [fixtureResponse(fixture('error-429.json'), { status: 429 }), fixtureResponse(fixture('text-only.sse'))],
      { maxRetries: 1, maxRetryDelayMs: 40 },
    );
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
    // The fixture asks for 37 s; the cap (40 ms here, 30 s by default) bounds it.
    expect(events[0]).toMatchObject({
      type: 'log',
      level: 'warn',
      message: expect.stringContaining('retry 1 of 1 in 40 ms'),
      fields: { retry: 1, delay_ms: 40, status: 429 },
    });
  });

  it('never retries once the stream has started', async () => {
    const { error, requests } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'destroy' }), {
      maxRetries: 2,
    });
    expectProviderError(error, 'stream-truncated');
    expect(requests).toHaveLength(1);
  });
});

describe('gemini engine: malformed streams', () => {
  it('invalid JSON in a data line → stream-malformed, partial text kept', async () => {
    const events = readFileSync(fixture('text-only.sse'), 'utf8').split('\r\n\r\n');
    const broken = [
      ...events.slice(0, 1),
      'data: {"candidates": [{"content": {"parts": [{"text": ',
      ...events.slice(1),
    ];
    const result = await run({ body: broken.join('\r\n\r\n') });
    const failure = expectProviderError(result.error, 'stream-malformed');
    expect(failure.body).toContain('"parts"');
    expectErrorEvent(result.events, 'stream-malformed');
    expect(result.turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello!' });
  });

  it('an event of the wrong shape → stream-malformed', async () => {
    const { error } = await run({ body: sse({ candidates: [{ content: { parts: 'nope' } }] }) });
    expect(expectProviderError(error, 'stream-malformed').message).toContain('candidates.0.content.parts');
  });

  it('an error object inside the stream → stream-error with the provider message, partial text kept', async () => {
    const { error, events, turn } = await run(fixtureResponse(fixture('stream-error.sse')));
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.message).toContain('An internal error has occurred');
    expect(failure.providerCode).toBe('INTERNAL');
    expectErrorEvent(events, 'stream-error');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How' });
  });

  it('a stream that ends cleanly without any finishReason → stream-truncated', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.sse')));
    expectProviderError(error, 'stream-truncated');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How can' });
  });

  it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
    const total = 10 * 1024 * 1024;
    const piece = encoder.encode('a'.repeat(64 * 1024));
    const body = function* () {
      yield encoder.encode('data: {"candidates": [{"content": {"parts": [{"text": "');
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

  it('silence after some text → idle timeout, and the partial text is kept', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'stall' }), {
      idleTimeoutMs: 150,
    });
    expectProviderError(error, 'stream-idle-timeout');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
  });

  it('function-call arguments that are not a JSON object → the call is kept raw with a warn log', async () => {
    const body = sse({
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: '{"city": Par' } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 3 },
    });
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      fields: { name: 'get_weather' },
    });
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'tool_call', payload: { args: '{"city": Par' } });
  });

  it('skips what it does not know: unknown fields, unknown parts, usage-only events, comments', async () => {
    const body =
      ': keep-alive\r\n\r\n' +
      sse({ usageMetadata: { promptTokenCount: 4 }, modelVersion: 'gemini-2.0-flash', serverHint: { x: 1 } }) +
      sse({
        candidates: [
          {
            content: { role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }] },
            citationMetadata: { citationSources: [] },
            index: 0,
          },
        ],
      }) +
      sse({
        candidates: [
          { content: { role: 'model', parts: [{ text: 'Done.', futureField: true }] }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 },
      });
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual(['start', 'partial', 'final']);
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Done.' } });
  });
});
