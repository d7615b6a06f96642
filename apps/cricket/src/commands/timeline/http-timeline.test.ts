import { startTestServer, type TestServer } from '@cricket/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBaseUrl } from './base-url.js';
import type { EntityRow } from './entity-row.js';
import { HttpTimelineSource, timelineUrl } from './http-timeline.js';
import { SqliteTimelineSource } from './sqlite-timeline.js';
import { converse, type StubServer, startStubServer, unreachableUrl } from './timeline-test-helpers.js';

describe('timelineUrl', () => {
  it('appends /timeline to the base path, with or without a trailing slash, and sets the query', () => {
    const query = { conv_id: 'c 1&x', since_version: 3, limit: 10 };
    const expected = '/timeline?conv_id=c+1%26x&since_version=3&limit=10';
    expect(timelineUrl('http://h:8080', query)).toBe(`http://h:8080${expected}`);
    expect(timelineUrl('http://h:8080/', query)).toBe(`http://h:8080${expected}`);
    expect(timelineUrl('http://h:8080/app', query)).toBe(`http://h:8080/app${expected}`);
    expect(timelineUrl('https://h/app//', query)).toBe(`https://h/app${expected}`);
    expect(timelineUrl('http://h/a/b/?old=1#frag', query)).toBe(`http://h/a/b${expected}`);
  });
});

describe('parseBaseUrl', () => {
  it('accepts http(s) URLs and rejects other schemes, non-URLs and credentials', () => {
    expect(parseBaseUrl('http://127.0.0.1:8080/app/')).toBe('http://127.0.0.1:8080/app/');
    expect(parseBaseUrl('https://chat.example')).toBe('https://chat.example');
    expect(() => parseBaseUrl('ftp://h/')).toThrow(/http/);
    expect(() => parseBaseUrl('localhost:8080')).toThrow(/http/);
    expect(() => parseBaseUrl('not a url')).toThrow(/http/);
    expect(() => parseBaseUrl('http://user:secret@h/')).toThrow(/--auth-token/);
  });
});

describe('HttpTimelineSource against a running server', () => {
  let server: TestServer;
  let database: SqliteTimelineSource;
  let remote: HttpTimelineSource;
  const convId = 'tl-source';

  beforeAll(async () => {
    server = await startTestServer({ root: '/app/' });
    await converse(server.url, convId, ['what is 6 * 7?', 'hello there', '/think what is 2 + 3?']);
    database = new SqliteTimelineSource(server.databasePath);
    remote = new HttpTimelineSource({ baseUrl: `${server.url}/` });
  }, 60_000);
  afterAll(() => server?.close());

  /** What the two sources must agree on: everything but the version, with the JSON parsed. */
  const comparable = (rows: EntityRow[]) =>
    rows.map(({ version: _version, entity_json, ...rest }) => ({ ...rest, entity: JSON.parse(entity_json) }));

  it('reads the same entities as the database file, without versions', async () => {
    const stored = await database.entities(convId, { min: 0, max: 0 });
    const served = await remote.entities(convId, { min: 0, max: 0 });
    expect(stored.length).toBeGreaterThanOrEqual(8);
    expect(new Set(stored.map((row) => row.kind))).toEqual(new Set(['message', 'tool_call', 'tool_result']));
    expect(served.every((row) => row.version === null)).toBe(true);
    expect(comparable(served)).toEqual(comparable(stored));
    expect(await remote.entities('never-seen', { min: 0, max: 0 })).toEqual([]);
  });

  it('applies version bounds exactly, through since_version', async () => {
    const stored = await database.entities(convId, { min: 0, max: 0 });
    const versions = [...new Set(stored.map((row) => row.version ?? 0))];
    const bounds = [0, ...versions, (versions.at(-1) ?? 0) + 1];
    for (const min of bounds) {
      for (const max of bounds) {
        const range = { min, max };
        const expected = stored.filter(
          (row) => (min === 0 || (row.version ?? 0) >= min) && (max === 0 || (row.version ?? 0) <= max),
        );
        expect(comparable(await database.entities(convId, range)), `${min}..${max}`).toEqual(comparable(expected));
        expect(comparable(await remote.entities(convId, range)), `${min}..${max}`).toEqual(comparable(expected));
      }
    }
  });

  it('returns the same snapshot as the database file', async () => {
    const stored = await database.entities(convId, { min: 0, max: 0 });
    const middle = stored[Math.floor(stored.length / 2)]?.version ?? 0;
    for (const query of [
      { sinceVersion: 0, limit: 0 },
      { sinceVersion: middle, limit: 0 },
      { sinceVersion: 0, limit: 3 },
      { sinceVersion: 10_000, limit: 0 },
    ]) {
      const fromFile = await database.snapshot(convId, query);
      const fromServer = await remote.snapshot(convId, query);
      expect(fromServer.serverTimeMs).toBeGreaterThan(0);
      expect({ ...fromServer, serverTimeMs: 0, json: '' }, JSON.stringify(query)).toEqual({
        ...fromFile,
        serverTimeMs: 0,
        json: '',
      });
      expect(JSON.parse(fromServer.json)).toMatchObject({ convId, version: String(fromFile.version) });
    }
  });
});

