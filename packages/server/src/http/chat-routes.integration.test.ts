// POST /chat, POST /chat/{profile}, POST /api/chat/stop and the profile routes over real HTTP: every
// status code of the contract, with JSON error bodies.
import { type Engine, ScriptedEngine } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../profiles/profile.js';
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
  waitUntil,
  withServer,
} from '../testing/integration-helpers.js';
import { openTestSocket } from '../testing/test-socket.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const options = { profiles: routeProfiles() };

/** The answer texts of a conversation's assistant messages, in display order. */
async function answers(url: string, convId: string): Promise<string[]> {
  await waitIdle(url, convId);
  const snapshot = await fetchTimeline(url, convId);
  return (snapshot.entities ?? [])
    .filter((entity) => entity.message?.role === 'assistant')
    .sort((a, b) => Number(a.createdVersion) - Number(b.createdVersion))
    .map((entity) => entity.message?.content ?? '');
}

describe.concurrent('POST /chat', () => {
  it('starts an inference: 200 with the started response, no legacy session field', async () => {
    await withServer(options, async (server) => {
      const response = await postJson(server.url, '/chat', { conv_id: ' c1 ', prompt: 'hello' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        status: 'started',
        conv_id: 'c1',
        session_id: expect.stringMatching(uuid),
        idempotency_key: expect.stringMatching(uuid),
        turn_id: expect.any(String),
        inference_id: expect.any(String),
      });
      expect(response.text).not.toContain(legacySessionField);
      expect(await answers(server.url, 'c1')).toEqual(['default answers: hello']);
    });
  });

  it('generates a conv_id when none is given and accepts `text` as an alias of `prompt`', async () => {
    await withServer(options, async (server) => {
      const response = await postJson(server.url, '/chat', { text: 'from text' });
      expect(response.status).toBe(200);
      expect(response.body.conv_id).toMatch(uuid);
      expect(await answers(server.url, response.body.conv_id)).toEqual(['default answers: from text']);
      const both = await postJson(server.url, '/chat', { prompt: 'from prompt', text: 'ignored', conv_id: 'alias' });
      expect(both.status).toBe(200);
      expect(await answers(server.url, 'alias')).toEqual(['default answers: from prompt']);
    });
  });

  it('accepts and ignores a legacy session field; no response carries one', async () => {
    await withServer(options, async (server) => {
      const response = await postJson(server.url, '/chat', {
        conv_id: 'legacy',
        prompt: 'hi',
        [legacySessionField]: 'run-1',
      });
      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty(legacySessionField);
      expect(response.text).not.toContain(legacySessionField);
      const queued = await postJson(server.url, '/chat', {
        conv_id: 'legacy',
        prompt: 'slow',
        [legacySessionField]: 'run-2',
      });
      expect([200, 202]).toContain(queued.status);
      expect(queued.text).not.toContain(legacySessionField);
      await waitIdle(server.url, 'legacy');
      for (const path of ['/api/conversations', '/timeline?conv_id=legacy', '/turns?conv_id=legacy']) {
        expect((await getJson(server.url, path)).text).not.toContain(legacySessionField);
      }
    });
  });

  it('queues behind a running inference: 202 with queue_position and queue_depth', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      const first = await postJson(server.url, '/chat', { conv_id: 'q', prompt: 'hold one' });
      expect(first.status).toBe(200);
      const second = await postJson(server.url, '/chat', { conv_id: 'q', prompt: 'second' });
      const third = await postJson(server.url, '/chat', { conv_id: 'q', prompt: 'third' });
      expect(second.status).toBe(202);
      expect(second.body).toEqual({
        status: 'queued',
        conv_id: 'q',
        session_id: first.body.session_id,
        idempotency_key: expect.stringMatching(uuid),
        queue_position: 1,
        queue_depth: 1,
      });
      expect(third.status).toBe(202);
      expect(third.body).toMatchObject({ status: 'queued', queue_position: 2, queue_depth: 2 });
      expect(third.text).not.toContain(legacySessionField);
      gate.open();
      expect(await answers(server.url, 'q')).toEqual([
        'held: hold one',
        'default answers: second',
        'default answers: third',
      ]);
    });
  });

  it('rejects bodies that are not JSON objects of the right shape with 400', async () => {
    await withServer(options, async (server) => {
      const cases: { raw: string; code: string }[] = [
        { raw: '{bad json', code: 'invalid_json' },
        { raw: '', code: 'invalid_json' },
        { raw: 'null', code: 'bad_request' },
        { raw: '[]', code: 'bad_request' },
        { raw: '"prompt"', code: 'bad_request' },
        { raw: '{"prompt": 5}', code: 'bad_request' },
        { raw: '{"prompt": "x", "conv_id": 7}', code: 'bad_request' },
        { raw: '{"text": true}', code: 'bad_request' },
        { raw: '{"prompt": "x", "overrides": "tools"}', code: 'bad_request' },
        { raw: '{"prompt": "x", "overrides": [1]}', code: 'bad_request' },
        { raw: '{"prompt": "x", "idempotency_key": 3}', code: 'bad_request' },
      ];
      for (const { raw, code } of cases) {
        const response = await http(`${server.url}/chat`, {
          method: 'POST',
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status, raw).toBe(400);
        expect(errorCode(response), raw).toBe(code);
      }
      const badOverrides = await postJson(server.url, '/chat', { prompt: 'x', overrides: { tools: 'calculator' } });
      expect(badOverrides.status).toBe(400);
      expect(errorCode(badOverrides)).toBe('invalid_parameter');
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
    });
  });

  it('rejects an oversized body and an oversized prompt with 413', async () => {
    await withServer({ ...options, bodyLimitBytes: 4096, maxPromptChars: 100 }, async (server) => {
      const body = await postJson(server.url, '/chat', { conv_id: 'big', prompt: 'x'.repeat(5000) });
      expect(body.status).toBe(413);
      expect(errorCode(body)).toBe('payload_too_large');
      for (const field of ['prompt', 'text']) {
        const prompt = await postJson(server.url, '/chat', { conv_id: 'big', [field]: 'y'.repeat(101) });
        expect(prompt.status).toBe(413);
        expect(errorCode(prompt)).toBe('payload_too_large');
      }
      const atLimit = await postJson(server.url, '/chat', { conv_id: 'big', prompt: 'z'.repeat(100) });
      expect(atLimit.status).toBe(200);
      await waitIdle(server.url, 'big');
    });
  });

  it('rejects non-JSON content types with 415', async () => {
    await withServer(options, async (server) => {
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const response = await http(`${server.url}/chat`, {
          method: 'POST',
          raw: 'prompt=hello',
          headers: { 'content-type': contentType },
        });
        expect(response.status, contentType).toBe(415);
        expect(errorCode(response)).toBe('unsupported_media_type');
      }
      const none = await http(`${server.url}/chat`, { method: 'POST' });
      expect(none.status).toBe(415);
      const charset = await http(`${server.url}/chat`, {
        method: 'POST',
        raw: '{"prompt":"hi","conv_id":"cs"}',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(charset.status).toBe(200);
      await waitIdle(server.url, 'cs');
    });
  });

  it('answers 404 for an unknown profile named by the path or by the cookie', async () => {
    await withServer(options, async (server) => {
      const byPath = await postJson(server.url, '/chat/nope', { conv_id: 'p', prompt: 'hi' });
      expect(byPath.status).toBe(404);
      expect(errorCode(byPath)).toBe('unknown_profile');
      const byCookie = await postJson(
        server.url,
        '/chat',
        { conv_id: 'p', prompt: 'hi' },
        { cookie: 'chat_profile=gone' },
      );
      expect(byCookie.status).toBe(404);
      expect(errorCode(byCookie)).toBe('unknown_profile');
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
    });
  });

  it('routes POST /chat/{profile} to that profile, which then sticks to the conversation', async () => {
    await withServer(options, async (server) => {
      expect((await postJson(server.url, '/chat/other', { conv_id: 'pp', prompt: 'one' })).status).toBe(200);
      await waitIdle(server.url, 'pp');
      // The live conversation's profile beats the cookie.
      const cookie = { cookie: 'chat_profile=locked' };
      expect((await postJson(server.url, '/chat', { conv_id: 'pp', prompt: 'two' }, cookie)).status).toBe(200);
      await waitIdle(server.url, 'pp');
      // A path segment beats everything; extra segments are ignored.
      expect((await postJson(server.url, '/chat/locked/extra', { conv_id: 'pp', prompt: 'three' })).status).toBe(200);
      expect(await answers(server.url, 'pp')).toEqual([
        'other answers: one',
        'other answers: two',
        'locked answers: three',
      ]);
      // The cookie picks the profile of a new conversation.
      expect((await postJson(server.url, '/chat', { conv_id: 'ck', prompt: 'four' }, cookie)).status).toBe(200);
      expect(await answers(server.url, 'ck')).toEqual(['locked answers: four']);
      const list = (await getJson(server.url, '/api/conversations')).body.items as {
        conv_id: string;
        profile: string;
      }[];
      expect(list.find((item) => item.conv_id === 'ck')?.profile).toBe('locked');
    });
  });

  it('answers 403 to overrides on a profile that disallows them, and applies them where allowed', async () => {
    await withServer(options, async (server) => {
      for (const overrides of [{ system_prompt: 'be evil' }, { tools: [] }, { middlewares: [] }]) {
        const response = await postJson(server.url, '/chat/locked', { conv_id: 'o', prompt: 'hi', overrides });
        expect(response.status).toBe(403);
        expect(errorCode(response)).toBe('forbidden');
      }
      // Runtime options are not engine overrides.
      const stepOff = await postJson(server.url, '/chat/locked', {
        conv_id: 'o',
        prompt: 'hi',
        overrides: { step_mode: false },
      });
      expect(stepOff.status).toBe(200);
      await waitIdle(server.url, 'o');
      const allowed = await postJson(server.url, '/chat/other', {
        conv_id: 'o2',
        prompt: 'hi',
        overrides: { system_prompt: 'Custom system prompt.' },
      });
      expect(allowed.status).toBe(200);
      await waitIdle(server.url, 'o2');
      const turns = await getJson(server.url, '/turns?conv_id=o2&phase=final');
      expect(turns.body.items[0].payload).toContain('Custom system prompt.');
      expect(turns.body.items[0].payload).not.toContain('You are the other one.');
    });
  });

  it('answers 422 when an idempotency key is reused with a different request', async () => {
    await withServer(options, async (server) => {
      const headers = { 'idempotency-key': 'key-422' };
      const first = await postJson(server.url, '/chat', { conv_id: 'i', prompt: 'hello' }, headers);
      expect(first.status).toBe(200);
      for (const body of [
        { conv_id: 'i', prompt: 'hello!' },
        { conv_id: 'other-conv', prompt: 'hello' },
        { conv_id: 'i', prompt: 'hello', overrides: { system_prompt: 'x' } },
      ]) {
        const reused = await postJson(server.url, '/chat', body, headers);
        expect(reused.status, JSON.stringify(body)).toBe(422);
        expect(errorCode(reused)).toBe('idempotency_conflict');
      }
      const otherProfile = await postJson(server.url, '/chat/other', { conv_id: 'i', prompt: 'hello' }, headers);
      expect(otherProfile.status).toBe(422);
      const same = await postJson(server.url, '/chat', { conv_id: 'i', prompt: 'hello' }, headers);
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ conv_id: 'i', idempotency_key: 'key-422', turn_id: first.body.turn_id });
      expect(await answers(server.url, 'i')).toEqual(['default answers: hello']);
    });
  });

  it('replays a retry without conv_id into the original conversation, creating no other', async () => {
    await withServer(options, async (server) => {
      const headers = { 'idempotency-key': 'no-conv' };
      const first = await postJson(server.url, '/chat', { prompt: 'hello' }, headers);
      expect(first.status).toBe(200);
      await waitIdle(server.url, first.body.conv_id);
      const retry = await postJson(server.url, '/chat', { prompt: 'hello' }, headers);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ status: 'completed', conv_id: first.body.conv_id });
      const items = (await getJson(server.url, '/api/conversations')).body.items as { conv_id: string }[];
      expect(items.map((item) => item.conv_id)).toEqual([first.body.conv_id]);
    });
  });

  it('answers 429 when the queue of a conversation is full, without blocking other conversations', async () => {
    const gate = createGate();
    await withServer({ ...options, maxQueueDepth: 2, tools: () => [gate.tool] }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'full', prompt: 'hold' })).status).toBe(200);
      expect((await postJson(server.url, '/chat', { conv_id: 'full', prompt: 'a' })).status).toBe(202);
      expect((await postJson(server.url, '/chat', { conv_id: 'full', prompt: 'b' })).status).toBe(202);
      const refused = await postJson(server.url, '/chat', { conv_id: 'full', prompt: 'c' });
      expect(refused.status).toBe(429);
      expect(errorCode(refused)).toBe('queue_full');
      expect((await postJson(server.url, '/chat', { conv_id: 'free', prompt: 'd' })).status).toBe(200);
      gate.open();
      expect(await answers(server.url, 'full')).toEqual(['held: hold', 'default answers: a', 'default answers: b']);
      expect((await postJson(server.url, '/chat', { conv_id: 'full', prompt: 'e' })).status).toBe(200);
      await waitIdle(server.url, 'full');
    });
  });

  it('answers 500 when an inference cannot start, shows the error, and keeps the conversation usable', async () => {
    const createEngine = (profile: Profile): Engine => {
      if (profile.slug === 'other') throw new Error('engine exploded');
      return new ScriptedEngine({ paceMs: 1, ...(profile.script ? { script: profile.script } : {}) });
    };
    await withServer({ ...options, createEngine }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=broken`);
      const headers = { 'idempotency-key': 'broken-1' };
      const failed = await postJson(server.url, '/chat/other', { conv_id: 'broken', prompt: 'hi' }, headers);
      expect(failed.status).toBe(500);
      expect(errorCode(failed)).toBe('internal_error');
      expect(failed.body.error.message).toContain('engine exploded');
      const frame = await socket.waitFor((event) => event.type === 'error');
      expect(frame.type === 'error' && frame.data.message).toBe('engine exploded');
      expect(frame.type === 'error' && frame.data.inferenceId).toBeUndefined();
      // A replay reports the stored outcome; the error text stays private.
      const replayed = await postJson(server.url, '/chat/other', { conv_id: 'broken', prompt: 'hi' }, headers);
      expect(replayed.status).toBe(200);
      expect(replayed.body.status).toBe('error');
      expect(replayed.text).not.toContain('exploded');

      const unknownMiddleware = await postJson(server.url, '/chat', {
        conv_id: 'broken',
        prompt: 'hi',
        overrides: { middlewares: [{ name: 'no-such-middleware' }] },
      });
      expect(unknownMiddleware.status).toBe(500);
      expect(unknownMiddleware.body.error.message).toContain('unknown middleware: no-such-middleware');

      const next = await postJson(server.url, '/chat/default', { conv_id: 'broken', prompt: 'still there?' });
      expect(next.status).toBe(200);
      expect(await answers(server.url, 'broken')).toEqual(['default answers: still there?']);
      const entities = (await fetchTimeline(server.url, 'broken')).entities ?? [];
      expect(entities.filter((entity) => entity.kind === 'error')).toHaveLength(2);
      socket.close();
    });
  });

  it('answers 503 to new work while shutting down', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'busy', prompt: 'hold' })).status).toBe(200);
      await waitUntil(() => gate.waiting === 1, 5000, 'the held inference');
      const closing = server.close();
      const refused = await postJson(server.url, '/chat', { conv_id: 'new', prompt: 'hi' });
      expect(refused.status).toBe(503);
      expect(errorCode(refused)).toBe('unavailable');
      const queued = await postJson(server.url, '/chat', { conv_id: 'busy', prompt: 'hi' });
      expect(queued.status).toBe(503);
      expect((await getJson(server.url, '/healthz')).status).toBe(503);
      expect(await upgradeStatus(`${server.wsUrl}?conv_id=busy`)).toBe(503);
      // Shutdown waits for the running inference, which then finishes normally.
      gate.open();
      await closing;
    });
  });
});

describe.concurrent('POST /api/chat/stop', () => {
  it('answers 404 for an unknown conversation and 400 without conv_id', async () => {
    await withServer(options, async (server) => {
      const unknown = await postJson(server.url, '/api/chat/stop', { conv_id: 'never' });
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown)).toBe('unknown_conversation');
      for (const body of [{}, { conv_id: '' }, { conv_id: 3 }]) {
        const bad = await postJson(server.url, '/api/chat/stop', body);
        expect(bad.status).toBe(400);
        errorCode(bad);
      }
      const method = await getJson(server.url, '/api/chat/stop');
      expect(method.status).toBe(405);
      expect(method.headers.get('allow')).toBe('POST');
    });
  });

  it('says stopped true for a running inference and false for an idle conversation', async () => {
    const gate = createGate();
    await withServer({ ...options, tools: () => [gate.tool] }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=s`);
      const started = await postJson(server.url, '/chat', { conv_id: 's', prompt: 'hold' });
      await waitUntil(() => gate.waiting === 1, 5000, 'the held inference');
      const stop = await postJson(server.url, '/api/chat/stop', { conv_id: 's' });
      expect(stop.status).toBe(200);
      expect(stop.body).toEqual({ conv_id: 's', stopped: true, inference_id: started.body.inference_id });
      await waitIdle(server.url, 's');
      const idle = await postJson(server.url, '/api/chat/stop', { conv_id: 's' });
      expect(idle.body).toEqual({ conv_id: 's', stopped: false });
      // The stopped request's record says so.
      const replay = await postJson(
        server.url,
        '/chat',
        { conv_id: 's', prompt: 'hold' },
        { 'idempotency-key': started.body.idempotency_key },
      );
      expect(replay.status).toBe(200);
      expect(replay.body.status).toBe('interrupted');
      socket.close();
    });
  });
});

