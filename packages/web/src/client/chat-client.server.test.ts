import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from './chat-api.js';
import { assistantTexts, serverEntities, waitForConvergence, waitUntil } from './testing/convergence.js';
import {
  connected,
  createServerFixture,
  expectOnlyPrefixes,
  idle,
  recordAssistantTexts,
} from './testing/server-fixture.js';

// The client against a real server (scripted engine, SQLite in a temp file) on 127.0.0.1: hydration,
// streaming, several clients, sending. Reconnection scenarios are in timeline-sync.server.test.ts.

const fixture = createServerFixture();
afterEach(() => fixture.dispose());

describe('ChatClient with a real server', () => {
  it('hydrates an existing conversation', async () => {
    const server = await fixture.startServer();
    const seed = fixture.createClient(server, 'existing');
    await seed.send('hello there');
    await idle(server, 'existing');
    const client = await connected(fixture.createClient(server, 'existing'));
    const entities = await waitForConvergence(client);
    expect(entities.map((entity) => [entity.kind, entity.message?.role])).toEqual([
      ['message', 'user'],
      ['message', 'assistant'],
    ]);
    expect(entities[0]?.message?.content).toBe('hello there');
    const snapshot = await client.api.timeline('existing');
    expect(client.lastSeq).toBe(Number(snapshot.version));
    await waitUntil(() => client.profile === 'default', 'profile from ws.hello');
  });

  it('streams a long answer into the timeline', async () => {
    const server = await fixture.startServer();
    const client = await connected(fixture.createClient(server, 'stream'));
    const seen = recordAssistantTexts(client);
    const response = await client.send('/long');
    expect(response).toMatchObject({ status: 'started', conv_id: 'stream' });
    await idle(server, 'stream');
    const entities = await waitForConvergence(client);
    const [answer] = assistantTexts(entities);
    expect(answer).toContain('## Section 12');
    expect(entities.find((entity) => entity.message?.role === 'assistant')?.message?.streaming).toBeUndefined();
    const distinct = new Set(seen.map((texts) => texts[0]).filter((text) => text !== undefined));
    expect(distinct.size).toBeGreaterThan(10);
    expectOnlyPrefixes(seen, assistantTexts(entities));
  });

  it('gives two clients of one conversation identical timelines, equal to /timeline', async () => {
    const server = await fixture.startServer();
    const first = await connected(fixture.createClient(server, 'pair'));
    const second = await connected(fixture.createClient(server, 'pair'));
    await first.send('what is 12 * (3 + 4)?');
    await idle(server, 'pair');
    await second.send('/think why is the sky blue');
    await idle(server, 'pair');
    const entities = await waitForConvergence(first);
    await waitForConvergence(second);
    expect(second.getSnapshot().entities).toEqual(first.getSnapshot().entities);
    expect(entities.map((entity) => entity.kind)).toEqual(
      expect.arrayContaining(['message', 'tool_call', 'tool_result']),
    );
    expect(entities.some((entity) => entity.message?.role === 'thinking')).toBe(true);
  });

  it('converges when it connects in the middle of a stream', async () => {
    const server = await fixture.startServer();
    const first = await connected(fixture.createClient(server, 'late'));
    await first.send('/long');
    await waitUntil(() => (assistantTexts(first.getSnapshot().entities)[0]?.length ?? 0) > 300, 'answer under way');
    const late = fixture.createClient(server, 'late');
    const seen = recordAssistantTexts(late);
    await connected(late);
    // Hydrated mid-answer: the text so far is there (the stored copy of a streaming message may lag
    // the live one by the 250 ms delta-write throttle, so not necessarily all 300 characters yet).
    expect(assistantTexts(late.getSnapshot().entities)[0]?.length ?? 0).toBeGreaterThan(0);
    await idle(server, 'late');
    const entities = await waitForConvergence(late);
    await waitForConvergence(first);
    expectOnlyPrefixes(seen, assistantTexts(entities));
  });

  it('retries a send whose response was lost with the same key: exactly one user message', async () => {
    const server = await fixture.startServer();
    const keys: (string | null)[] = [];
    let failures = 1;
    const flakyFetch: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (!url.includes('/chat')) return response;
      keys.push(new Headers(init.headers).get('idempotency-key'));
      if (failures-- <= 0) return response;
      // The server has handled the request; only its answer is lost.
      await response.text();
      throw new TypeError('fetch failed: connection reset after the request was sent');
    };
    const client = await connected(fixture.createClient(server, 'retry', { fetch: flakyFetch }));
    const response = await client.send('say it once');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(response.idempotency_key).toBe(keys[0]);
    await idle(server, 'retry');
    const entities = await waitForConvergence(client);
    expect(
      entities.filter((entity) => entity.message?.role === 'user').map((entity) => entity.message?.content),
    ).toEqual(['say it once']);
    expect(assistantTexts(entities)).toHaveLength(1);
  });

  it('throws a ChatClientError with the server code, without retrying', async () => {
    const server = await fixture.startServer();
    let calls = 0;
    const countingFetch: FetchLike = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    const client = fixture.createClient(server, 'errors', { fetch: countingFetch });
    await expect(client.send('hi', { profile: 'nope' })).rejects.toMatchObject({
      name: 'ChatClientError',
      status: 404,
      code: 'unknown_profile',
    });
    expect(calls).toBe(1);
    await expect(client.stop()).rejects.toMatchObject({ status: 404, code: 'unknown_conversation' });
  });

  it('shows queued prompts until their user message appears', async () => {
    const server = await fixture.startServer();
    const client = await connected(fixture.createClient(server, 'queue'));
    await client.send('/long');
    const queued = await client.send('next, please');
    expect(queued).toMatchObject({ status: 'queued', queue_position: 1 });
    expect(client.pending).toEqual([
      expect.objectContaining({ prompt: 'next, please', position: 1, idempotencyKey: queued.idempotency_key }),
    ]);
    expect(client.getSnapshot().pending).toBe(client.pending);
    await idle(server, 'queue');
    const entities = await waitForConvergence(client);
    expect(client.pending).toEqual([]);
    expect(entities.filter((entity) => entity.message?.role === 'user')).toHaveLength(2);
  });

  it('stops reconnecting when the server refuses the join', async () => {
    const server = await fixture.startServer();
    const client = fixture.createClient(server, 'refused', { profile: 'nope' });
    client.connect();
    await waitUntil(() => client.state === 'closed', 'closed after the refusal');
    expect(client.getSnapshot().issues).toEqual([
      expect.objectContaining({ type: 'join-refused', message: 'profile not found: nope' }),
    ]);
  });

  it('authenticates the socket and the API with the token', async () => {
    const server = await fixture.startServer({ authToken: 'secret' });
    const client = await connected(fixture.createClient(server, 'auth', { authToken: 'secret' }));
    await client.send('hello');
    await idle(server, 'auth');
    const entities = await waitForConvergence(client);
    expect(entities).toHaveLength(2);
    expect(isDeepStrictEqual(await serverEntities(client.api, 'auth'), entities)).toBe(true);
  });
});
