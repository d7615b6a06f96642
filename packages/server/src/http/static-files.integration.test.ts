import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET without automatic decompression (fetch would hide the content encoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

const indexHtml = '<!doctype html><title>Cricket</title><div id="root"></div>';
const script = `console.log(${JSON.stringify('cricket '.repeat(500))});`;

function buildUi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cricket-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), script);
  writeFileSync(join(dir, 'assets', 'with space%.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js.gz'), gzipSync(script));
  writeFileSync(join(dir, 'assets', 'app-1a2b.js.br'), brotliCompressSync(script));
  return dir;
}

describe('static files of the web UI', () => {
  let server: TestServer;
  let mounted: TestServer;

  beforeAll(async () => {
    const staticDir = buildUi();
    server = await startTestServer({ staticDir });
    mounted = await startTestServer({ staticDir, root: '/chat-app/' });
  });
  afterAll(async () => {
    await server.close();
    await mounted.close();
  });

  it('serves index.html for the page and for client-side routes, revalidated with an ETag', async () => {
    for (const path of ['/', '/c/0b6f7f4e-2d0c-4a53-9d2b-8c7a1e0d3f11', '/debug']) {
      const response = await rawGet(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body.toString()).toBe(indexHtml);
    }
    const first = await rawGet(`${server.url}/`);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^(W\/)?".+"$/);
    const again = await rawGet(`${server.url}/`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('sends the precompressed sibling the client accepts (brotli first), else the plain file', async () => {
    const url = `${server.url}/assets/app-1a2b.js`;
    const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);

    const gzip = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);

    const plain = await rawGet(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('answers missing files, API paths, dotfiles and escapes with JSON errors, never the page', async () => {
    const cases: [string, number][] = [
      ['/assets/missing-9z.js', 404],
      ['/api/nothing-here', 404],
      ['/ws/extra', 404],
      ['/.env', 404],
      ['/..%2f..%2f..%2fetc%2fpasswd', 404],
      ['/%E0%A4%A', 400],
    ];
    for (const [path, status] of cases) {
      const response = await rawGet(`${server.url}${path}`);
      expect(response.status, path).toBe(status);
      expect(response.headers['content-type'], path).toMatch(/^application\/json/);
      expect(JSON.parse(response.body.toString()).error.code, path).toBeTypeOf('string');
      expect(response.body.toString(), path).not.toContain('SECRET');
    }
  });

  it('serves the UI under a mount root', async () => {
    const page = await rawGet(`${mounted.url}/c/abc`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(indexHtml);
    const asset = await rawGet(`${mounted.url}/favicon.svg`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect((await rawGet(`${server.url}/chat-app-nope.js`)).status).toBe(404);
  });

  it('decodes a percent-encoded file name once', async () => {
    const response = await rawGet(`${server.url}/assets/with%20space%25.css`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('body{}');
  });
});
