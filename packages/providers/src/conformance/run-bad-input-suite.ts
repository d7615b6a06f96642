import { createTurn, type Engine, systemBlock, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../shared/provider-error.js';
import type { ReplayResponse } from '../testing/replay-response.js';
import { type ReplayServer, startReplayServer } from '../testing/replay-server.js';
import { createTestInferenceContext } from '../testing/test-inference-context.js';

/** Settings a bad-input scenario asks the engine to use. */
export interface BadInputEngineTuning {
  maxRetries: number;
  retryBaseDelayMs: number;
  idleTimeoutMs?: number;
  maxRetryDelayMs?: number;
}

/** Options of one {@link BadInputRun}. */
export interface BadInputRunOptions {
  maxRetries?: number;
  idleTimeoutMs?: number;
  maxRetryDelayMs?: number;
}

/** Serves `responses` in order and runs one inference; returns the error, events and turn. */
export type BadInputRun = (
  responses: ReplayResponse | ReplayResponse[],
  options?: BadInputRunOptions,
) => Promise<{
  error: unknown;
  events: ReturnType<typeof createTestInferenceContext>['sink']['events'];
  turn: ReturnType<typeof createTurn>;
  elapsedMs: number;
  requests: ReplayServer['requests'];
}>;

/**
 * Builds the `run` helper of a bad-input test file and registers an `afterEach` that closes its
 * replay server. Call it at the top level of a `*.test.ts` file.
 */
export function createBadInputRun(
  createEngine: (baseUrl: string, tuning: BadInputEngineTuning) => Engine,
  seed: number,
): BadInputRun {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (responses, options = {}) => {
    server = await startReplayServer({ transcript: responses, seed });
    const engine = createEngine(server.url, {
      maxRetries: options.maxRetries ?? 0,
      retryBaseDelayMs: 5,
      ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: options.maxRetryDelayMs }),
    });
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
  };
}

/** Asserts `error` is a provider-blamed `ProviderError` with `code`, and returns it. */
export function expectProviderError(error: unknown, code: ProviderError['code']): ProviderError {
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  expect(error.code).toBe(code);
  expect(error.blame).toBe('provider');
  return error;
}

/** Asserts the last published event is a provider-blamed error with `code`. */
export function expectErrorEvent(events: readonly { type: string }[], code: string): void {
  expect(events.at(-1)).toMatchObject({ type: 'error', code, blame: 'provider' });
}

/** Options of {@link runBadInputSuite}: the provider's fixtures and expectations. */
export interface BadInputSuiteOptions {
  /** Suite title, usually the provider id. */
  name: string;
  /** Builds the engine under test against the replay server's root URL (append `/v1` yourself). */
  createEngine: (baseUrl: string, tuning: BadInputEngineTuning) => Engine;
  /** Chunking seed of the replay server. */
  seed: number;
  /** The full text of the provider's `text-only` transcript. */
  fullText: string;
  /** The provider's 429 JSON error: its error code, part of its message and part of its body. */
  rateLimited?: { response: ReplayResponse; providerCode: string; messageContains: string; body: unknown };
  /** A 4xx JSON error that must not be retried, and its error code. */
  notRetried?: { response: ReplayResponse; providerCode: string };
  /** A non-JSON 502 body (a proxy's page); default an HTML page. */
  badGateway?: { contentType: string; body: string };
  /** A status answered with an empty body, whose message must still name it. */
  emptyBodyStatus?: number;
  /** A pre-first-byte failure that is retried, then `text-only` succeeds. */
  retryThenSucceed?: { first: ReplayResponse; warnMessageContains?: string; successResponse: ReplayResponse };
  /** The transcript cut after "Hello! How can" (ends cleanly, no terminal event). */
  truncated: ReplayResponse;
  /** Whether to check that a truncated stream destroyed mid-way is not retried. */
  noRetryAfterFirstByte?: boolean;
  /** `text-only` with an invalid JSON line spliced in after "Hello!"; `bodyContains` is in the error body. */
  invalidJson: { body: string; bodyContains?: string };
  /** A syntactically valid event of the wrong shape, and a part of the message naming the field. */
  wrongShape: { body: string; messageContains: string };
  /** An error reported inside the stream after "Hello! How". */
  streamError?: {
    response: ReplayResponse;
    messageContains: string;
    providerCode?: string;
    retryable?: boolean;
    /** When set, the run allows retries and the suite checks none happened. */
    maxRetries?: number;
  };
  /** The start of an event line that never ends (the 10 MB line). */
  longLinePrefix: string;
  /** A tool call with invalid JSON arguments: the warn log's fields and the kept block. */
  invalidToolArgs: {
    body: string;
    warnFields: Record<string, unknown>;
    block: Record<string, unknown>;
    lastEvent?: Record<string, unknown>;
  };
}

const encoder = new TextEncoder();

/**
 * Registers the bad-input scenarios every provider engine shares (HTTP errors, retries, malformed,
 * truncated, oversized and idle streams, invalid tool arguments) with vitest. Provider-specific
 * bad-input tests stay in the provider's own file. Call it at the top level of a `*.test.ts` file.
 */
