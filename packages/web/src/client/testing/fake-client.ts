import type { TimelineSnapshot } from '@cricket/protocol';
import { expect, vi } from 'vitest';
import type { FetchLike } from '../chat-api.js';
import { ChatClient, type ChatClientOptions } from '../chat-client.js';
import type { ChatClientIssue } from '../chat-client-issue.js';
import { createFakeWebSocketClass, type FakeWebSocket } from './fake-web-socket.js';

/** The `/timeline` body of an empty conversation `c1`. */
export const emptySnapshot: TimelineSnapshot = { convId: 'c1' };

/** A JSON response. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A client of conversation `c1` wired to a scripted WebSocket and a fake `fetch`, with what it did. */
export interface FakeClientContext {
  client: ChatClient;
  sockets: FakeWebSocket[];
  requests: { url: string; init: RequestInit }[];
  issues: ChatClientIssue[];
  /** Replaces the fake server's answer to every later request (default: {@link emptySnapshot}). */
  setResponder(next: (url: string, init: RequestInit) => Promise<Response>): void;
  /** The socket created `index`-th (throws when there is none). */
  socket(index: number): FakeWebSocket;
}

/** Creates a {@link FakeClientContext}; reconnection delays have no jitter. */
export function setupFakeClient(options: Partial<ChatClientOptions> = {}): FakeClientContext {
  const { WebSocket, sockets } = createFakeWebSocketClass();
  const requests: { url: string; init: RequestInit }[] = [];
  let respond: (url: string, init: RequestInit) => Promise<Response> = async () => json(emptySnapshot);
  const fetch: FetchLike = (url, init) => {
    requests.push({ url, init });
    return respond(url, init);
  };
  const client = new ChatClient({
    baseUrl: 'http://chat.test/app/',
    convId: 'c1',
    WebSocket,
    fetch,
    reconnect: { random: () => 0 },
    ...options,
  });
  const issues: ChatClientIssue[] = [];
  client.onIssue((issue) => issues.push(issue));
  return {
    client,
    sockets,
    requests,
    issues,
    setResponder(next) {
      respond = next;
    },
    socket(index) {
      const socket = sockets[index];
      if (!socket) throw new Error(`no socket #${index} (have ${sockets.length})`);
      return socket;
    },
  };
}

/** Lets pending promise chains (fetch, body reading) and the notification microtask run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

/** An `llm.delta` event. */
export function delta(id: string, seq: number, cumulative: string) {
  return { type: 'llm.delta', id, seq, data: { id, cumulative } };
}

/** Opens the `index`-th socket and waits until the client is live (hydrated from the fake server). */
export async function goLive(context: FakeClientContext, index = 0): Promise<FakeWebSocket> {
  const socket = context.socket(index);
  socket.open();
  await settle();
  expect(context.client.state).toBe('live');
  return socket;
}
