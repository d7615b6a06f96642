// The per-conversation send queue and idempotency over real HTTP: one inference at a time, FIFO,
// queue positions, replays whose status follows the record, concurrent duplicates, the three key
// sources, the key length limit, and records that survive a restart.
import { describe, expect, it } from 'vitest';
import {
  createGate,
  displayOrder,
  errorCode,
  fetchTimeline,
  getJson,
  type HttpResult,
  postJson,
  routeProfiles,
  settle,
  waitIdle,
  waitUntil,
  withServer,
} from '../testing/integration-helpers.js';
import { startTestServer, type TestServer } from '../testing/start-test-server.js';
import { openTestSocket } from '../testing/test-socket.js';

const options = { profiles: routeProfiles(), debugApi: true };

/** User prompts and assistant answers of a conversation, in display order. */
async function transcript(server: TestServer, convId: string): Promise<{ role: string; content: string }[]> {
  await waitIdle(server.url, convId);
  return displayOrder((await fetchTimeline(server.url, convId)).entities)
    .filter((entity) => entity.kind === 'message')
    .map((entity) => ({ role: entity.message?.role ?? '', content: entity.message?.content ?? '' }));
}

function users(lines: { role: string; content: string }[]): string[] {
  return lines.filter((line) => line.role === 'user').map((line) => line.content);
}

function replay(server: TestServer, convId: string, prompt: string, key: string): Promise<HttpResult> {
  return postJson(server.url, '/chat', { conv_id: convId, prompt }, { 'idempotency-key': key });
}

