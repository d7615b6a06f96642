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
import { createAnthropicEngine } from './anthropic-engine.js';

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
  server = await startReplayServer({ transcript: responses, seed: 13 });
  const engine = createAnthropicEngine(
    {
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test',
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

/** The text-only transcript as SSE events (split on blank lines), to splice broken events into. */
function textOnlyEvents(): string[] {
  return readFileSync(fixture('text-only.sse'), 'utf8').trimEnd().split('\n\n');
}

describe('anthropic engine: HTTP errors', () => {
  it('429 with a JSON body → retryable http-error with status, message, error type and body', async () => {
    const { error, events } = await run(fixtureResponse(fixture('error-429.json'), { status: 429 }));
    const failure = expectProviderError(error, 'http-error');
    expect(failure.status).toBe(429);
    expect(failure.retryable).toBe(true);
    expect(failure.providerCode).toBe('rate_limit_error');
    expect(failure.message).toContain('would exceed the rate limit');
    expect(failure.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(events.map((event) => event.type)).toEqual(['error']);
    expectErrorEvent(events, 'http-error');
  });

  it('400 invalid_request_error is not retried', async () => {
    const { error, requests } = await run(fixtureResponse(fixture('error-400.json'), { status: 400 }), {
      maxRetries: 2,
    });
    const failure = expectProviderError(error, 'http-error');
    expect(failure.providerCode).toBe('invalid_request_error');
    expect(failure.retryable).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('529 overloaded is retried before the first byte, then the stream succeeds', async () => {
    const { error, events, requests } = await run(
      [fixtureResponse(fixture('error-529.json'), { status: 529 }), fixtureResponse(fixture('text-only.sse'))],
      { maxRetries: 2 },
    );
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'log', level: 'warn', message: expect.stringContaining('Overloaded') });
    expect(events.at(-1)).toMatchObject({ type: 'final', text: 'Hello! How can I help you today?' });
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

  it('401 with an empty body still names the status', async () => {
    const { error } = await run({ status: 401, body: '' });
    expect(expectProviderError(error, 'http-error').message).toMatch(/HTTP 401/);
  });
});

describe('anthropic engine: malformed streams', () => {
  it('invalid JSON in a data line → stream-malformed, partial text kept', async () => {
    const events = textOnlyEvents();
    const broken = [
      ...events.slice(0, 5),
      'event: content_block_delta\ndata: {"type":"content_block_delta",',
      ...events.slice(5),
    ];
    const { error, events: published, turn } = await run({ body: `${broken.join('\n\n')}\n\n` });
    const failure = expectProviderError(error, 'stream-malformed');
    expect(failure.body).toContain('"content_block_delta",');
    expectErrorEvent(published, 'stream-malformed');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello!' } });
  });

  it('a known event of the wrong shape → stream-malformed naming the field', async () => {
    const { error } = await run({
      body: 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","name":"x"}}\n\n',
    });
    expect(expectProviderError(error, 'stream-malformed').message).toContain('id');
  });

  it('an error event inside the stream → retryable stream-error, partial text kept, no retry', async () => {
    const { error, events, turn, requests } = await run(fixtureResponse(fixture('stream-error.sse')), {
      maxRetries: 2,
    });
    const failure = expectProviderError(error, 'stream-error');
    expect(failure.providerCode).toBe('overloaded_error');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toContain('Overloaded');
    expectErrorEvent(events, 'stream-error');
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How' });
    expect(requests).toHaveLength(1);
  });

  it('a stream that ends cleanly without message_stop or stop_reason → stream-truncated', async () => {
    const { error, events } = await run(fixtureResponse(fixture('truncated.sse')));
    expectProviderError(error, 'stream-truncated');
    expectErrorEvent(events, 'stream-truncated');
  });

  it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
    const total = 10 * 1024 * 1024;
    const piece = encoder.encode('a'.repeat(64 * 1024));
    const body = function* () {
      yield encoder.encode(
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"',
      );
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

  it('silence after some text → idle timeout, and the partial text is kept', async () => {
    const { error, turn } = await run(fixtureResponse(fixture('truncated.sse'), { ending: 'stall' }), {
      idleTimeoutMs: 150,
    });
    expectProviderError(error, 'stream-idle-timeout');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
  });

  it('tool input that is not valid JSON → the call is kept with raw arguments and a warn log', async () => {
    const sse = (type: string, payload: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
    const body =
      sse('message_start', { message: { id: 'msg_1', model: 'claude-sonnet-4-5', usage: { input_tokens: 9 } } }) +
      sse('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
      }) +
      sse('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": Par' } }) +
      sse('content_block_stop', { index: 0 }) +
      sse('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }) +
      sse('message_stop', {});
    const { error, events, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      fields: { call_id: 'toolu_1' },
    });
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'tool_call', id: 'toolu_1', payload: { args: '{"city": Par' } });
  });

  it('unknown event, block and delta types are skipped; the rest of the stream is decoded', async () => {
    const events = textOnlyEvents();
    const extras = [
      'event: future_event\ndata: {"type":"future_event","detail":{"x":1}}',
      'event: content_block_start\ndata: {"type":"content_block_start","index":7,"content_block":{"type":"mystery","payload":1}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":7,"delta":{"type":"mystery_delta","bits":"?"}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}',
      ': a comment line',
    ];
    const body = `${[...events.slice(0, 4), ...extras, ...events.slice(4)].join('\n\n')}\n\n`;
    const { error, events: published, turn } = await run({ body });
    expect(error).toBeUndefined();
    expect(published.at(-1)).toMatchObject({ type: 'final', text: 'Hello! How can I help you today?' });
    expect(turn.blocks.at(-1)).toMatchObject({
      kind: 'llm_text',
      payload: { text: 'Hello! How can I help you today?' },
    });
  });
});
