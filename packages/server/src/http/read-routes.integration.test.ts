// GET /timeline, GET /turns, GET /api/conversations, GET /healthz, 404/405 answers and mounting under
// a root, over real HTTP.
import { describe, expect, it } from 'vitest';
import {
  createGate,
  errorCode,
  fetchTimeline,
  getJson,
  http,
  legacySessionField,
  postJson,
  routeProfiles,
  upgradeStatus,
  waitIdle,
  withServer,
} from '../testing/integration-helpers.js';
import type { TestServer } from '../testing/start-test-server.js';
import { openTestSocket } from '../testing/test-socket.js';

const options = { profiles: routeProfiles(), debugApi: true };

/** Sends prompts one after the other, each answered before the next. */
async function converse(server: TestServer, convId: string, prompts: string[]): Promise<void> {
  for (const prompt of prompts) {
    expect((await postJson(server.url, '/chat', { conv_id: convId, prompt })).status).toBe(200);
    await waitIdle(server.url, convId);
  }
}

/** Entity id → version, from the debug API (the /timeline body has no per-entity version). */
async function versions(server: TestServer, convId: string): Promise<Map<string, number>> {
  const debug = await getJson(server.url, `/api/debug/timeline?conv_id=${convId}`);
  return new Map(
    (debug.body.items as { version: number; entity: { id: string } }[]).map((item) => [item.entity.id, item.version]),
  );
}

