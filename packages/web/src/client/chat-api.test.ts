import { startTestServer, type TestServer } from '@cricket/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatApi, type FetchLike } from './chat-api.js';
import { ChatClientError } from './chat-client-error.js';

async function rejection(promise: Promise<unknown>): Promise<ChatClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChatClientError) return error;
    throw error;
  }
  throw new Error('expected a ChatClientError');
}

describe('ChatApi against a real server', () => {
  let server: TestServer;
  let api: ChatApi;

  beforeAll(async () => {
    server = await startTestServer({ paceMs: 0 });
    api = new ChatApi({ baseUrl: server.url });
  });
  afterAll(() => server.close());

  it('sends a prompt, lists the conversation and reads its timeline', async () => {
    const started = await api.chat({ convId: 'api-1', prompt: 'hello', idempotencyKey: 'api-1-k1' });
    expect(started).toMatchObject({ status: 'started', conv_id: 'api-1', idempotency_key: 'api-1-k1' });
    await server.server.manager.get('api-1')?.whenIdle();
    await server.server.services.pipeline.flushed();
    const snapshot = await api.timeline('api-1');
    expect(snapshot.entities?.map((entity) => entity.message?.role)).toEqual(['user', 'assistant']);
    const since = await api.timeline('api-1', { sinceVersion: Number(snapshot.version) });
    expect(since.entities ?? []).toEqual([]);
    const list = await api.conversations({ limit: 10 });
    expect(list.items.map((item) => item.conv_id)).toContain('api-1');
    const replay = await api.chat({ convId: 'api-1', prompt: 'hello', idempotencyKey: 'api-1-k1' });
    expect(replay).toMatchObject({ status: 'completed', turn_id: started.turn_id });
  });

  it('reads and selects profiles', async () => {
    const profiles = await api.profiles();
    expect(profiles).toEqual([expect.objectContaining({ slug: 'default', offline: true })]);
    expect(await api.currentProfile()).toEqual({ slug: 'default', profile: '' });
    expect(await api.selectProfile('default')).toEqual({ slug: 'default', profile: '' });
  });

  it('turns JSON error bodies into ChatClientErrors with status and code', async () => {
    const unknownProfile = await rejection(
      api.chat({ convId: 'api-2', prompt: 'x', idempotencyKey: 'api-2-k1', profile: 'nope' }),
    );
    expect(unknownProfile).toMatchObject({ name: 'ChatClientError', status: 404, code: 'unknown_profile' });
    expect(unknownProfile.isRetryable).toBe(false);
    await api.chat({ convId: 'api-2', prompt: 'first', idempotencyKey: 'api-2-k2' });
    const conflict = await rejection(api.chat({ convId: 'api-2', prompt: 'second', idempotencyKey: 'api-2-k2' }));
    expect(conflict).toMatchObject({ status: 422, code: 'idempotency_conflict' });
    const stop = await rejection(api.stop('never-seen'));
    expect(stop).toMatchObject({ status: 404, code: 'unknown_conversation' });
    const select = await rejection(api.selectProfile('nope'));
    expect(select).toMatchObject({ status: 404, code: 'unknown_profile' });
  });

  it('sends the bearer token when the server requires one', async () => {
    const guarded = await startTestServer({ authToken: 'secret' });
    try {
      const denied = await rejection(new ChatApi({ baseUrl: guarded.url }).profiles());
      expect(denied).toMatchObject({ status: 401, code: 'unauthorized' });
      const allowed = new ChatApi({ baseUrl: guarded.url, authToken: 'secret' });
      expect(await allowed.profiles()).toHaveLength(1);
      expect(allowed.webSocketUrl('c 1', 'default')).toBe(
        `${guarded.wsUrl}?conv_id=c+1&profile=default&access_token=secret`,
      );
    } finally {
      await guarded.close();
    }
  });
});

describe('ChatApi failure modes', () => {
  function apiWith(fetch: FetchLike, requestTimeoutMs?: number): ChatApi {
    return new ChatApi({
      baseUrl: 'https://chat.test/root/',
      fetch,
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    });
  }

  it('builds URLs under the root, with ws(s) for the socket', () => {
    const api = apiWith(async () => new Response('{}'));
    expect(api.webSocketUrl('c1')).toBe('wss://chat.test/root/ws?conv_id=c1');
    expect(() => new ChatApi({ baseUrl: 'ftp://chat.test/' })).toThrow(TypeError);
  });

  it('reports a missing response as a retryable network error', async () => {
    const error = await rejection(
      apiWith(async () => {
        throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
      }).profiles(),
    );
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.isRetryable).toBe(true);
  });

  it('reports an error status without a JSON error body as http_error', async () => {
    const error = await rejection(
      apiWith(async () => new Response('<html>Bad Gateway</html>', { status: 502 })).profiles(),
    );
    expect(error).toMatchObject({ code: 'http_error', status: 502 });
    expect(error.isRetryable).toBe(true);
  });

  it('rejects bodies that do not match the protocol schema', async () => {
    const notJson = await rejection(apiWith(async () => new Response('ok')).profiles());
    expect(notJson).toMatchObject({ code: 'invalid_response', status: 200 });
    const wrongShape = await rejection(
      apiWith(async () => new Response(JSON.stringify({ status: 'started' }))).chat({
        convId: 'c1',
        prompt: 'x',
        idempotencyKey: 'k',
      }),
    );
    expect(wrongShape.code).toBe('invalid_response');
    expect(wrongShape.message).toContain('conv_id');
  });

  it('times out and distinguishes a timeout from a caller abort', async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const timeout = await rejection(apiWith(hang, 20).profiles());
    expect(timeout).toMatchObject({ code: 'timeout' });
    expect(timeout.isRetryable).toBe(true);
    const controller = new AbortController();
    const pending = apiWith(hang).timeline('c1', {}, controller.signal);
    controller.abort();
    expect(await rejection(pending)).toMatchObject({ code: 'aborted' });
  });
});
