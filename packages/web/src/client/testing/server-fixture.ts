import { startTestServer, type TestServer, type TestServerOptions } from '@cricket/server/testing';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { ChatClient, type ChatClientOptions } from '../chat-client.js';
import { assistantTexts, waitUntil } from './convergence.js';

/** Real servers and clients of one test file, closed together after each test. */
export interface ServerFixture {
  /** A real server on 127.0.0.1 (scripted engine, temp SQLite file). */
  startServer(options?: TestServerOptions): Promise<TestServer>;
  /** A client of `convId` on `server` using the `ws` package, with short reconnection delays. */
  createClient(server: TestServer, convId: string, options?: Partial<ChatClientOptions>): ChatClient;
  /** Closes every client and server created so far. */
  dispose(): Promise<void>;
}

/** Creates a {@link ServerFixture}; call `dispose` in `afterEach`. */
export function createServerFixture(): ServerFixture {
  const servers: TestServer[] = [];
  const clients: ChatClient[] = [];
  return {
    async startServer(options = {}) {
      const server = await startTestServer(options);
      servers.push(server);
      return server;
    },
    createClient(server, convId, options = {}) {
      const client = new ChatClient({
        baseUrl: server.url,
        convId,
        WebSocket,
        reconnect: { initialDelayMs: 10, maxDelayMs: 200 },
        ...options,
      });
      clients.push(client);
      return client;
    },
    async dispose() {
      for (const client of clients.splice(0)) client.close();
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}

/** Connects the client and waits until it is live. */
export async function connected(client: ChatClient): Promise<ChatClient> {
  client.connect();
  await waitUntil(() => client.state === 'live', `client ${client.convId} live`);
  return client;
}

/** Waits until the conversation has no running or queued inference and every frame is published. */
export async function idle(server: TestServer, convId: string): Promise<void> {
  await waitUntil(() => server.server.manager.get(convId) !== undefined, `conversation ${convId} exists`);
  await server.server.manager.get(convId)?.whenIdle();
  await server.server.services.pipeline.flushed();
}

/** Records every assistant text the client showed, to check that text only ever grew. */
export function recordAssistantTexts(client: ChatClient): string[][] {
  const seen: string[][] = [];
  client.subscribe(() => seen.push(assistantTexts(client.getSnapshot().entities)));
  return seen;
}

/** Each text shown was a prefix of the final one: nothing was duplicated, reordered or lost on the way. */
export function expectOnlyPrefixes(seen: string[][], finalTexts: string[]): void {
  for (const texts of seen) {
    texts.forEach((text, index) => {
      expect(finalTexts[index]?.startsWith(text), `"${text.slice(-40)}" is not a prefix`).toBe(true);
    });
  }
}
