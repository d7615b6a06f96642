// The WebSocket endpoint over real sockets: ws.hello, the three ping forms, join errors, frame size
// limit, garbage frames.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  getJson,
  legacySessionField,
  postJson,
  settle,
  sleep,
  upgradeStatus,
  waitIdle,
  waitUntil,
  withServer,
} from '../testing/integration-helpers.js';
import { scriptedProfile } from '../testing/start-test-server.js';
import { openTestSocket } from '../testing/test-socket.js';

describe.concurrent('WebSocket endpoint', () => {
  it('greets with ws.hello carrying convId, profile and serverTime', async () => {
    await withServer({ profiles: [scriptedProfile('default'), scriptedProfile('other')] }, async (server) => {
      const before = Date.now();
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=hello-1`);
      const hello = await socket.waitFor((event) => event.type === 'ws.hello');
      expect(hello.type).toBe('ws.hello');
      if (hello.type !== 'ws.hello') return;
      const match = /^ws\.hello:hello-1:(\d+)$/.exec(hello.id);
      expect(match).not.toBeNull();
      expect(hello.seq).toBeUndefined();
      expect(hello.data).toEqual({ convId: 'hello-1', profile: 'default', serverTime: match?.[1] });
      expect(typeof hello.data.serverTime).toBe('string');
      expect(Number(hello.data.serverTime)).toBeGreaterThanOrEqual(before);
      expect(Number(hello.data.serverTime)).toBeLessThanOrEqual(Date.now());
      expect(socket.texts[0]).toBe(
        JSON.stringify({ sem: true, event: { type: 'ws.hello', id: hello.id, data: hello.data } }),
      );

      const byQuery = await openTestSocket(`${server.wsUrl}?conv_id=hello-2&profile=other`);
      const second = await byQuery.waitFor((event) => event.type === 'ws.hello');
      expect(second.type === 'ws.hello' && second.data.profile).toBe('other');
      const byCookie = await openTestSocket(`${server.wsUrl}?conv_id=hello-3`, { cookie: 'chat_profile=other' });
      const third = await byCookie.waitFor((event) => event.type === 'ws.hello');
      expect(third.type === 'ws.hello' && third.data.profile).toBe('other');
      for (const each of [socket, byQuery, byCookie]) each.close();
    });
  });

  it('answers every ping form with ws.pong to the pinging socket only', async () => {
    await withServer({}, async (server) => {
      const pinger = await openTestSocket(`${server.wsUrl}?conv_id=pings`);
      const other = await openTestSocket(`${server.wsUrl}?conv_id=pings`);
      const forms = [
        'ping',
        '  PING \n',
        '{"type":"ws.ping"}',
        '{"type":"WS.Ping","id":"x"}',
        '{"sem":true,"event":{"type":"ws.ping","id":"p1"}}',
        '{"sem":true,"event":{"type":"WS.PING"}}',
      ];
      const before = Date.now();
      for (const form of forms) pinger.socket.send(form);
      await waitUntil(
        () => pinger.events.filter((event) => event.type === 'ws.pong').length >= forms.length,
        5000,
        'the pongs',
      );
      const pongs = pinger.events.filter((event) => event.type === 'ws.pong');
      expect(pongs).toHaveLength(forms.length);
      for (const pong of pongs) {
        if (pong.type !== 'ws.pong') continue;
        expect(pong.id).toMatch(/^ws\.pong:pings:\d+$/);
        expect(pong.seq).toBeUndefined();
        expect(pong.data.convId).toBe('pings');
        expect(typeof pong.data.serverTime).toBe('string');
        expect(Number(pong.data.serverTime)).toBeGreaterThanOrEqual(before);
      }
      // The other socket got none of them: after its own ping it holds exactly one pong.
      await settle(other);
      await sleep(20);
      expect(other.events.filter((event) => event.type === 'ws.pong')).toHaveLength(1);
      expect(pinger.events.filter((event) => event.type === 'ws.pong')).toHaveLength(forms.length);
      pinger.close();
      other.close();
    });
  });

  it('refuses a join without conv_id with one error frame and close 1008', async () => {
    await withServer({}, async (server) => {
      for (const query of ['', '?conv_id=', '?conv_id=%20%20']) {
        const socket = await openTestSocket(`${server.wsUrl}${query}`);
        expect(await socket.closed).toBe(1008);
        expect(socket.texts).toHaveLength(1);
        expect(JSON.parse(socket.texts[0] ?? '')).toEqual({ error: 'missing conv_id' });
      }
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
    });
  });

  it('refuses a join with an unknown profile (query or cookie) with one error frame and close 1008', async () => {
    await withServer({}, async (server) => {
      const byQuery = await openTestSocket(`${server.wsUrl}?conv_id=c&profile=nope`);
      expect(await byQuery.closed).toBe(1008);
      expect(byQuery.texts.map((text) => JSON.parse(text))).toEqual([{ error: 'profile not found: nope' }]);
      const byCookie = await openTestSocket(`${server.wsUrl}?conv_id=c`, { cookie: 'chat_profile=gone' });
      expect(await byCookie.closed).toBe(1008);
      expect(byCookie.texts.map((text) => JSON.parse(text))).toEqual([{ error: 'profile not found: gone' }]);
      expect((await getJson(server.url, '/api/conversations')).body.items).toEqual([]);
    });
  });

  it('closes a socket that sends an oversized frame with 1009 and keeps serving the others', async () => {
    await withServer({ maxWsFrameBytes: 1024 }, async (server) => {
      const big = await openTestSocket(`${server.wsUrl}?conv_id=size`);
      const bystander = await openTestSocket(`${server.wsUrl}?conv_id=size`);
      const elsewhere = await openTestSocket(`${server.wsUrl}?conv_id=size-2`);
      big.socket.send('x'.repeat(1024)); // at the limit: accepted (and ignored)
      await settle(big);
      big.socket.send('x'.repeat(1025));
      expect(await big.closed).toBe(1009);

      await settle(bystander);
      await settle(elsewhere);
      const response = await postJson(server.url, '/chat', { conv_id: 'size', prompt: 'hello there' });
      expect(response.status).toBe(200);
      await bystander.waitFor((event) => event.type === 'llm.final');
      await waitIdle(server.url, 'size');
      expect((await getJson(server.url, '/healthz')).status).toBe(200);
      bystander.close();
      elsewhere.close();
    });
  });

  it('survives a bad frame that races the refusal of a join', async () => {
    await withServer({ maxWsFrameBytes: 1024 }, async (server) => {
      // The frame travels in the same TCP write as the upgrade request, so the server reads it while
      // it is still refusing the join (no conv_id): it must not become an unhandled 'error' event.
      const { port } = new URL(server.url);
      const oversized = Buffer.concat([
        Buffer.from([0x81, 0x80 | 126, 0x10, 0x00, 0, 0, 0, 0]),
        Buffer.alloc(4096, 0x79),
      ]);
      const raw = connect(Number(port), '127.0.0.1');
      const received: Buffer[] = [];
      raw.on('data', (chunk) => received.push(chunk));
      raw.on('error', () => undefined);
      await new Promise((resolve) => raw.once('connect', resolve));
      raw.write(
        Buffer.concat([
          Buffer.from(
            'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          ),
          oversized,
        ]),
      );
      await new Promise((resolve) => raw.once('close', resolve));
      expect(Buffer.concat(received).toString('latin1')).toContain('101 Switching Protocols');
      await sleep(20);
      expect((await getJson(server.url, '/healthz')).status).toBe(200);
      const next = await openTestSocket(`${server.wsUrl}?conv_id=after`);
      await settle(next);
      next.close();
    });
  });

  it('ignores garbage frames and keeps the socket open', async () => {
    await withServer({}, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=garbage`);
      for (const garbage of ['', '{', '{"type":', 'null', '[]', '42', '{"type":"chat","prompt":"hi"}', 'pingpong']) {
        socket.socket.send(garbage);
      }
      socket.socket.send(Buffer.from([0, 1, 2, 3, 255]), { binary: true });
      socket.socket.send(Buffer.from('ping'), { binary: true });
      await settle(socket);
      await sleep(20);
      expect(socket.socket.readyState).toBe(WebSocket.OPEN);
      // hello + the one pong of settle(): nothing answered the garbage (not even the binary "ping").
      expect(socket.events.map((event) => event.type)).toEqual(['ws.hello', 'ws.pong']);
      expect(socket.texts).toHaveLength(2);
      socket.close();
    });
  });

  it('answers upgrades on other paths with 404 and keeps the endpoint at {root}ws', async () => {
    await withServer({}, async (server) => {
      const base = server.wsUrl.replace(/\/ws$/, '');
      expect(await upgradeStatus(`${base}/wsx?conv_id=a`)).toBe(404);
      expect(await upgradeStatus(`${base}/chat?conv_id=a`)).toBe(404);
      expect(await upgradeStatus(`${server.wsUrl}?conv_id=a&${legacySessionField}=legacy`)).toBe(101);
    });
  });
});
