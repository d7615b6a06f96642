// Bearer-token auth and the Origin check, on HTTP routes and on the WebSocket upgrade.
import { describe, expect, it } from 'vitest';
import {
  errorCode,
  getJson,
  http,
  postJson,
  routeProfiles,
  upgradeStatus,
  waitIdle,
  withServer,
} from '../testing/integration-helpers.js';

const token = 'sekrit-token';
const evil = 'http://evil.example';
const allowed = 'http://allowed.example';

describe.concurrent('bearer-token auth', () => {
  it('guards every API route with 401 unless the right token is presented; /healthz stays open', async () => {
    await withServer({ profiles: routeProfiles(), authToken: token, debugApi: true }, async (server) => {
      const routes: { method: string; path: string; json?: unknown }[] = [
        { method: 'POST', path: '/chat', json: { conv_id: 'a', prompt: 'hi' } },
        { method: 'POST', path: '/chat/other', json: { conv_id: 'b', prompt: 'hi' } },
        { method: 'POST', path: '/api/chat/stop', json: { conv_id: 'a' } },
        { method: 'POST', path: '/api/chat/profile', json: { slug: 'other' } },
        { method: 'GET', path: '/api/chat/profile' },
        { method: 'GET', path: '/api/chat/profiles' },
        { method: 'GET', path: '/api/conversations' },
        { method: 'GET', path: '/timeline?conv_id=a' },
        { method: 'GET', path: '/turns?conv_id=a' },
        { method: 'GET', path: '/api/debug/conversations' },
        { method: 'GET', path: '/api/debug/events?conv_id=a' },
      ];
      const refusals: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: token },
        { authorization: 'Basic x' },
      ];
      for (const route of routes) {
        for (const headers of refusals) {
          const response = await http(`${server.url}${route.path}`, {
            method: route.method,
            ...(route.json === undefined ? {} : { json: route.json }),
            headers,
          });
          expect(response.status, `${route.method} ${route.path} ${JSON.stringify(headers)}`).toBe(401);
          expect(errorCode(response)).toBe('unauthorized');
        }
      }
      expect((await getJson(server.url, '/healthz')).status).toBe(200);
      // Nothing was created by the refused requests.
      const auth = { authorization: `Bearer ${token}` };
      expect((await getJson(server.url, '/api/conversations', auth)).body.items).toEqual([]);
      for (const route of routes) {
        const response = await http(`${server.url}${route.path}`, {
          method: route.method,
          ...(route.json === undefined ? {} : { json: route.json }),
          headers: route.path === '/api/chat/stop' ? auth : { authorization: `bearer ${token}` },
        });
        expect(response.status, `${route.method} ${route.path}`).toBeLessThan(300);
      }
    });
  });

  it('guards the WebSocket upgrade with 401; the token may come as access_token', async () => {
    await withServer({ profiles: routeProfiles(), authToken: token }, async (server) => {
      const url = `${server.wsUrl}?conv_id=w`;
      expect(await upgradeStatus(url)).toBe(401);
      expect(await upgradeStatus(url, { authorization: 'Bearer wrong' })).toBe(401);
      expect(await upgradeStatus(`${url}&access_token=wrong`)).toBe(401);
      expect(await upgradeStatus(url, { authorization: `Bearer ${token}` })).toBe(101);
      expect(await upgradeStatus(`${url}&access_token=${token}`)).toBe(101);
    });
  });
});

describe.concurrent('origin check', () => {
  it('refuses cross-origin state-changing requests with 403 and lets same-origin and origin-less ones pass', async () => {
    await withServer({ profiles: routeProfiles(), debugApi: true }, async (server) => {
      const own = new URL(server.url).origin;
      const posts: [string, unknown][] = [
        ['/chat', { conv_id: 'o', prompt: 'hi' }],
        ['/chat/other', { conv_id: 'o', prompt: 'hi' }],
        ['/api/chat/profile', { slug: 'other' }],
        ['/api/chat/stop', { conv_id: 'o' }],
        ['/api/debug/step/enable', { session_id: 's1' }],
        ['/api/debug/step/disable', { session_id: 's1' }],
        ['/api/debug/continue', { pause_id: 'p1' }],
      ];
      for (const [path, body] of posts) {
        for (const origin of [evil, 'null', `${own}.evil.example`, 'http://127.0.0.1:1']) {
          const response = await postJson(server.url, path, body, { origin });
          expect(response.status, `${path} from ${origin}`).toBe(403);
          expect(errorCode(response)).toBe('forbidden');
        }
      }
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
      // Reads are not state-changing.
      expect((await getJson(server.url, '/timeline?conv_id=o', { origin: evil })).status).toBe(200);

      const same = await postJson(server.url, '/chat', { conv_id: 'o', prompt: 'hi' }, { origin: own });
      expect(same.status).toBe(200);
      await waitIdle(server.url, 'o');
      const none = await postJson(server.url, '/chat', { conv_id: 'o', prompt: 'again' });
      expect(none.status).toBe(200);
      await waitIdle(server.url, 'o');
      expect((await postJson(server.url, '/api/chat/profile', { slug: 'other' }, { origin: own })).status).toBe(200);
    });
  });

  it('lets allow-listed origins through on HTTP and WebSocket', async () => {
    await withServer({ profiles: routeProfiles(), allowedOrigins: [allowed] }, async (server) => {
      const ok = await postJson(server.url, '/chat', { conv_id: 'al', prompt: 'hi' }, { origin: allowed });
      expect(ok.status).toBe(200);
      await waitIdle(server.url, 'al');
      expect((await postJson(server.url, '/chat', { conv_id: 'al', prompt: 'x' }, { origin: evil })).status).toBe(403);
      const url = `${server.wsUrl}?conv_id=al`;
      expect(await upgradeStatus(url, { origin: allowed })).toBe(101);
      expect(await upgradeStatus(url, { origin: evil })).toBe(403);
    });
  });

  it('checks the Origin of the WebSocket upgrade', async () => {
    await withServer({ profiles: routeProfiles() }, async (server) => {
      const own = new URL(server.url).origin;
      const url = `${server.wsUrl}?conv_id=wo`;
      expect(await upgradeStatus(url, { origin: evil })).toBe(403);
      expect(await upgradeStatus(url, { origin: 'null' })).toBe(403);
      expect(await upgradeStatus(url, { origin: own })).toBe(101);
      expect(await upgradeStatus(url)).toBe(101);
    });
  });

  it('allows every origin with "*"', async () => {
    await withServer({ profiles: routeProfiles(), allowedOrigins: ['*'] }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'star', prompt: 'hi' }, { origin: evil })).status).toBe(
        200,
      );
      expect(await upgradeStatus(`${server.wsUrl}?conv_id=star`, { origin: evil })).toBe(101);
      await waitIdle(server.url, 'star');
    });
  });
});
