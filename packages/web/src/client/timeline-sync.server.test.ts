import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FetchLike } from './chat-api.js';
import type { ConnectionState } from './chat-client-snapshot.js';
import { createSeededRandom } from './seeded-random.js';
import { assistantTexts, waitForConvergence, waitUntil } from './testing/convergence.js';
import {
  connected,
  createServerFixture,
  expectOnlyPrefixes,
  idle,
  recordAssistantTexts,
} from './testing/server-fixture.js';
import { createTrackingWebSocket } from './testing/tracking-web-socket.js';

// Reconnection against a real server: forced drops at seeded points, an outage, frames that arrive
// during hydration, a server restart. After each, the client must equal /timeline exactly.

const fixture = createServerFixture();
afterEach(() => fixture.dispose());

describe('TimelineSync with a real server', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'loses and duplicates nothing when the socket drops at random points (seed %i)',
    async (seed) => {
      // A 4 ms commit window instead of the default 16: /long then streams about 1,000 frames, so the
      // seeded drop points below land mid-stream.
      const server = await fixture.startServer({ commitWindowMs: 4 });
      const random = createSeededRandom(seed);
      const tracking = createTrackingWebSocket();
      const convId = `drops-${seed}`;
      const client = fixture.createClient(server, convId, {
        WebSocket: tracking.WebSocket,
        reconnect: { initialDelayMs: 5, maxDelayMs: 50, random },
      });
      await connected(client);
      // Three drops at seeded frame counts while /long streams (about 1,000 frames): half cut the TCP
      // connection from the client side, half close every socket from the server side.
      const dropAt = new Set(Array.from({ length: 3 }, () => 5 + Math.floor(random() * 600)));
      const fromServer = random() < 0.5;
      const drops: number[] = [];
      tracking.onFrame = (count) => {
        if (!dropAt.has(count)) return;
        drops.push(count);
        if (fromServer) server.server.hub.closeAll(1012, 'test drop');
        else tracking.terminateLatest();
      };
      const states: ConnectionState[] = [];
      client.subscribe(() => states.push(client.state));
      const seen = recordAssistantTexts(client);
      await client.send('/long');
      await idle(server, convId);
      const entities = await waitForConvergence(client);
      expect(drops.length).toBeGreaterThan(0);
      expect(tracking.sockets.length).toBeGreaterThan(1);
      expect(states).toContain('reconnecting');
      const [answer = ''] = assistantTexts(entities);
      expect(answer.match(/## Section 1\n/g)).toHaveLength(1);
      expect(answer).toContain('## Section 12');
      expectOnlyPrefixes(seen, assistantTexts(entities));
    },
  );

  it('catches up on whole answers that happened while it was disconnected', async () => {
    const server = await fixture.startServer();
    let isOffline = false;
    const sockets: WebSocket[] = [];
    // While "offline", every connection goes to a port where nothing listens.
    class FlakyWebSocket extends WebSocket {
      constructor(url: string) {
        super(isOffline ? 'ws://127.0.0.1:9/ws' : url);
        sockets.push(this);
      }
    }
    const client = await connected(fixture.createClient(server, 'outage', { WebSocket: FlakyWebSocket }));
    await client.send('before the outage');
    await idle(server, 'outage');
    await waitForConvergence(client);
    isOffline = true;
    sockets.at(-1)?.terminate();
    await waitUntil(() => client.getSnapshot().reconnectAttempt >= 2, 'failed reconnection attempts');
    await client.send('during the outage');
    await idle(server, 'outage');
    expect(client.state).toBe('reconnecting');
    isOffline = false;
    const entities = await waitForConvergence(client);
    expect(
      entities.filter((entity) => entity.message?.role === 'user').map((entity) => entity.message?.content),
    ).toEqual(['before the outage', 'during the outage']);
    expect(assistantTexts(entities)).toHaveLength(2);
  });

  it('replays the frames that arrive while the snapshot is on its way', async () => {
    const server = await fixture.startServer();
    let snapshotWasPartial = false;
    let isFirstSnapshot = true;
    const slowSnapshot: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      // Only the client's hydration asks for a `limit`; the test's own /timeline polls do not.
      if (!url.includes('/timeline?') || !url.includes('limit=') || !isFirstSnapshot) return response;
      isFirstSnapshot = false;
      const body = await response.clone().json();
      snapshotWasPartial = JSON.stringify(body).includes('"streaming":true');
      // The server has taken the snapshot; hold it back until the answer has ended and its last
      // frames have reached the client's socket (the end of an entity heals what came before it).
      await idle(server, 'in-flight');
      await new Promise((resolve) => setTimeout(resolve, 200));
      return response;
    };
    const client = fixture.createClient(server, 'in-flight', { fetch: slowSnapshot });
    await client.api.chat({ convId: 'in-flight', prompt: '/long', idempotencyKey: 'in-flight-1' });
    client.connect();
    const entities = await waitForConvergence(client);
    expect(snapshotWasPartial).toBe(true);
    expect(assistantTexts(entities)[0]).toContain('## Section 12');
  });

  it('reconnects with backoff across a server restart on the same port and database', async () => {
    const first = await fixture.startServer({ shutdownGraceMs: 0 });
    const port = Number(new URL(first.url).port);
    const client = fixture.createClient(first, 'restart');
    await connected(client);
    await client.send('/long');
    await waitUntil(() => (assistantTexts(client.getSnapshot().entities)[0]?.length ?? 0) > 200, 'answer under way');
    await first.close();
    await waitUntil(() => client.getSnapshot().reconnectAttempt >= 2, 'reconnection attempts while down');
    expect(client.state).toBe('reconnecting');
    const seqBefore = client.lastSeq;

    const second = await fixture.startServer({ databasePath: first.databasePath, port });
    await waitUntil(() => client.state === 'live', 'live again');
    await waitForConvergence(client);
    expect(client.getSnapshot().reconnectAttempt).toBe(0);
    await client.send('and after the restart?');
    await idle(second, 'restart');
    const entities = await waitForConvergence(client);
    expect(client.lastSeq).toBeGreaterThan(seqBefore);
    const users = entities.filter((entity) => entity.message?.role === 'user').map((entity) => entity.message?.content);
    expect(users).toEqual(['/long', 'and after the restart?']);
    expect(assistantTexts(entities)).toHaveLength(2);
  });
});
