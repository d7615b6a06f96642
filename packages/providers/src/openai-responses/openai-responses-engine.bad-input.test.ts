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
import { createOpenAIResponsesEngine } from './openai-responses-engine.js';

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
  const engine = createOpenAIResponsesEngine(
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
  expect(events.at(-1)).toMatchObject({ type: 'error', code, blame: 'provider' });
}

/** `text-only.sse` split into its SSE events (without the blank-line separators). */
function textOnlyEvents(): string[] {
  return readFileSync(fixture('text-only.sse'), 'utf8').split('\n\n').filter(Boolean);
}

const sse = (payload: Record<string, unknown>) =>
  `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;
const completed = sse({ type: 'response.completed', response: { status: 'completed', model: 'gpt-4o-mini' } });

describe('openai-responses engine: HTTP errors', () => {
  it('429 with a JSON body → http-error with status, message, provider code and body', async () => {
    const { error, events } = await run(fixtureResponse(fixture('error-429.json'), { status: 429 }));
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(429);
    expect(failure.retryable).toBe(true);
    expect(failure.providerCode).toBe('rate_limit_exceeded');
    expect(failure.message).toContain('Rate limit reached for gpt-4o-mini');
    expect(failure.body).toMatchObject({ error: { type: 'requests' } });
    expect(events.map((event) => event.type)).toEqual(['error']);
    expectErrorEvent(events, 'http-error');
  });

  it('400 with the invalid-request body → not retryable, the provider message kept', async () => {
    const { error, requests } = await run(fixtureResponse(fixture('error-400.json'), { status: 400 }), {
      maxRetries: 2,
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.retryable).toBe(false);
    expect(failure.providerCode).toBe('invalid_type');
    expect(requests).toHaveLength(1);
  });

  it('502 with an HTML body → http-error carrying the text', async () => {
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

  it('never retries once the stream has started', async () => {
    const { error, events, requests } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'destroy' }), {
      maxRetries: 2,
    });
    expectProviderError(error, 'stream-truncated');
    expect(requests).toHaveLength(1);
    expectErrorEvent(events, 'stream-truncated');
  });
});

describe('openai-responses engine: failures inside the stream', () => {
  it('an error event after some text → stream-error with the provider message; partial text kept', async () => {
    const { error, events, turn, requests } = await run(
      fixtureResponse(fixture('stream-error.sse'), { ending: 'stall' }),
    );
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.message).toBe(
      'openai-responses: The server had an error while processing your request. Sorry about that!',
    );
    expect(failure.providerCode).toBe('server_error');
    expectErrorEvent(events, 'stream-error');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How' } });
    // The engine hangs up at the error instead of waiting for the server to close.
    expect(await requests[0]?.outcome).toBe('client-closed');
  });

  it('response.failed → stream-error with the response error code and message', async () => {
    const { error, events, turn } = await run(fixtureResponse(fixture('response-failed.sse')));
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.providerCode).toBe('rate_limit_exceeded');
    expect(failure.message).toContain('Rate limit reached for gpt-4o-mini');
    expect(events.map((event) => event.type)).toEqual(['start', 'error']);
    expect(turn.blocks).toHaveLength(2);
  });
});

describe('openai-responses engine: malformed streams', () => {
  it('invalid JSON in a data line → stream-malformed, partial text kept', async () => {
    const events = textOnlyEvents();
    // After created, in_progress, item added, part added and the "Hello" and "!" deltas.
    const broken = [
      ...events.slice(0, 6),
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":',
      ...events.slice(6),
    ];
    const result = await run({ body: `${broken.join('\n\n')}\n\n` });
    const failure = expectProviderError(result.error, 'stream-malformed');
    expect(failure.body).toContain('"delta":');
    expectErrorEvent(result.events, 'stream-malformed');
    expect(result.turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello!' });
  });

  it('an event of the wrong shape → stream-malformed naming the field', async () => {
    const { error } = await run({ body: sse({ type: 'response.output_text.delta', output_index: 0, delta: 42 }) });
    expect(expectProviderError(error, 'stream-malformed').message).toContain('delta');
  });

  it('unknown event types are skipped, as the streaming reference allows new ones', async () => {
    const events = textOnlyEvents();
    const extra = [
      sse({ type: 'response.audio.delta', delta: 'AAAA' }).trim(),
      sse({ type: 'response.custom_tool_call_input.delta', item_id: 'ctc_1', delta: { nested: true } }).trim(),
      'event: keepalive\ndata: {"type":"keepalive"}',
    ];
    const body = `${[...events.slice(0, 6), ...extra, ...events.slice(6)].join('\n\n')}\n\n`;
    const { error, events: published } = await run({ body });
    expect(error).toBeUndefined();
    expect(published.at(-1)).toMatchObject({ type: 'final', text: 'Hello! How can I help you today?' });
  });

  it('a stream that ends cleanly without response.completed → stream-truncated', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.sse')));
    expectProviderError(error, 'stream-truncated');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
  });

  it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
    const total = 10 * 1024 * 1024;
    const piece = encoder.encode('a'.repeat(64 * 1024));
    const body = function* () {
      yield encoder.encode('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"');
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

  it('invalid JSON tool arguments → the call is kept with raw arguments and a warn log', async () => {
    const item = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' };
    const body =
      sse({ type: 'response.output_item.added', output_index: 0, item }) +
      sse({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"city": Par' }) +
      sse({ type: 'response.output_item.done', output_index: 0, item: { ...item, arguments: '{"city": Par' } }) +
      completed;
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      fields: { call_id: 'call_1' },
    });
    expect(turn.blocks.at(-1)).toMatchObject({
      kind: 'tool_call',
      id: 'call_1',
      payload: { args: '{"city": Par', item_id: 'fc_1' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'final', meta: { stop_reason: 'tool_calls' } });
  });
});