describe.concurrent('GET /timeline', () => {
  it('answers 400 without conv_id and 200 with no entities for an unknown conversation', async () => {
    await withServer(options, async (server) => {
      for (const query of ['', '?conv_id=', '?conv_id=%20%20', '?since_version=3']) {
        const response = await getJson(server.url, `/timeline${query}`);
        expect(response.status, query).toBe(400);
        expect(errorCode(response)).toBe('missing_parameter');
      }
      const unknown = await getJson(server.url, '/timeline?conv_id=never-seen');
      expect(unknown.status).toBe(200);
      expect(unknown.body.convId).toBe('never-seen');
      expect(unknown.body.entities ?? []).toEqual([]);
      expect(unknown.body.version).toBeUndefined();
      expect(unknown.body.serverTimeMs).toMatch(/^\d+$/);
      const post = await http(`${server.url}/timeline?conv_id=x`, { method: 'DELETE' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    });
  });

  it('returns entities strictly newer than since_version, with the conversation version', async () => {
    await withServer(options, async (server) => {
      await converse(server, 'tl', ['one', 'two', 'three']);
      const full = await fetchTimeline(server.url, 'tl');
      expect(full.entities).toHaveLength(6);
      expect(full.version).toMatch(/^\d+$/);
      for (const entity of full.entities ?? []) {
        expect(entity.createdAtMs).toMatch(/^\d+$/);
        expect(entity.updatedAtMs).toMatch(/^\d+$/);
      }
      const byId = await versions(server, 'tl');
      const all = [...byId.values()].sort((a, b) => a - b);
      expect(String(all.at(-1))).toBe(full.version);
      // Full snapshot order: version ascending.
      expect((full.entities ?? []).map((entity) => byId.get(entity.id))).toEqual(all);
      for (const since of [0, ...all]) {
        const snapshot = await fetchTimeline(server.url, 'tl', `&since_version=${since}`);
        const expected = [...byId].filter(([, version]) => version > since).map(([id]) => id);
        expect((snapshot.entities ?? []).map((entity) => entity.id).sort(), `since ${since}`).toEqual(expected.sort());
        expect(snapshot.version).toBe(full.version);
      }
    });
  });

  it('parses since_version leniently and honours limit', async () => {
    await withServer(options, async (server) => {
      await converse(server, 'lenient', ['one', 'two']);
      const byId = await versions(server, 'lenient');
      const sorted = [...byId].sort((a, b) => a[1] - b[1]);
      const second = sorted[1]?.[1] ?? 0;
      const ids = (query: string) =>
        fetchTimeline(server.url, 'lenient', query).then((snapshot) => (snapshot.entities ?? []).map((e) => e.id));
      const everything = await ids('');
      expect(everything).toHaveLength(4);
      for (const garbage of ['abc', '-5', '', '%20', '-1abc']) {
        expect(await ids(`&since_version=${garbage}`), garbage).toEqual(everything);
      }
      expect(await ids(`&since_version=${second}abc`)).toEqual(await ids(`&since_version=${second}`));
      expect(await ids(`&since_version=${second}`)).toHaveLength(2);
      expect(await ids('&since_version=99999999999999999999999')).toEqual([]);
      expect(await ids('&limit=1')).toEqual([sorted[0]?.[0]]);
      expect(await ids(`&limit=1&since_version=${second}`)).toEqual([sorted[2]?.[0]]);
      for (const limit of ['0', '-3', 'abc', '2.5']) expect(await ids(`&limit=${limit}`), limit).toEqual(everything);
    });
  });
});

describe.concurrent('GET /turns', () => {
  it('needs conv_id or session_id; the legacy session field is not read', async () => {
    await withServer(options, async (server) => {
      await converse(server, 'turns', ['hello']);
      for (const query of ['', `?${legacySessionField}=anything`, '?phase=final', '?conv_id=%20']) {
        const response = await getJson(server.url, `/turns${query}`);
        expect(response.status, query).toBe(400);
        expect(errorCode(response)).toBe('missing_parameter');
        expect(response.body.error.message).toBe('missing conv_id or session_id');
      }
      const withRunId = await getJson(server.url, `/turns?conv_id=turns&${legacySessionField}=not-a-session`);
      expect(withRunId.status).toBe(200);
      expect(withRunId.body.session_id).toBe('');
      expect(withRunId.body.items.length).toBeGreaterThan(0);
      expect(withRunId.text).not.toContain(legacySessionField);
    });
  });

  it('filters by conversation, session and phase, newest first, since_ms inclusive, limit', async () => {
    await withServer(options, async (server) => {
      await converse(server, 'ta', ['alpha one', 'alpha two']);
      await converse(server, 'tb', ['beta one']);
      const all = await getJson(server.url, '/turns?conv_id=ta');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ conv_id: 'ta', session_id: '', phase: '', since_ms: 0 });
      const items = all.body.items as {
        conv_id: string;
        session_id: string;
        turn_id: string;
        phase: string;
        created_at_ms: number;
        payload: string;
      }[];
      // Two inferences without tools: pre_inference, post_inference and final each.
      expect(items).toHaveLength(6);
      expect(new Set(items.map((item) => item.conv_id))).toEqual(new Set(['ta']));
      expect(items.map((item) => item.phase).sort()).toEqual([
        'final',
        'final',
        'post_inference',
        'post_inference',
        'pre_inference',
        'pre_inference',
      ]);
      const times = items.map((item) => item.created_at_ms);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(items[0]?.payload).toContain('alpha two');

      const sessionId = items[0]?.session_id ?? '';
      const bySession = await getJson(server.url, `/turns?session_id=${sessionId}`);
      expect(bySession.body.items).toHaveLength(6);
      expect(bySession.body.conv_id).toBe('');
      expect(bySession.body.session_id).toBe(sessionId);

      const phase = await getJson(server.url, '/turns?conv_id=ta&phase=pre_inference');
      expect(phase.body.phase).toBe('pre_inference');
      expect((phase.body.items as { phase: string }[]).map((item) => item.phase)).toEqual([
        'pre_inference',
        'pre_inference',
      ]);
      const otherSession = await getJson(server.url, `/turns?conv_id=tb&session_id=${sessionId}`);
      expect(otherSession.body.items).toEqual([]);

      const oldest = Math.min(...times);
      const inclusive = await getJson(server.url, `/turns?conv_id=ta&since_ms=${oldest}`);
      expect(inclusive.body.since_ms).toBe(oldest);
      expect(inclusive.body.items).toHaveLength(6);
      const exclusive = await getJson(server.url, `/turns?conv_id=ta&since_ms=${oldest + 1}`);
      expect(exclusive.body.items).toHaveLength(times.filter((time) => time >= oldest + 1).length);
      expect(exclusive.body.items.length).toBeLessThan(6);
      const negative = await getJson(server.url, '/turns?conv_id=ta&since_ms=-5');
      expect(negative.body.items).toHaveLength(6);
      const garbage = await getJson(server.url, '/turns?conv_id=ta&since_ms=soon');
      expect(garbage.status).toBe(400);
      expect(errorCode(garbage)).toBe('invalid_parameter');

      const limited = await getJson(server.url, '/turns?conv_id=ta&limit=2');
      expect(limited.body.items).toEqual(items.slice(0, 2));
      expect((await getJson(server.url, '/turns?conv_id=ta&limit=zero')).body.items).toHaveLength(6);
      expect((await getJson(server.url, '/turns?conv_id=none')).body.items).toEqual([]);
    });
  });
});