describe('HttpTimelineSource failures', () => {
  let stub: StubServer;
  let answer: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    stub = await startStubServer((_request, response) => {
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  afterAll(() => stub?.close());

  it('sends the route, query names and bearer token the server expects', async () => {
    answer = { status: 200, body: JSON.stringify({ convId: 'c', version: '4', serverTimeMs: '99' }) };
    const source = new HttpTimelineSource({ baseUrl: `${stub.url}/mount`, authToken: 'tok' });
    expect(await source.snapshot('c', { sinceVersion: 2, limit: 7 })).toEqual({
      convId: 'c',
      version: 4,
      serverTimeMs: 99,
      entities: [],
      json: answer.body,
    });
    expect(stub.requests.at(-1)).toEqual({
      method: 'GET',
      url: '/mount/timeline?conv_id=c&since_version=2&limit=7',
      authorization: 'Bearer tok',
    });
    await new HttpTimelineSource({ baseUrl: stub.url }).snapshot('c', { sinceVersion: 0, limit: 0 });
    expect(stub.requests.at(-1)?.url).toBe(`/timeline?conv_id=c&since_version=0&limit=${Number.MAX_SAFE_INTEGER}`);
    expect(stub.requests.at(-1)?.authorization).toBeUndefined();
  });

  it('fails with the status and body of a non-2xx answer, and on a body that is no snapshot', async () => {
    const source = new HttpTimelineSource({ baseUrl: stub.url });
    answer = { status: 503, body: '{"error":{"code":"shutting_down","message":"bye"}}' };
    await expect(source.snapshot('c', { sinceVersion: 0, limit: 0 })).rejects.toThrow(
      /answered 503 Service Unavailable: \{"error":\{"code":"shutting_down","message":"bye"\}\}/,
    );
    answer = { status: 200, body: '<html>' };
    await expect(source.entities('c', { min: 0, max: 0 })).rejects.toThrow(/not JSON: <html>/);
    answer = { status: 200, body: '{"entities":[{"id":"x"}]}' };
    await expect(source.entities('c', { min: 0, max: 0 })).rejects.toThrow(
      /not a timeline snapshot: entities\.0\.kind/,
    );
  });

  it('fails naming the URL when nothing answers', async () => {
    const base = await unreachableUrl();
    const source = new HttpTimelineSource({ baseUrl: base });
    await expect(source.snapshot('c', { sinceVersion: 0, limit: 1 })).rejects.toThrow(
      `cannot reach ${base}/timeline?conv_id=c&since_version=0&limit=1: connect ECONNREFUSED`,
    );
  });

  it('gives up after the timeout', async () => {
    const silent = await startStubServer(() => undefined);
    try {
      const source = new HttpTimelineSource({ baseUrl: silent.url, timeoutMs: 100 });
      await expect(source.snapshot('c', { sinceVersion: 0, limit: 1 })).rejects.toThrow(/no answer within 0.1 s/);
    } finally {
      await silent.close();
    }
  });
});