describe.concurrent('send queue', () => {
  it('runs one inference at a time and queued prompts in arrival order', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=fifo`);
      expect((await postJson(server.url, '/chat', { conv_id: 'fifo', prompt: 'hold start' })).status).toBe(200);
      const prompts = ['p1', 'p2', 'p3', 'p4', 'p5'];
      for (const [index, prompt] of prompts.entries()) {
        const queued = await postJson(server.url, '/chat', { conv_id: 'fifo', prompt });
        expect(queued.status).toBe(202);
        expect(queued.body).toMatchObject({ status: 'queued', queue_position: index + 1, queue_depth: index + 1 });
      }
      gate.open();
      const lines = await transcript(server, 'fifo');
      expect(users(lines)).toEqual(['hold start', ...prompts]);
      expect(lines.filter((line) => line.role === 'assistant').map((line) => line.content)).toEqual([
        'held: hold start',
        ...prompts.map((prompt) => `default answers: ${prompt}`),
      ]);
      await settle(socket);
      // On the wire: each answer starts only after the previous one ended.
      const lifecycle = socket.events
        .filter((event) => event.type === 'llm.start' || event.type === 'llm.final')
        .map((event) => event.type);
      expect(lifecycle).toEqual(Array.from({ length: 6 }, () => ['llm.start', 'llm.final']).flat());
      socket.close();
    });
  });

  it('numbers concurrent arrivals 1..n and runs them in that order', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'burst', prompt: 'hold start' })).status).toBe(200);
      const prompts = Array.from({ length: 10 }, (_, index) => `burst ${index}`);
      const responses = await Promise.all(
        prompts.map((prompt) => postJson(server.url, '/chat', { conv_id: 'burst', prompt })),
      );
      expect(responses.map((response) => response.status)).toEqual(prompts.map(() => 202));
      const positions = responses.map((response) => response.body.queue_position as number);
      expect([...positions].sort((a, b) => a - b)).toEqual(prompts.map((_, index) => index + 1));
      for (const response of responses) expect(response.body.queue_depth).toBe(response.body.queue_position);
      const byPosition = prompts
        .map((prompt, index) => ({ prompt, position: positions[index] ?? 0 }))
        .sort((a, b) => a.position - b.position)
        .map((entry) => entry.prompt);
      gate.open();
      expect(users(await transcript(server, 'burst'))).toEqual(['hold start', ...byPosition]);
    });
  });

  it('keeps draining after a failed inference', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'drain', prompt: 'hold' })).status).toBe(200);
      const failing = await postJson(server.url, '/chat', { conv_id: 'drain', prompt: '/fail please' });
      expect(failing.status).toBe(202);
      expect((await postJson(server.url, '/chat', { conv_id: 'drain', prompt: 'after' })).status).toBe(202);
      gate.open();
      const lines = await transcript(server, 'drain');
      expect(users(lines)).toEqual(['hold', '/fail please', 'after']);
      expect(lines.at(-1)).toEqual({ role: 'assistant', content: 'default answers: after' });
      const entities = (await fetchTimeline(server.url, 'drain')).entities ?? [];
      expect(entities.filter((entity) => entity.kind === 'error')).toHaveLength(1);
      const replayed = await replay(server, 'drain', '/fail please', failing.body.idempotency_key);
      expect(replayed.status).toBe(200);
      expect(replayed.body.status).toBe('error');
      expect(replayed.text).not.toContain('requested failure');
    });
  });
});

describe.concurrent('idempotency', () => {
  it('replays the stored response; its status and code follow the record (queued → started → completed)', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      const first = await replay(server, 'rp', 'hold first', 'rp-1');
      expect(first.status).toBe(200);
      const queued = await replay(server, 'rp', 'hold second', 'rp-2');
      expect(queued.status).toBe(202);

      const whileQueued = await replay(server, 'rp', 'hold second', 'rp-2');
      expect(whileQueued.status).toBe(202);
      expect(whileQueued.body).toEqual(queued.body);
      const firstWhileRunning = await replay(server, 'rp', 'hold first', 'rp-1');
      expect(firstWhileRunning.status).toBe(200);
      expect(firstWhileRunning.body).toEqual(first.body);

      // Let the first through; the second starts and waits at the gate in turn.
      await waitUntil(() => gate.waiting === 1, 5000, 'the first prompt at the gate');
      gate.release();
      await waitUntil(
        async () =>
          gate.waiting === 1 && (await replay(server, 'rp', 'hold first', 'rp-1')).body.status === 'completed',
        5000,
        'the second prompt at the gate',
      );
      const started = await replay(server, 'rp', 'hold second', 'rp-2');
      expect(started.status).toBe(200);
      expect(started.body).toEqual({
        status: 'started',
        conv_id: 'rp',
        session_id: first.body.session_id,
        idempotency_key: 'rp-2',
        turn_id: expect.any(String),
        inference_id: expect.any(String),
      });
      gate.release();
      await waitIdle(server.url, 'rp');
      const completed = await replay(server, 'rp', 'hold second', 'rp-2');
      expect(completed.status).toBe(200);
      expect(completed.body).toEqual({ ...started.body, status: 'completed' });
      const firstCompleted = await replay(server, 'rp', 'hold first', 'rp-1');
      expect(firstCompleted.body).toEqual({ ...first.body, status: 'completed' });
      expect(await transcript(server, 'rp')).toEqual([
        { role: 'user', content: 'hold first' },
        { role: 'assistant', content: 'held: hold first' },
        { role: 'user', content: 'hold second' },
        { role: 'assistant', content: 'held: hold second' },
      ]);
    });
  });

  it('runs exactly one inference for 10 identical requests sent at once', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => replay(server, 'dup', 'hello once', 'dup-key')),
      );
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
      const bodies = responses.map((response) => response.body);
      expect(new Set(bodies.map((body) => body.turn_id)).size).toBe(1);
      expect(new Set(bodies.map((body) => body.inference_id)).size).toBe(1);
      expect(bodies.every((body) => body.conv_id === 'dup' && body.idempotency_key === 'dup-key')).toBe(true);
      expect(await transcript(server, 'dup')).toEqual([
        { role: 'user', content: 'hello once' },
        { role: 'assistant', content: 'default answers: hello once' },
      ]);
      const starts = await getJson(server.url, '/api/debug/events?conv_id=dup&type=llm.start');
      expect(starts.body.items).toHaveLength(1);
      const turns = await getJson(server.url, '/turns?conv_id=dup&phase=pre_inference');
      expect(turns.body.items).toHaveLength(1);

      // The same while queued: one queue entry, every duplicate answered 202 with the same position.
      expect((await postJson(server.url, '/chat', { conv_id: 'dupq', prompt: 'hold' })).status).toBe(200);
      const queued = await Promise.all(Array.from({ length: 10 }, () => replay(server, 'dupq', 'later', 'dupq-key')));
      expect(queued.map((response) => response.status)).toEqual(queued.map(() => 202));
      expect(queued.every((response) => response.body.queue_position === 1)).toBe(true);
      const list = (await getJson(server.url, '/api/conversations')).body.items as {
        conv_id: string;
        queue_depth: number;
      }[];
      expect(list.find((item) => item.conv_id === 'dupq')?.queue_depth).toBe(1);
      gate.open();
      expect(users(await transcript(server, 'dupq'))).toEqual(['hold', 'later']);
    });
  });

  it('reads the key from Idempotency-Key, then X-Idempotency-Key, then the body (trimmed)', async () => {
    await withServer(options, async (server) => {
      const sources: { headers: Record<string, string>; body: Record<string, string>; key: string }[] = [
        { headers: { 'idempotency-key': ' h-1 ' }, body: {}, key: 'h-1' },
        { headers: { 'x-idempotency-key': 'x-1' }, body: {}, key: 'x-1' },
        { headers: {}, body: { idempotency_key: ' b-1' }, key: 'b-1' },
        {
          headers: { 'idempotency-key': 'h-2', 'x-idempotency-key': 'x-2' },
          body: { idempotency_key: 'b-2' },
          key: 'h-2',
        },
        { headers: { 'x-idempotency-key': 'x-3' }, body: { idempotency_key: 'b-3' }, key: 'x-3' },
      ];
      for (const [index, source] of sources.entries()) {
        const convId = `src-${index}`;
        const body = { conv_id: convId, prompt: 'keyed', ...source.body };
        const first = await postJson(server.url, '/chat', body, source.headers);
        expect(first.status).toBe(200);
        expect(first.body.idempotency_key).toBe(source.key);
        await waitIdle(server.url, convId);
        const again = await postJson(server.url, '/chat', body, source.headers);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ...first.body, status: 'completed' });
        // The same key from the main header replays too.
        const viaHeader = await postJson(
          server.url,
          '/chat',
          { conv_id: convId, prompt: 'keyed' },
          { 'idempotency-key': source.key },
        );
        expect(viaHeader.status).toBe(200);
        expect(viaHeader.body.turn_id).toBe(first.body.turn_id);
        expect(users(await transcript(server, convId))).toEqual(['keyed']);
      }
      // Without any key every request is new.
      const a = await postJson(server.url, '/chat', { conv_id: 'nokey', prompt: 'same' });
      await waitIdle(server.url, 'nokey');
      const b = await postJson(server.url, '/chat', { conv_id: 'nokey', prompt: 'same' });
      expect(a.body.idempotency_key).not.toBe(b.body.idempotency_key);
      expect(users(await transcript(server, 'nokey'))).toEqual(['same', 'same']);
    });
  });

  it('rejects keys longer than 255 characters with 400', async () => {
    await withServer(options, async (server) => {
      const long = 'k'.repeat(256);
      for (const [headers, body] of [
        [{ 'idempotency-key': long }, {}],
        [{ 'x-idempotency-key': long }, {}],
        [{}, { idempotency_key: long }],
      ] as [Record<string, string>, Record<string, string>][]) {
        const response = await postJson(server.url, '/chat', { conv_id: 'long', prompt: 'x', ...body }, headers);
        expect(response.status).toBe(400);
        expect(['invalid_parameter', 'bad_request']).toContain(errorCode(response));
      }
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
      const exact = await postJson(
        server.url,
        '/chat',
        { conv_id: 'long', prompt: 'x' },
        { 'idempotency-key': 'k'.repeat(255) },
      );
      expect(exact.status).toBe(200);
      expect(exact.body.idempotency_key).toHaveLength(255);
      await waitIdle(server.url, 'long');
    });
  });

  it('keeps records across a restart: completed keys replay, queued prompts still run', async () => {
    // A short grace period: the held inference is cut by the shutdown, the queued prompt waits.
    const gate = createGate();
    const first = await startTestServer({ ...options, shutdownGraceMs: 20, tools: () => [gate.tool] });
    let second: TestServer | undefined;
    try {
      const done = await replay(first, 'persist', 'hello', 'persist-1');
      await waitIdle(first.url, 'persist');
      expect((await replay(first, 'persist', 'hold', 'persist-2')).status).toBe(200);
      const queued = await replay(first, 'persist', 'queued across', 'persist-3');
      expect(queued.status).toBe(202);
      const before = await fetchTimeline(first.url, 'persist');
      await first.close();

      second = await startTestServer({ ...options, databasePath: first.databasePath });
      const retry = await replay(second, 'persist', 'hello', 'persist-1');
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ...done.body, status: 'completed' });
      const conflict = await replay(second, 'persist', 'hello?', 'persist-1');
      expect(conflict.status).toBe(422);
      // The inference cut short by the shutdown is marked; the queued prompt resumed by itself.
      const cut = await replay(second, 'persist', 'hold', 'persist-2');
      expect(cut.status).toBe(200);
      expect(cut.body.status).toBe('interrupted');
      const lines = await transcript(second, 'persist');
      expect(users(lines)).toEqual(['hello', 'hold', 'queued across']);
      expect(lines.at(-1)).toEqual({ role: 'assistant', content: 'default answers: queued across' });
      const resumed = await replay(second, 'persist', 'queued across', 'persist-3');
      expect(resumed.body).toMatchObject({ status: 'completed', session_id: done.body.session_id });
      expect((before.entities ?? []).length).toBeGreaterThan(0);
    } finally {
      await first.close();
      await second?.close();
    }
  });
});
