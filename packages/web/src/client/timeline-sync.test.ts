import { afterEach, describe, expect, it, vi } from 'vitest';
import { delta, emptySnapshot, goLive, json, settle, setupFakeClient } from './testing/fake-client.js';

// The connection state machine (driven through ChatClient) with a scripted WebSocket, a fake `fetch`
// and, for the delays, a fake clock.

afterEach(() => {
  vi.useRealTimers();
});

describe('TimelineSync handshake', () => {
  it('opens the socket at the root, hydrates from /timeline and then applies buffered frames in seq order', async () => {
    const context = setupFakeClient({ profile: 'fast' });
    let release: (response: Response) => void = () => undefined;
    context.setResponder(() => new Promise((resolve) => (release = resolve)));
    expect(context.client.state).toBe('idle');
    context.client.connect();
    expect(context.client.state).toBe('connecting');
    const socket = context.socket(0);
    expect(socket.url).toBe('ws://chat.test/app/ws?conv_id=c1&profile=fast');
    socket.open();
    expect(context.client.state).toBe('hydrating');
    expect(context.requests[0]?.url).toBe('http://chat.test/app/timeline?conv_id=c1&limit=100000');

    // Arrive before the snapshot, out of order; seq 4 is already in the snapshot.
    socket.receiveEvent(delta('m1', 4, 'Hel'));
    socket.receiveEvent(delta('m2', 6, 'Wor'));
    socket.receiveEvent({ type: 'llm.start', id: 'm2', seq: 5, data: { id: 'm2' } });
    socket.receiveEvent(delta('m1', 7, 'Hello'));
    await settle();
    expect(context.client.getSnapshot().entities).toEqual([]);

    release(
      json({
        convId: 'c1',
        version: '4',
        entities: [{ id: 'm1', kind: 'message', createdVersion: '2', message: { role: 'assistant', content: 'Hel' } }],
      }),
    );
    await settle();
    const snapshot = context.client.getSnapshot();
    expect(snapshot.state).toBe('live');
    expect(snapshot.lastSeq).toBe(7);
    expect(snapshot.entities.map((entity) => [entity.id, entity.createdVersion, entity.message?.content])).toEqual([
      ['m1', '2', 'Hello'],
      // Created by seq 5 (llm.start), not 6: the buffer was replayed in seq order.
      ['m2', '5', 'Wor'],
    ]);
  });

  it('reconnects with a full re-hydration that replaces the old state', async () => {
    const context = setupFakeClient({ reconnect: { initialDelayMs: 1, random: () => 0 } });
    context.client.connect();
    const first = await goLive(context);
    first.receiveEvent(delta('m1', 3, 'partial'));
    first.drop();
    expect(context.client.state).toBe('reconnecting');
    expect(context.client.getSnapshot().entities.map((entity) => entity.message?.content)).toEqual(['partial']);
    context.setResponder(async () =>
      json({
        convId: 'c1',
        version: '9',
        entities: [{ id: 'm1', kind: 'message', createdVersion: '3', message: { role: 'assistant', content: 'full' } }],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await goLive(context, 1);
    expect(context.client.getSnapshot().entities.map((entity) => entity.message?.content)).toEqual(['full']);
    expect(context.client.lastSeq).toBe(9);
    // A frame the snapshot already covers is ignored; a newer one applies.
    context.socket(1).receiveEvent(delta('m1', 8, 'stale'));
    context.socket(1).receiveEvent(delta('m1', 10, 'full and more'));
    await settle();
    expect(context.client.getSnapshot().entities.map((entity) => entity.message?.content)).toEqual(['full and more']);
  });
});

describe('TimelineSync reconnection (fake clock)', () => {
  it('backs off 250 ms × 2 up to 10 s and starts over after being live', async () => {
    vi.useFakeTimers();
    const context = setupFakeClient();
    context.client.connect();
    await goLive(context);
    context.socket(0).drop();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const snapshot = context.client.getSnapshot();
      expect(snapshot.state).toBe('reconnecting');
      expect(snapshot.reconnectAttempt).toBe(attempt);
      const delay = (snapshot.nextReconnectAtMs ?? 0) - Date.now();
      delays.push(delay);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(context.sockets).toHaveLength(attempt);
      await vi.advanceTimersByTimeAsync(1);
      expect(context.sockets).toHaveLength(attempt + 1);
      context.socket(attempt).drop();
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    await vi.advanceTimersByTimeAsync(10_000);
    await goLive(context, 9);
    expect(context.client.getSnapshot().reconnectAttempt).toBe(0);
    context.socket(9).drop();
    expect((context.client.getSnapshot().nextReconnectAtMs ?? 0) - Date.now()).toBe(250);
    // "Retry now" skips the wait.
    context.client.reconnectNow();
    expect(context.sockets).toHaveLength(11);
  });

  it('gives up on a hydration that takes longer than hydrateTimeoutMs and tries again', async () => {
    vi.useFakeTimers();
    const context = setupFakeClient({ hydrateTimeoutMs: 1000 });
    let signal: AbortSignal | null | undefined;
    context.setResponder((_url, init) => {
      signal = init.signal;
      return new Promise(() => undefined);
    });
    context.client.connect();
    context.socket(0).open();
    await vi.advanceTimersByTimeAsync(999);
    expect(context.client.state).toBe('hydrating');
    await vi.advanceTimersByTimeAsync(1);
    expect(context.client.state).toBe('reconnecting');
    expect(signal?.aborted).toBe(true);
    expect(context.socket(0).closedByClientWith).toBe(1000);
    expect(context.issues.map((issue) => issue.type)).toEqual(['connection-failed']);
  });

  it('reports a failed hydration with the server error code and reconnects', async () => {
    vi.useFakeTimers();
    const context = setupFakeClient();
    context.setResponder(async () =>
      json({ error: { code: 'internal_error', message: 'timeline snapshot failed' } }, 500),
    );
    context.client.connect();
    context.socket(0).open();
    await settle();
    expect(context.client.state).toBe('reconnecting');
    const issue = context.issues[0];
    expect(issue?.type).toBe('hydrate-failed');
    if (issue?.type !== 'hydrate-failed') return;
    expect(issue.error.code).toBe('internal_error');
    expect(issue.error.status).toBe(500);
    context.setResponder(async () => json(emptySnapshot));
    await vi.advanceTimersByTimeAsync(250);
    await goLive(context, 1);
  });
});