export function runBadInputSuite(options: BadInputSuiteOptions): void {
  const run = createBadInputRun(options.createEngine, options.seed);
  const { name } = options;

  describe(`${name} engine: HTTP errors (shared)`, () => {
    const rateLimited = options.rateLimited;
    if (rateLimited) {
      it('429 with a JSON body → retryable http-error with status, message, provider code and body', async () => {
        const { error, events } = await run(rateLimited.response);
        const failure = expectProviderError(error, 'http-error');
        expect(failure.status).toBe(429);
        expect(failure.retryable).toBe(true);
        expect(failure.providerCode).toBe(rateLimited.providerCode);
        expect(failure.message).toContain(rateLimited.messageContains);
        expect(failure.body).toMatchObject(rateLimited.body as object);
        expect(events.map((event) => event.type)).toEqual(['error']);
        expectErrorEvent(events, 'http-error');
      });
    }

    const notRetried = options.notRetried;
    if (notRetried) {
      it('a 4xx JSON error is not retried', async () => {
        const { error, requests } = await run(notRetried.response, { maxRetries: 2 });
        const failure = expectProviderError(error, 'http-error');
        expect(failure.providerCode).toBe(notRetried.providerCode);
        expect(failure.retryable).toBe(false);
        expect(requests).toHaveLength(1);
      });
    }

    it('502 with a non-JSON body → http-error carrying the text', async () => {
      const badGateway = options.badGateway ?? {
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      };
      const { error, events } = await run({
        status: 502,
        headers: { 'content-type': badGateway.contentType },
        body: badGateway.body,
      });
      const failure = expectProviderError(error, 'http-error');
      expect(failure.status).toBe(502);
      expect(failure.message).toContain('502 Bad Gateway');
      expect(failure.body).toBe(badGateway.body);
      expectErrorEvent(events, 'http-error');
    });

    const emptyBodyStatus = options.emptyBodyStatus;
    if (emptyBodyStatus !== undefined) {
      it(`${emptyBodyStatus} with an empty body still names the status`, async () => {
        const { error } = await run({ status: emptyBodyStatus, body: '' });
        expect(expectProviderError(error, 'http-error').message).toMatch(new RegExp(`HTTP ${emptyBodyStatus}`));
      });
    }

    const retry = options.retryThenSucceed;
    if (retry) {
      it('retries a failure before the first byte, then succeeds (2 requests, a warn log)', async () => {
        const { error, events, requests } = await run([retry.first, retry.successResponse], { maxRetries: 2 });
        expect(error).toBeUndefined();
        expect(requests).toHaveLength(2);
        expect(events[0]).toMatchObject({
          type: 'log',
          level: 'warn',
          ...(retry.warnMessageContains ? { message: expect.stringContaining(retry.warnMessageContains) } : {}),
        });
        expect(events.at(-1)).toMatchObject({ type: 'final', text: options.fullText });
      });
    }

    if (options.noRetryAfterFirstByte) {
      it('never retries once the stream has started, even when retries are allowed', async () => {
        const { error, events, requests } = await run({ ...options.truncated, ending: 'destroy' }, { maxRetries: 2 });
        expectProviderError(error, 'stream-truncated');
        expect(requests).toHaveLength(1);
        expectErrorEvent(events, 'stream-truncated');
      });
    }
  });

  describe(`${name} engine: malformed streams (shared)`, () => {
    it('invalid JSON in a data line → stream-malformed, partial text kept', async () => {
      const { error, events, turn } = await run({ body: options.invalidJson.body });
      const failure = expectProviderError(error, 'stream-malformed');
      if (options.invalidJson.bodyContains !== undefined) {
        expect(failure.body).toContain(options.invalidJson.bodyContains);
      }
      expectErrorEvent(events, 'stream-malformed');
      expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello!' } });
    });

    it('an event of the wrong shape → stream-malformed naming the field', async () => {
      const { error } = await run({ body: options.wrongShape.body });
      expect(expectProviderError(error, 'stream-malformed').message).toContain(options.wrongShape.messageContains);
    });

    const streamError = options.streamError;
    if (streamError) {
      it('an error inside the stream → stream-error with the provider message, partial text kept', async () => {
        const { error, events, turn, requests } = await run(
          streamError.response,
          streamError.maxRetries === undefined ? {} : { maxRetries: streamError.maxRetries },
        );
        const failure = expectProviderError(error, 'stream-error');
        expect(failure.message).toContain(streamError.messageContains);
        if (streamError.providerCode !== undefined) expect(failure.providerCode).toBe(streamError.providerCode);
        if (streamError.retryable !== undefined) expect(failure.retryable).toBe(streamError.retryable);
        expectErrorEvent(events, 'stream-error');
        expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'Hello! How' });
        if (streamError.maxRetries !== undefined) expect(requests).toHaveLength(1);
      });
    }

    it('a stream that ends cleanly without its terminal event → stream-truncated, partial text kept', async () => {
      const { error, events, turn } = await run(options.truncated);
      expectProviderError(error, 'stream-truncated');
      expectErrorEvent(events, 'stream-truncated');
      expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
    });

    it('a 10 MB line without newline → line-too-long, reading stops early (memory bounded)', async () => {
      const total = 10 * 1024 * 1024;
      const piece = encoder.encode('a'.repeat(64 * 1024));
      const body = function* () {
        yield encoder.encode(options.longLinePrefix);
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
      const { error, turn } = await run({ ...options.truncated, ending: 'stall' }, { idleTimeoutMs: 150 });
      expectProviderError(error, 'stream-idle-timeout');
      expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Hello! How can' } });
    });

    it('invalid JSON tool arguments → the call is kept with raw arguments and a warn log', async () => {
      const { error, events, turn } = await run({ body: options.invalidToolArgs.body });
      expect(error).toBeUndefined();
      expect(events.find((event) => event.type === 'log')).toMatchObject({
        level: 'warn',
        fields: options.invalidToolArgs.warnFields,
      });
      expect(turn.blocks.at(-1)).toMatchObject(options.invalidToolArgs.block);
      if (options.invalidToolArgs.lastEvent) expect(events.at(-1)).toMatchObject(options.invalidToolArgs.lastEvent);
    });
  });
}
