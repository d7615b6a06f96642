import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from './replay-server.js';
import { createSeededRandom, splitIntoChunks } from './seeded-chunks.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Reads a response over a raw node:http request, recording each chunk as it arrives. */
function fetchChunks(url: string, body = '{"q":1}'): Promise<{ status: number; chunks: string[]; error?: Error }> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, chunks, error }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, chunks, error: new Error('aborted') }));
    });
    req.on('error', (error) => resolve({ status: 0, chunks, error }));
    req.end(body);
  });
}

describe('splitIntoChunks', () => {
  it('is deterministic per seed and lossless', () => {
    const bytes = new TextEncoder().encode('data: hello world\n\n'.repeat(20));
    const sizes = (seed: number) => splitIntoChunks(bytes, createSeededRandom(seed)).map((chunk) => chunk.byteLength);
    expect(sizes(5)).toEqual(sizes(5));
    expect(sizes(5)).not.toEqual(sizes(6));
    const joined = Buffer.concat(splitIntoChunks(bytes, createSeededRandom(9), { min: 1, max: 3 }));
    expect(joined.equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('startReplayServer', () => {
  it('serves the transcript exactly, records the request and the outcome', async () => {
    server = await startReplayServer({
      transcript: { body: 'data: one\n\ndata: two\n\n' },
      chunkDelayMs: 1,
      chunkSizes: { min: 1, max: 4 },
    });
    const result = await fetchChunks(`${server.url}/v1/chat/completions?x=1`);
    expect(result.status).toBe(200);
    expect(result.chunks.join('')).toBe('data: one\n\ndata: two\n\n');
    expect(result.chunks.length).toBeGreaterThan(1);
    const recorded = server.requests[0];
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions?x=1', body: { q: 1 } });
    expect(await recorded?.outcome).toBe('completed');
  });

  it('routes by method and path, serves responses in order and repeats the last', async () => {
    server = await startReplayServer({
      routes: [
        { method: 'POST', path: '/a', responses: [{ status: 429, body: '{}' }, { body: 'ok' }] },
        { path: /^\/b\?/, responses: { body: 'b' } },
      ],
    });
    expect((await fetchChunks(`${server.url}/a`)).status).toBe(429);
    expect((await fetchChunks(`${server.url}/a`)).chunks.join('')).toBe('ok');
    expect((await fetchChunks(`${server.url}/a`)).chunks.join('')).toBe('ok');
    expect((await fetchChunks(`${server.url}/b?k=1`)).chunks.join('')).toBe('b');
    const missing = await fetchChunks(`${server.url}/c`);
    expect(missing.status).toBe(404);
    expect(missing.chunks.join('')).toContain('no replay route for POST /c');
  });

  it('cuts a stream by destroying the socket', async () => {
    server = await startReplayServer({
      transcript: { body: 'data: one\n\ndata: tw', ending: 'destroy', truncateAtByte: 15 },
    });
    const result = await fetchChunks(server.url);
    expect(result.error).toBeDefined();
    expect(result.chunks.join('')).toBe('data: one\n\ndata');
    expect(await server.requests[0]?.outcome).toBe('server-cut');
  });

  it('stalls until the client leaves, and reports the client closing', async () => {
    server = await startReplayServer({ transcript: { body: 'data: one\n\n', ending: 'stall' } });
    const controller = new AbortController();
    const response = await fetch(server.url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).not.toBe('');
    controller.abort();
    expect(await server.requests[0]?.outcome).toBe('client-closed');
  });
});