describe.concurrent('profile routes', () => {
  it('lists the profiles, default first', async () => {
    await withServer(options, async (server) => {
      const response = await getJson(server.url, '/api/chat/profiles');
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          slug: 'default',
          default_prompt: 'You are a test assistant.',
          provider: 'scripted',
          model: 'scripted-demo',
          offline: true,
          available: true,
        },
        expect.objectContaining({ slug: 'locked' }),
        expect.objectContaining({ slug: 'other', default_prompt: 'You are the other one.' }),
      ]);
      const post = await postJson(server.url, '/api/chat/profiles', {});
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    });
  });

  it('reads the current profile from the chat_profile cookie with a default fallback', async () => {
    await withServer(options, async (server) => {
      expect((await getJson(server.url, '/api/chat/profile')).body).toEqual({ slug: 'default', profile: '' });
      const cookie = await getJson(server.url, '/api/chat/profile', { cookie: 'a=b; chat_profile=other' });
      expect(cookie.body).toEqual({ slug: 'other', profile: '' });
      const stale = await getJson(server.url, '/api/chat/profile', { cookie: 'chat_profile=gone' });
      expect(stale.body).toEqual({ slug: 'default', profile: '' });
    });
  });

  it('selects a profile with POST and sets the cookie; 400 and 404 on bad input', async () => {
    await withServer(options, async (server) => {
      const selected = await postJson(server.url, '/api/chat/profile', { slug: 'other' });
      expect(selected.status).toBe(200);
      expect(selected.body).toEqual({ slug: 'other', profile: '' });
      expect(selected.headers.get('set-cookie')).toBe('chat_profile=other; Path=/; SameSite=Lax');
      const byProfile = await postJson(server.url, '/api/chat/profile', { profile: 'locked' });
      expect(byProfile.body).toEqual({ slug: 'locked', profile: '' });
      const slugWins = await postJson(server.url, '/api/chat/profile', { slug: 'nope', profile: 'other' });
      expect(slugWins.status).toBe(404);
      expect(errorCode(slugWins)).toBe('unknown_profile');
      expect(slugWins.headers.get('set-cookie')).toBeNull();
      for (const body of [{}, { slug: '  ' }]) {
        const missing = await postJson(server.url, '/api/chat/profile', body);
        expect(missing.status).toBe(400);
        expect(errorCode(missing)).toBe('missing_parameter');
      }
      const bad = await http(`${server.url}/api/chat/profile`, {
        method: 'POST',
        raw: '{nope',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      const wrongType = await postJson(server.url, '/api/chat/profile', { slug: 5 });
      expect(wrongType.status).toBe(400);
      const put = await http(`${server.url}/api/chat/profile`, { method: 'PUT', json: { slug: 'other' } });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, POST, HEAD');

      // The cookie it set then picks the profile of a new conversation.
      const cookie = (selected.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect((await postJson(server.url, '/chat', { conv_id: 'ck', prompt: 'x' }, { cookie })).status).toBe(200);
      expect(await answers(server.url, 'ck')).toEqual(['other answers: x']);
    });
  });
});
