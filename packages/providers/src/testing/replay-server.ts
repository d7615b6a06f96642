import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ReplayResponse } from './replay-response.js';
import { type ChunkSizeRange, createSeededRandom, defaultChunkSizes, splitIntoChunks } from './seeded-chunks.js';

/** Which requests a route answers, and its responses (served in order; the last one repeats). */
export interface ReplayRoute {
  /** HTTP method (default: any). */
  method?: string;
  /** Exact path without query, or a pattern tested against path + query (default: any). */
  path?: string | RegExp;
  responses: ReplayResponse | readonly ReplayResponse[];
}

/** Options of {@link startReplayServer}. Give `routes`, or `transcript` to answer every request. */
export interface ReplayServerOptions {
  routes?: readonly ReplayRoute[];
  /** Shorthand for one catch-all route. */
  transcript?: ReplayResponse | readonly ReplayResponse[];
  /** Seed of the chunk-boundary generator (default 1): same seed → same chunking. */
  seed?: number;
  /** Default chunk size range (default 1–64 bytes). */
  chunkSizes?: ChunkSizeRange;
  /** Default pause between chunks in ms (default 0). */
  chunkDelayMs?: number;
}

/**
 * How a recorded request's response ended: `completed` (fully sent), `client-closed` (the client
 * went away first — e.g. a cancelled inference), or `server-cut` (the script destroyed the socket).
 */
export type ReplayOutcome = 'completed' | 'client-closed' | 'server-cut';

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path including the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
  body: unknown;
  /** Body bytes written so far (live). */
  bytesSent: number;
  /** Settles when the response is over, however it ended. */
  outcome: Promise<ReplayOutcome>;
}

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Requests in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Stops the server and drops every open connection. */
  close(): Promise<void>;
}

const maxRequestBytes = 10 * 1024 * 1024;

/**
 * Starts an HTTP server on 127.0.0.1 (random port) that replays recorded provider responses for
 * engine tests over real sockets:
 * - byte bodies are written in chunks whose sizes come from a PRNG seeded with `seed`, so every
 *   test sees different but reproducible chunk boundaries;
 * - any status and body (provider error JSON), a cut-off stream (socket destroyed), a stalled
 *   stream (headers, then silence) and a per-chunk delay (to cancel mid-stream) can be scripted;
 * - every request is recorded (method, path, headers, parsed JSON body) with how its response ended,
 *   so tests can assert what an engine sent and that a cancelled request's connection was closed.
 *
 * Unmatched requests get a 404 with an OpenAI-style error body naming the request.
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const routes: readonly ReplayRoute[] =
    options.routes ?? (options.transcript ? [{ responses: options.transcript }] : []);
  const served = new Map<ReplayRoute, number>();
  const random = createSeededRandom(options.seed ?? 1);
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const path = req.url ?? '/';
    let settle: (outcome: ReplayOutcome) => void = () => {};
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
      bytesSent: 0,
      outcome: new Promise((resolve) => {
        settle = resolve;
      }),
    };
    requests.push(record);
    let cut = false;
    res.on('close', () => settle(cut ? 'server-cut' : res.writableFinished ? 'completed' : 'client-closed'));

    const route = routes.find((candidate) => matches(candidate, record.method, path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `no replay route for ${record.method} ${path}`, type: 'not_found' } }),
      );
      return;
    }
    const list = Array.isArray(route.responses) ? route.responses : [route.responses as ReplayResponse];
    const count = served.get(route) ?? 0;
    served.set(route, count + 1);
    const response = list[Math.min(count, list.length - 1)];
    if (!response) throw new Error('replay route has no responses');

    if (response.delayHeadersMs) {
      await Promise.race([sleep(response.delayHeadersMs), once(res, 'close')]);
      if (res.destroyed) return;
    }
    const status = response.status ?? 200;
    const defaultType = status < 300 ? 'text/event-stream; charset=utf-8' : 'application/json';
    res.writeHead(status, { 'content-type': defaultType, 'cache-control': 'no-cache', ...response.headers });
    res.flushHeaders();

    const delayMs = response.chunkDelayMs ?? options.chunkDelayMs ?? 0;
    const sizes = response.chunkSizes ?? options.chunkSizes ?? defaultChunkSizes;
    for await (const chunk of bodyChunks(response, random, sizes)) {
      if (res.destroyed) return;
      record.bytesSent += chunk.byteLength;
      if (!res.write(chunk)) await drainOrClose(res);
      if (res.destroyed) return;
      // A pause (or at least a turn of the event loop) keeps chunks from coalescing into one write.
      if (delayMs > 0) await sleep(delayMs);
      else await yieldToLoop();
    }
    switch (response.ending ?? 'complete') {
      case 'complete':
        res.end();
        break;
      case 'destroy':
        cut = true;
        // Let the written bytes leave before the reset, as when a real upstream dies mid-stream.
        await sleep(5);
        res.socket?.destroy();
        res.destroy();
        break;
      case 'stall':
        await once(res, 'close');
        break;
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function* bodyChunks(
  response: ReplayResponse,
  random: () => number,
  sizes: ChunkSizeRange,
): AsyncGenerator<Uint8Array> {
  const body = response.body;
  if (typeof body === 'function') {
    yield* body();
    return;
  }
  let bytes = typeof body === 'string' ? new TextEncoder().encode(body) : (body ?? new Uint8Array());
  if (response.truncateAtByte !== undefined) bytes = bytes.subarray(0, response.truncateAtByte);
  yield* splitIntoChunks(bytes, random, sizes);
}

// Backpressure: wait until the socket takes more, or the client is gone. Listeners are removed
// either way (racing two `once()` promises would leak one listener per write).
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function matches(route: ReplayRoute, method: string, path: string): boolean {
  if (route.method && route.method.toUpperCase() !== method.toUpperCase()) return false;
  if (route.path === undefined) return true;
  if (typeof route.path === 'string') return route.path === (path.split('?')[0] ?? path);
  return route.path.test(path);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > maxRequestBytes) throw new Error('request body too large for the replay server');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
