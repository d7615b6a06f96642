import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BadInputEngineTuning, createBadInputRun, runBadInputSuite } from '../conformance/run-bad-input-suite.js';
import { fixtureResponse } from '../testing/index.js';
import { createGeminiEngine } from './gemini-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const sse = (payload: unknown) => `data: ${JSON.stringify(payload)}\r\n\r\n`;

const createEngine = (baseUrl: string, tuning: BadInputEngineTuning) =>
  createGeminiEngine(
    {
      model: 'gemini-2.0-flash',
      apiKey: 'k',
      baseUrl,
      maxRetries: tuning.maxRetries,
      ...(tuning.idleTimeoutMs ? { idleTimeoutMs: tuning.idleTimeoutMs } : {}),
    },
    {
      env: {},
      retryBaseDelayMs: tuning.retryBaseDelayMs,
      ...(tuning.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: tuning.maxRetryDelayMs }),
    },
  );

/** `text-only.sse` with an unfinished JSON data line spliced in after "Hello!". */
function invalidJsonBody(): string {
  const events = readFileSync(fixture('text-only.sse'), 'utf8').split('\r\n\r\n');
  return [...events.slice(0, 1), 'data: {"candidates": [{"content": {"parts": [{"text": ', ...events.slice(1)].join(
    '\r\n\r\n',
  );
}

runBadInputSuite({
  name: 'gemini',
  createEngine,
  seed: 9,
  rateLimited: {
    response: fixtureResponse(fixture('error-429.json'), { status: 429 }),
    providerCode: 'RESOURCE_EXHAUSTED',
    messageContains: 'You exceeded your current quota',
    body: [{ error: { code: 429 } }],
  },
  notRetried: {
    response: fixtureResponse(fixture('error-400.json'), { status: 400 }),
    providerCode: 'INVALID_ARGUMENT',
  },
  fullText: 'Hello! How can I help you today?',
  emptyBodyStatus: 404,
  retryThenSucceed: {
    first: { status: 503, body: '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}' },
    successResponse: fixtureResponse(fixture('text-only.sse')),
  },
  truncated: fixtureResponse(fixture('truncated.sse')),
  noRetryAfterFirstByte: true,
  invalidJson: { body: invalidJsonBody(), bodyContains: '"parts"' },
  wrongShape: {
    body: sse({ candidates: [{ content: { parts: 'nope' } }] }),
    messageContains: 'candidates.0.content.parts',
  },
  streamError: {
    response: fixtureResponse(fixture('stream-error.sse')),
    messageContains: 'An internal error has occurred',
    providerCode: 'INTERNAL',
  },
  longLinePrefix: 'data: {"candidates": [{"content": {"parts": [{"text": "',
  invalidToolArgs: {
    body: sse({
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: '{"city": Par' } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 3 },
    }),
    warnFields: { name: 'get_weather' },
    block: { kind: 'tool_call', payload: { args: '{"city": Par' } },
  },
});

const run = createBadInputRun(createEngine, 9);

describe('gemini engine: HTTP errors', () => {
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
});

describe('gemini engine: malformed streams', () => {
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
