import { createServer } from 'node:net';
import { InferenceError } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayResponse, type ReplayServer, startReplayServer } from '../testing/index.js';
import {
  parseRetryAfter,
  parseRetryInfoDelay,
  postJsonStream,
  type RetryNotice,
  redactUrl,
} from './post-json-stream.js';
import { isProviderError, type ProviderError } from './provider-error.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(
  responses: ReplayResponse | ReplayResponse[],
  options: { maxRetries?: number; maxDelayMs?: number; signal?: AbortSignal } = {},
) {
  server = await startReplayServer({ transcript: responses });
  const retries: RetryNotice[] = [];
  try {
    const response = await postJsonStream({
      provider: 'test',
      url: `${server.url}/v1/chat?key=secret`,
      body: { hello: 'world' },
      headers: { authorization: 'Bearer k' },
      maxRetries: options.maxRetries ?? 2,
      baseDelayMs: 5,
      onRetry: (notice) => retries.push(notice),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxDelayMs === undefined ? {} : { maxDelayMs: options.maxDelayMs }),
    });
    const text = await new Response(response.body).text();
    return { response, text, retries, requests: server.requests };
  } catch (error) {
    return { error: error as ProviderError, retries, requests: server.requests };
  }
}

describe('postJsonStream', () => {
  it('POSTs JSON with the given headers and resolves with the streaming body', async () => {
    const { response, text, requests } = await post({ body: 'data: hi\n\n' });
    expect(response?.status).toBe(200);
    expect(response?.attempts).toBe(1);
    expect(text).toBe('data: hi\n\n');
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat?key=secret', body: { hello: 'world' } });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[0]?.headers.authorization).toBe('Bearer k');
  });

  it('does not retry a 400 and extracts the message', async () => {
    const { error, requests } = await post({ status: 400, body: '{"error":{"message":"bad field","code":"invalid"}}' });
    expect(error?.code).toBe('http-error');
    expect(error?.status).toBe(400);
    expect(error?.retryable).toBe(false);
    expect(error?.providerCode).toBe('invalid');
    expect(error?.message).toBe('test: HTTP 400 Bad Request: bad field');
    expect(requests).toHaveLength(1);
  });

  it('retries 429 / 5xx with backoff, then succeeds', async () => {
    const { text, retries, requests } = await post([
      { status: 429, body: '{"error":{"message":"slow down"}}', headers: { 'retry-after': '0' } },
      { status: 500, body: 'oops' },
      { body: 'data: ok\n\n' },
    ]);
    expect(text).toBe('data: ok\n\n');
    expect(requests).toHaveLength(3);
    expect(retries.map((notice) => [notice.retry, notice.error.status])).toEqual([
      [1, 429],
      [2, 500],
    ]);
    expect(retries[0]?.delayMs).toBe(0);
  });

  it("honours Google's RetryInfo.retryDelay in a 429 body when no retry-after header is sent", async () => {
    const body = (delay: string) =>
      JSON.stringify({
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
          ],
        },
      });
    const { text, retries, requests } = await post(
      [
        { status: 429, body: body('0.04s') },
        { status: 429, body: body('37s') },
        { status: 429, body: body('37s'), headers: { 'retry-after': '0' } },
        { body: 'data: ok\n\n' },
      ],
      { maxRetries: 3, maxDelayMs: 60 },
    );
    expect(text).toBe('data: ok\n\n');
    expect(requests).toHaveLength(4);
    // The body's delay, then the same capped at maxDelayMs, then the header winning over the body.
    expect(retries.map((notice) => notice.delayMs)).toEqual([40, 60, 0]);
    expect(retries[0]?.error.providerCode).toBe('RESOURCE_EXHAUSTED');
  });

  it('honours x-should-retry: false', async () => {
    const { error, requests } = await post({ status: 503, body: '', headers: { 'x-should-retry': 'false' } });
    expect(error?.status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  it('reports a refused connection as network-error after retries, without leaking the query', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const retries: RetryNotice[] = [];
    const error = await postJsonStream({
      provider: 'test',
      url: `http://127.0.0.1:${port}/x?key=secret`,
      body: {},
      maxRetries: 1,
      baseDelayMs: 1,
      onRetry: (notice) => retries.push(notice),
    }).catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.code).toBe('network-error');
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain('secret');
    expect(retries).toHaveLength(1);
  });

  it('rejects promptly with a cancellation when aborted during a backoff', async () => {
    const controller = new AbortController();
    server = await startReplayServer({ transcript: { status: 503, body: '', headers: { 'retry-after': '20' } } });
    const startedAt = Date.now();
    const pending = postJsonStream({
      provider: 'test',
      url: server.url,
      body: {},
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 10),
    });
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('cancelled');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('rejects at once when the signal already fired', async () => {
    const error = await postJsonStream({
      provider: 'test',
      url: 'http://127.0.0.1:9/never',
      body: {},
      signal: AbortSignal.abort(),
    }).catch((caught: unknown) => caught);
    expect((error as InferenceError).code).toBe('cancelled');
  });
});

describe('retry helpers', () => {
  it('parses retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  it('reads RetryInfo.retryDelay durations from Google error bodies', () => {
    const google = (details: unknown[]) => ({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', details } });
    const retryInfo = (retryDelay: unknown) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
    expect(parseRetryInfoDelay(google([retryInfo('37s')]))).toBe(37_000);
    expect(parseRetryInfoDelay(google([retryInfo('1.5s')]))).toBe(1_500);
    expect(parseRetryInfoDelay(google([retryInfo('0.000340s')]))).toBe(0);
    expect(parseRetryInfoDelay(google([{ retryDelay: '2s' }]))).toBe(2_000);
    expect(parseRetryInfoDelay([google([retryInfo('3s')])]), 'streamed calls wrap the body').toBe(3_000);
    expect(parseRetryInfoDelay(google([{ '@type': 'type.googleapis.com/google.rpc.Help', retryDelay: '9s' }]))).toBe(
      undefined,
    );
    expect(parseRetryInfoDelay(google([retryInfo('soon')]))).toBeUndefined();
    expect(parseRetryInfoDelay(google([retryInfo(37)]))).toBeUndefined();
    expect(parseRetryInfoDelay({ error: { message: 'x' } })).toBeUndefined();
    expect(parseRetryInfoDelay('Too Many Requests')).toBeUndefined();
  });

  it('redacts query strings and credentials from URLs', () => {
    expect(redactUrl('https://user:pw@host.example/v1beta/models?key=abc')).toBe('https://host.example/v1beta/models');
  });
});
