// `cricket timeline` through the real binary (a child process): `entity`, `--json`, and `snapshot` /
// `entities` / `entity` with `--base-url` against a real server, compared with reading its database file.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@cricket/server/db';
import { startTestServer, type TestServer } from '@cricket/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CricketResult, execCricket } from '../testing/cricket-binary.js';
import { converse, type StubServer, startStubServer, unreachableUrl } from './timeline/timeline-test-helpers.js';

/** Runs `cricket <args>`; `CRICKET_AUTH_TOKEN` comes only from `env`, never from the test's own environment. */
function cricket(args: string[], env: Record<string, string> = {}): Promise<CricketResult> {
  return execCricket(args, { env });
}

async function json<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const result = await cricket([...args, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

type Row = Record<string, unknown> & { entity_id: string; version: number | null };

/** A row without its version, with `entity_json` parsed: what the database and the server must agree on. */
function comparable(row: Row): Record<string, unknown> {
  const { version: _version, entity_json, ...rest } = row;
  return typeof entity_json === 'string' ? { ...rest, entity: JSON.parse(entity_json) } : rest;
}

const timeout = 240_000;

describe.concurrent('cricket timeline entity (database file)', () => {
  let path = '';

  beforeAll(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'cricket-cli-timeline-')), 'cricket.sqlite');
    const db = openDatabase(path);
    const entity = db.raw.prepare(
      'INSERT INTO timeline_entities (conv_id, entity_id, kind, created_at_ms, updated_at_ms, version, entity_json, created_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const hello = JSON.stringify({ id: 'm1', kind: 'message', message: { role: 'user', content: 'hello' } });
    entity.run('c1', 'm1', 'message', 10, 20, 1, hello, 1);
    entity.run('c1', 'broken', 'status', 30, 40, 2, '{not json', 2);
    db.raw.prepare('INSERT INTO timeline_versions VALUES (?, ?)').run('c1', 2);
    db.close();
  });

  it(
    'prints one entity with the entities columns, as JSON or as lines',
    async () => {
      const args = ['timeline', 'entity', '--db', path, '--conv-id', 'c1', '--entity-id', 'm1'];
      expect(await json(args)).toEqual({
        conv_id: 'c1',
        entity_id: 'm1',
        kind: 'message',
        created_at_ms: 10,
        updated_at_ms: 20,
        version: 1,
        summary: 'user: hello',
        entity_json: JSON.stringify({ id: 'm1', kind: 'message', message: { role: 'user', content: 'hello' } }),
      });
      expect(await json([...args, '--no-include-json', '--no-include-summary'])).toEqual({
        conv_id: 'c1',
        entity_id: 'm1',
        kind: 'message',
        created_at_ms: 10,
        updated_at_ms: 20,
        version: 1,
      });
      const text = await cricket(args);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout.split('\n')).toEqual(
        expect.arrayContaining(['entity_id      m1', 'version        1', 'summary        user: hello']),
      );
      expect(text.stdout).toContain('entity_json    {"id":"m1"');
    },
    timeout,
  );

  it(
    'reports an entity whose JSON does not parse with summary_error',
    async () => {
      const row = await json<Record<string, unknown>>([
        'timeline',
        'entity',
        '--db',
        path,
        '--conv-id',
        'c1',
        '--entity-id',
        'broken',
      ]);
      expect(row).toMatchObject({ entity_id: 'broken', kind: 'status', version: 2, entity_json: '{not json' });
      expect(row.summary).toBeUndefined();
      expect(row.summary_error).toEqual(expect.any(String));
    },
    timeout,
  );

  it(
    'fails with exit 1 and "entity not found" for a missing entity or conversation',
    async () => {
      const cases = [
        ['c1', 'nope'],
        ['c9', 'm1'],
      ] as const;
      await Promise.all(
        cases.map(async ([convId, entityId]) => {
          const args = ['--db', path, '--conv-id', convId, '--entity-id', entityId];
          const result = await cricket(['timeline', 'entity', ...args]);
          expect(result.code).toBe(1);
          expect(result.stderr).toBe(`cricket timeline entity: entity not found: ${entityId}\n`);
          expect(result.stdout).toBe('');
        }),
      );
    },
    timeout,
  );

  it(
    'exits 2 on usage errors',
    async () => {
      const cases = [
        { args: ['--conv-id', 'c1'], message: "required option '--entity-id <id>' not specified" },
        {
          args: ['--conv-id', 'c1', '--entity-id', 'm1', '--base-url', 'localhost:8080'],
          message: 'expected an http:// or https:// URL',
        },
        {
          args: ['--conv-id', 'c1', '--entity-id', 'm1', '--base-url', 'http://127.0.0.1:9/', '--db', path],
          message: "option '--base-url <url>' cannot be used with option '--db <file>'",
        },
      ];
      await Promise.all(
        cases.map(async ({ args, message }) => {
          const result = await cricket(['timeline', 'entity', ...args]);
          expect(result.code, args.join(' ')).toBe(2);
          expect(result.stderr).toContain(message);
          expect(result.stdout).toBe('');
        }),
      );
    },
    timeout,
  );

  it(
    'lists entities with --json and the --include-json / --include-summary pairs',
    async () => {
      const rows = await json<Row[]>(['timeline', 'entities', '--db', path, '--conv-id', 'c1', '--include-json']);
      expect(rows.map((row) => [row.entity_id, row.version, typeof row.entity_json])).toEqual([
        ['m1', 1, 'string'],
        ['broken', 2, 'string'],
      ]);
      const bare = await json<Row[]>(['timeline', 'entities', '--db', path, '--conv-id', 'c1', '--no-include-summary']);
      expect(bare.map((row) => Object.keys(row))).toEqual([
        ['conv_id', 'entity_id', 'kind', 'created_at_ms', 'updated_at_ms', 'version'],
        ['conv_id', 'entity_id', 'kind', 'created_at_ms', 'updated_at_ms', 'version'],
      ]);
    },
    timeout,
  );
});

