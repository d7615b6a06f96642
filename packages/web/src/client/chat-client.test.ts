import { afterEach, describe, expect, it, vi } from 'vitest';
import { delta, goLive, settle, setupFakeClient } from './testing/fake-client.js';

// Unit tests of the client with a scripted WebSocket and a fake `fetch`: frames, issues, snapshots.
// The handshake and reconnection are in timeline-sync.test.ts; real-server tests in *.server.test.ts.

afterEach(() => {
  vi.useRealTimers();
});

describe('ChatClient profile', () => {
  it('sets the profile from ws.hello and ignores ws.pong', async () => {
    const context = setupFakeClient();
    context.client.connect();
    const socket = await goLive(context);
    socket.receiveEvent({ type: 'ws.hello', id: 'ws.hello:c1:1', data: { convId: 'c1', profile: 'default' } });
    await settle();
    const afterHello = context.client.getSnapshot();
    expect(afterHello.profile).toBe('default');
    socket.receiveEvent({ type: 'ws.pong', id: 'ws.pong:c1:2', data: { convId: 'c1' } });
    await settle();
    expect(context.client.getSnapshot()).toBe(afterHello);
  });
});

describe('ChatClient frames', () => {
  it('counts and reports malformed frames, ignores unknown types, and keeps going', async () => {
    const context = setupFakeClient();
    context.client.connect();
    const socket = await goLive(context);
    socket.receive('not json');
    socket.receive('{"sem":true}');
    socket.receiveEvent({ type: 'llm.delta', id: 'm1', seq: 2, data: { id: 5, cumulative: ['x'] } });
    socket.receive(new Uint8Array([1, 2, 3]));
    socket.receiveEvent({ type: 'future.frame', id: 'f1', seq: 3, data: { anything: true } });
    socket.receiveEvent(delta('m1', 4, 'still works'));
    await settle();
    const snapshot = context.client.getSnapshot();
    expect(snapshot.state).toBe('live');
    expect(snapshot.invalidFrameCount).toBe(4);
    expect(context.issues.map((issue) => issue.type)).toEqual([
      'invalid-frame',
      'invalid-frame',
      'invalid-frame',
      'invalid-frame',
    ]);
    expect(context.issues[2]?.message).toContain('invalid llm.delta frame');
    expect(snapshot.entities.map((entity) => entity.message?.content)).toEqual(['still works']);
    expect(snapshot.lastSeq).toBe(4);
  });

  it('reports an error frame once and keeps it as a timeline entity', async () => {
    const context = setupFakeClient();
    context.client.connect();
    const socket = await goLive(context);
    const error = {
      type: 'error',
      id: 'error-i1',
      seq: 5,
      data: { id: 'error-i1', message: 'provider down', code: 'provider-http', blame: 'provider', inferenceId: 'i1' },
    };
    socket.receiveEvent(error);
    socket.receiveEvent(error);
    await settle();
    expect(context.issues).toEqual([
      expect.objectContaining({
        type: 'error-frame',
        message: 'provider down',
        entityId: 'error-i1',
        code: 'provider-http',
        blame: 'provider',
        inferenceId: 'i1',
      }),
    ]);
    expect(context.client.getSnapshot().entities).toEqual([
      expect.objectContaining({
        id: 'error-i1',
        kind: 'error',
        error: expect.objectContaining({ message: 'provider down' }),
      }),
    ]);
  });

  it('stops for good when the server refuses the join', async () => {
    vi.useFakeTimers();
    const context = setupFakeClient();
    context.client.connect();
    const socket = context.socket(0);
    socket.open();
    socket.receive('{"error":"profile not found: nope"}');
    socket.drop(1008, 'profile not found: nope');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(context.client.state).toBe('closed');
    expect(context.sockets).toHaveLength(1);
    expect(context.issues.map((issue) => [issue.type, issue.message])).toEqual([
      ['join-refused', 'profile not found: nope'],
    ]);
    expect(context.client.getSnapshot().invalidFrameCount).toBe(0);
  });
});

describe('ChatClient snapshots', () => {
  it('returns the same snapshot until something changes and notifies once per batch', async () => {
    const context = setupFakeClient();
    const listener = vi.fn();
    context.client.subscribe(listener);
    context.client.connect();
    const socket = await goLive(context);
    listener.mockClear();
    const before = context.client.getSnapshot();
    expect(context.client.getSnapshot()).toBe(before);
    expect(Object.isFrozen(before)).toBe(true);
    expect(Object.isFrozen(before.entities)).toBe(true);
    socket.receiveEvent({ type: 'llm.start', id: 'm1', seq: 1, data: { id: 'm1' } });
    socket.receiveEvent(delta('m1', 2, 'a'));
    socket.receiveEvent({ type: 'llm.start', id: 'm2', seq: 3, data: { id: 'm2' } });
    await settle();
    expect(listener).toHaveBeenCalledTimes(1);
    const after = context.client.getSnapshot();
    expect(after).not.toBe(before);
    socket.receiveEvent(delta('m2', 4, 'b'));
    await settle();
    const next = context.client.getSnapshot();
    // The untouched entity keeps its identity; the changed one is new.
    expect(next.entities[0]).toBe(after.entities[0]);
    expect(next.entities[1]).not.toBe(after.entities[1]);
  });

  it('close() closes the socket, ignores later frames and never reconnects', async () => {
    vi.useFakeTimers();
    const context = setupFakeClient();
    context.client.connect();
    const socket = await goLive(context);
    context.client.close();
    expect(context.client.state).toBe('closed');
    expect(socket.closedByClientWith).toBe(1000);
    socket.receiveEvent(delta('m1', 9, 'late'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(context.sockets).toHaveLength(1);
    expect(context.client.getSnapshot().entities).toEqual([]);
  });
});
