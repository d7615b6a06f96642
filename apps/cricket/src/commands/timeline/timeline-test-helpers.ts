// Test-only helpers of the timeline command tests: a conversation streamed by a real server, a stub
// HTTP server that records what it is asked, and a URL nothing listens on.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitIdle } from '@cricket/server/testing';

function authHeaders(authToken?: string): Record<string, string> {
  return authToken ? { authorization: `Bearer ${authToken}` } : {};
}

/** Sends each prompt with `POST <base>/chat` and waits until its answer has streamed to the end. */
export async function converse(baseUrl: string, convId: string, prompts: string[], authToken?: string): Promise<void> {
  for (const prompt of prompts) {
    const response = await fetch(`${baseUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(authToken) },
      body: JSON.stringify({ conv_id: convId, prompt }),
    });
    if (response.status !== 200) throw new Error(`POST /chat answered ${response.status}: ${await response.text()}`);
    await waitIdle(baseUrl, convId, 20_000, authHeaders(authToken));
  }
}

/** A request the stub received. */
export interface StubRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization: string | undefined;
}

/** A plain HTTP server on 127.0.0.1 answering every request with `answer`. */
export interface StubServer {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStubServer(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `http://127.0.0.1:<port>` for a port that was free a moment ago and has nothing listening now. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