describe.concurrent('cricket timeline --base-url', () => {
  let server: TestServer;
  let secured: TestServer;
  let stub: StubServer;
  const convId = 'tl-cli';
  const token = 'tl-secret';

  beforeAll(async () => {
    [server, secured, stub] = await Promise.all([
      startTestServer({ root: '/app/' }),
      startTestServer({ authToken: token }),
      startStubServer((_request, response) => {
        response.writeHead(502, { 'content-type': 'text/plain' }).end('upstream is down');
      }),
    ]);
    await Promise.all([
      converse(server.url, convId, ['what is 6 * 7?', 'hello there']),
      converse(secured.url, convId, ['hello'], token),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([server?.close(), secured?.close(), stub?.close()]);
  });

  it(
    'snapshot: the same answer as the database file, under a mount root with or without a trailing slash',
    async () => {
      const file = ['timeline', 'snapshot', '--conv-id', convId, '--db', server.databasePath, '--include-entities'];
      const remote = ['timeline', 'snapshot', '--conv-id', convId, '--include-entities', '--raw-json'];
      type Snapshot = { version: number; server_time_ms: number; entity_count: number; snapshot_json?: string };
      const [stored, served, slashed] = await Promise.all([
        json<Snapshot>(file),
        json<Snapshot>([...remote, '--base-url', server.url]),
        json<Snapshot>([...remote, '--base-url', `${server.url}/`, '--since-version', '2', '--limit', '2']),
      ]);
      expect(stored.entity_count).toBeGreaterThanOrEqual(6);
      expect(stored.version).toBeGreaterThan(0);
      const { snapshot_json, ...rest } = served;
      expect({ ...rest, server_time_ms: 0 }).toEqual({ ...stored, server_time_ms: 0 });
      expect(JSON.parse(snapshot_json ?? '')).toMatchObject({ convId, version: String(stored.version) });
      const since = await json<Snapshot>([...file, '--since-version', '2', '--limit', '2']);
      expect({ ...slashed, server_time_ms: 0, snapshot_json: undefined }).toEqual({ ...since, server_time_ms: 0 });
    },
    timeout,
  );

  it(
    'entities: the same rows as the database file, except the version, for every filter',
    async () => {
      const stored = await json<Row[]>(['timeline', 'entities', '--conv-id', convId, '--db', server.databasePath]);
      const versions = stored.map((row) => row.version ?? 0).sort((a, b) => a - b);
      const low = String(versions[1]);
      const high = String(versions.at(-2));
      const filters = [
        ['--include-json'],
        ['--kind', 'message', '--order', '-created', '--no-include-summary'],
        ['--order', 'updated', '--limit', '2'],
        ['--version-min', low, '--version-max', high],
      ];
      await Promise.all(
        filters.map(async (filter) => {
          const args = ['timeline', 'entities', '--conv-id', convId, ...filter];
          const [fromFile, fromServer] = await Promise.all([
            json<Row[]>([...args, '--db', server.databasePath]),
            json<Row[]>([...args, '--base-url', server.url]),
          ]);
          expect(fromFile.length, filter.join(' ')).toBeGreaterThan(0);
          expect(fromServer.every((row) => row.version === null)).toBe(true);
          expect(fromServer.map(comparable), filter.join(' ')).toEqual(fromFile.map(comparable));
        }),
      );
      const descending = await cricket([
        'timeline',
        'entities',
        '--conv-id',
        convId,
        '--order',
        '-version',
        '--base-url',
        server.url,
      ]);
      expect(descending.code).toBe(1);
      expect(descending.stderr).toContain('--order -version needs the version of each entity');
    },
    timeout,
  );

  it(
    'entity: the same row as the database file; exit 1 when it is not there',
    async () => {
      const [first] = await json<Row[]>(['timeline', 'entities', '--conv-id', convId, '--db', server.databasePath]);
      const args = ['timeline', 'entity', '--conv-id', convId, '--entity-id', first?.entity_id ?? ''];
      const [fromFile, fromServer, text, missing] = await Promise.all([
        json<Row>([...args, '--db', server.databasePath]),
        json<Row>([...args, '--base-url', `${server.url}/`]),
        cricket([...args, '--base-url', server.url]),
        cricket(['timeline', 'entity', '--conv-id', convId, '--entity-id', 'nope', '--base-url', server.url]),
      ]);
      expect(fromServer.version).toBeNull();
      expect(comparable(fromServer)).toEqual(comparable(fromFile));
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(`entity_id      ${first?.entity_id}`);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('cricket timeline entity: entity not found: nope\n');
    },
    timeout,
  );

  it(
    'sends the bearer token: 401 without it or with a wrong one, rows with the right one',
    async () => {
      const args = ['timeline', 'entities', '--conv-id', convId, '--base-url', secured.url];
      const [none, wrong, right, fromEnv, snapshot] = await Promise.all([
        cricket(args),
        cricket([...args, '--auth-token', 'not-it']),
        cricket([...args, '--auth-token', token, '--json']),
        cricket(['timeline', 'entity', '--conv-id', convId, '--entity-id', 'nope', '--base-url', secured.url], {
          CRICKET_AUTH_TOKEN: token,
        }),
        cricket(['timeline', 'snapshot', '--conv-id', convId, '--base-url', secured.url, '--auth-token', 'not-it']),
      ]);
      for (const refused of [none, wrong, snapshot]) {
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`GET ${secured.url}/timeline?conv_id=${convId}`);
        expect(refused.stderr).toContain('answered 401 Unauthorized: {"error":{"code":"unauthorized"');
        expect(refused.stdout).toBe('');
      }
      expect(right.code, right.stderr).toBe(0);
      expect((JSON.parse(right.stdout) as Row[]).map((row) => row.kind)).toContain('message');
      // Authorized through the environment: the entity is missing, not the permission.
      expect(fromEnv.stderr).toBe('cricket timeline entity: entity not found: nope\n');
    },
    timeout,
  );

  it(
    'fails with the status and body of a non-2xx answer, and names an unreachable URL',
    async () => {
      const unreachable = await unreachableUrl();
      const [wrongRoot, badGateway, refused] = await Promise.all([
        cricket(['timeline', 'snapshot', '--conv-id', convId, '--base-url', new URL(server.url).origin]),
        cricket(['timeline', 'entities', '--conv-id', convId, '--base-url', `${stub.url}/x/`]),
        cricket(['timeline', 'entity', '--conv-id', convId, '--entity-id', 'm', '--base-url', unreachable]),
      ]);
      expect(wrongRoot.code).toBe(1);
      expect(wrongRoot.stderr).toContain('answered 404 Not Found: {"error":{"code":"not_found"');
      expect(badGateway.code).toBe(1);
      expect(badGateway.stderr).toBe(
        `cricket timeline entities: GET ${stub.url}/x/timeline?conv_id=${convId}&since_version=0&limit=${Number.MAX_SAFE_INTEGER} answered 502 Bad Gateway: upstream is down\n`,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`cannot reach ${unreachable}/timeline?conv_id=${convId}`);
      expect(refused.stderr).toContain('ECONNREFUSED');
    },
    timeout,
  );

  it(
    'keeps list, stats and verify on the database file',
    async () => {
      const result = await cricket(['timeline', 'list', '--base-url', server.url]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown option '--base-url'");
    },
    timeout,
  );
});
