import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BadInputEngineTuning,
  createBadInputRun,
  expectErrorEvent,
  expectProviderError,
  runBadInputSuite,
} from '../conformance/run-bad-input-suite.js';
import { fixtureResponse } from '../testing/index.js';
import { createOpenAIResponsesEngine } from './openai-responses-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

const createEngine = (baseUrl: string, tuning: BadInputEngineTuning) =>
  createOpenAIResponsesEngine(
    {
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      baseUrl: `${baseUrl}/v1`,
      maxRetries: tuning.maxRetries,
      ...(tuning.idleTimeoutMs ? { idleTimeoutMs: tuning.idleTimeoutMs } : {}),
    },
    { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
  );

/** `text-only.sse` split into its SSE events (without the blank-line separators). */
function textOnlyEvents(): string[] {
  return readFileSync(fixture('text-only.sse'), 'utf8').split('\n\n').filter(Boolean);
}

const sse = (payload: Record<string, unknown>) =>
  `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;
const completed = sse({ type: 'response.completed', response: { status: 'completed', model: 'gpt-4o-mini' } });

/** `text-only.sse` with an unfinished JSON data line spliced in after "Hello!". */
function invalidJsonBody(): string {
  const events = textOnlyEvents();
  // After created, in_progress, item added, part added and the "Hello" and "!" deltas.
  const broken = [
    ...events.slice(0, 6),
    'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":',
    ...events.slice(6),
  ];
  return `${broken.join('\n\n')}\n\n`;
}

const toolItem = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' };

runBadInputSuite({
  name: 'openai-responses',
  createEngine,
  seed: 7,
  rateLimited: {
    response: fixtureResponse(fixture('error-429.json'), { status: 429 }),
    providerCode: 'rate_limit_exceeded',
    messageContains: 'Rate limit reached for gpt-4o-mini',
    body: { error: { type: 'requests' } },
  },
  notRetried: { response: fixtureResponse(fixture('error-400.json'), { status: 400 }), providerCode: 'invalid_type' },
  fullText: 'Hello! How can I help you today?',
  emptyBodyStatus: 404,
  retryThenSucceed: {
    first: fixtureResponse(fixture('error-429.json'), { status: 429, headers: { 'retry-after-ms': '10' } }),
    successResponse: fixtureResponse(fixture('text-only.sse')),
  },
  truncated: fixtureResponse(fixture('truncated.sse')),
  noRetryAfterFirstByte: true,
  invalidJson: { body: invalidJsonBody(), bodyContains: '"delta":' },
  wrongShape: {
    body: sse({ type: 'response.output_text.delta', output_index: 0, delta: 42 }),
    messageContains: 'delta',
  },
  longLinePrefix: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"',
  invalidToolArgs: {
    body:
      sse({ type: 'response.output_item.added', output_index: 0, item: toolItem }) +
      sse({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"city": Par' }) +
      sse({ type: 'response.output_item.done', output_index: 0, item: { ...toolItem, arguments: '{"city": Par' } }) +
      completed,
    warnFields: { call_id: 'call_1' },
    block: { kind: 'tool_call', id: 'call_1', payload: { args: '{"city": Par', item_id: 'fc_1' } },
    lastEvent: { type: 'final', meta: { stop_reason: 'tool_calls' } },
  },
});

const run = createBadInputRun(createEngine, 7);

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
});
