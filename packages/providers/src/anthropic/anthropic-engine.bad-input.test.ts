import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BadInputEngineTuning, createBadInputRun, runBadInputSuite } from '../conformance/run-bad-input-suite.js';
import { fixtureResponse } from '../testing/index.js';
import { createAnthropicEngine } from './anthropic-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

const createEngine = (baseUrl: string, tuning: BadInputEngineTuning) =>
  createAnthropicEngine(
    {
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test',
      baseUrl,
      maxRetries: tuning.maxRetries,
      ...(tuning.idleTimeoutMs ? { idleTimeoutMs: tuning.idleTimeoutMs } : {}),
    },
    { env: {}, retryBaseDelayMs: tuning.retryBaseDelayMs },
  );

/** The text-only transcript as SSE events (split on blank lines), to splice broken events into. */
function textOnlyEvents(): string[] {
  return readFileSync(fixture('text-only.sse'), 'utf8').trimEnd().split('\n\n');
}

const sse = (type: string, payload: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;

const invalidJsonEvents = textOnlyEvents();

runBadInputSuite({
  name: 'anthropic',
  createEngine,
  seed: 13,
  rateLimited: {
    response: fixtureResponse(fixture('error-429.json'), { status: 429 }),
    providerCode: 'rate_limit_error',
    messageContains: 'would exceed the rate limit',
    body: { type: 'error', error: { type: 'rate_limit_error' } },
  },
  notRetried: {
    response: fixtureResponse(fixture('error-400.json'), { status: 400 }),
    providerCode: 'invalid_request_error',
  },
  fullText: 'Hello! How can I help you today?',
  emptyBodyStatus: 401,
  retryThenSucceed: {
    first: fixtureResponse(fixture('error-529.json'), { status: 529 }),
    warnMessageContains: 'Overloaded',
    successResponse: fixtureResponse(fixture('text-only.sse')),
  },
  truncated: fixtureResponse(fixture('truncated.sse')),
  noRetryAfterFirstByte: true,
  invalidJson: {
    body: `${[
      ...invalidJsonEvents.slice(0, 5),
      'event: content_block_delta\ndata: {"type":"content_block_delta",',
      ...invalidJsonEvents.slice(5),
    ].join('\n\n')}\n\n`,
    bodyContains: '"content_block_delta",',
  },
  wrongShape: {
    body: 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","name":"x"}}\n\n',
    messageContains: 'id',
  },
  streamError: {
    response: fixtureResponse(fixture('stream-error.sse')),
    messageContains: 'Overloaded',
    providerCode: 'overloaded_error',
    retryable: true,
    maxRetries: 2,
  },
  longLinePrefix:
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"',
  invalidToolArgs: {
    body:
      sse('message_start', { message: { id: 'msg_1', model: 'claude-sonnet-4-5', usage: { input_tokens: 9 } } }) +
      sse('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
      }) +
      sse('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": Par' } }) +
      sse('content_block_stop', { index: 0 }) +
      sse('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }) +
      sse('message_stop', {}),
    warnFields: { call_id: 'toolu_1' },
    block: { kind: 'tool_call', id: 'toolu_1', payload: { args: '{"city": Par' } },
  },
});

const run = createBadInputRun(createEngine, 13);

describe('anthropic engine: malformed streams', () => {
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