describe.concurrent('other read routes', () => {
  it('lists conversations with their state, most recently active first', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      expect((await getJson(server.url, '/api/conversations')).body).toEqual({ items: [] });
      await converse(server, 'first', ['the first conversation']);
      expect((await postJson(server.url, '/chat/other', { conv_id: 'second', prompt: 'hold' })).status).toBe(200);
      expect((await postJson(server.url, '/chat', { conv_id: 'second', prompt: 'queued' })).status).toBe(202);
      const busy = await getJson(server.url, '/api/conversations');
      expect(busy.body.items.map((item: { conv_id: string }) => item.conv_id)).toEqual(['second', 'first']);
      expect(busy.body.items[0]).toMatchObject({
        conv_id: 'second',
        profile: 'other',
        running: true,
        queue_depth: 1,
        title: 'hold',
      });
      expect(busy.body.items[1]).toEqual({
        conv_id: 'first',
        profile: 'default',
        session_id: expect.any(String),
        created_at_ms: expect.any(Number),
        last_activity_ms: expect.any(Number),
        last_seq: expect.any(Number),
        running: false,
        queue_depth: 0,
        title: 'the first conversation',
      });
      gate.open();
      await waitIdle(server.url, 'second');
      const limited = await getJson(server.url, '/api/conversations?limit=1');
      expect(limited.body.items).toHaveLength(1);
      const post = await postJson(server.url, '/api/conversations', {});
      expect(post.status).toBe(405);
    });
  });

  it('answers /healthz, 404 JSON for unknown paths and 405 with Allow for wrong methods', async () => {
    await withServer(options, async (server) => {
      const health = await getJson(server.url, '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });
      for (const path of ['/nope', '/api/nope', '/api/chat', `/${'runs'}`, '/hydrate?conv_id=x', '/timelinex']) {
        const response = await getJson(server.url, path);
        expect(response.status, path).toBe(404);
        expect(errorCode(response)).toBe('not_found');
      }
      const postUnknown = await postJson(server.url, '/api/nope', {});
      expect(postUnknown.status).toBe(404);
      const cases: [string, string, string][] = [
        ['GET', '/chat', 'POST'],
        ['PUT', '/chat/other', 'POST'],
        ['DELETE', '/timeline', 'GET, HEAD'],
        ['POST', '/turns', 'GET, HEAD'],
        ['PATCH', '/api/conversations', 'GET, HEAD'],
        ['DELETE', '/api/chat/profile', 'GET, POST, HEAD'],
        ['GET', '/api/chat/stop', 'POST'],
      ];
      for (const [method, path, allow] of cases) {
        const response = await http(`${server.url}${path}`, {
          method,
          ...(method === 'GET' ? {} : { json: {} }),
        });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
        expect(errorCode(response)).toBe('method_not_allowed');
      }
    });
  });

  it('mounts everything under a root and redirects the bare root with 308', async () => {
    await withServer({ ...options, root: '/app/' }, async (server) => {
      const origin = new URL(server.url).origin;
      expect(server.url).toBe(`${origin}/app`);
      expect(server.wsUrl).toBe(`${origin.replace('http', 'ws')}/app/ws`);
      const bare = await http(`${origin}/app`, { redirect: 'manual' });
      expect(bare.status).toBe(308);
      expect(bare.headers.get('location')).toBe('/app/');
      for (const path of ['/chat', '/timeline?conv_id=x', '/healthz', '/api/chat/profiles']) {
        expect((await getJson(origin, path)).status, path).toBe(404);
      }
      expect(await upgradeStatus(`${origin}/ws?conv_id=m`)).toBe(404);

      const socket = await openTestSocket(`${server.wsUrl}?conv_id=m`);
      expect((await postJson(server.url, '/chat', { conv_id: 'm', prompt: 'mounted' })).status).toBe(200);
      await socket.waitFor((event) => event.type === 'llm.final');
      await waitIdle(server.url, 'm');
      expect((await fetchTimeline(server.url, 'm')).entities).toHaveLength(2);
      expect((await getJson(server.url, '/healthz')).status).toBe(200);
      expect((await getJson(server.url, '/turns?conv_id=m')).body.items.length).toBeGreaterThan(0);
      expect((await getJson(server.url, '/api/chat/profiles')).status).toBe(200);
      expect((await getJson(server.url, '/api/chat/profile')).body.slug).toBe('default');
      expect((await postJson(server.url, '/api/chat/stop', { conv_id: 'm' })).body.stopped).toBe(false);
      const notFound = await getJson(server.url, '/nope');
      expect(notFound.status).toBe(404);
      errorCode(notFound);
      socket.close();
    });
  });
});
