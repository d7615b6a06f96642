import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@cricket/server/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CricketResult, execCricket } from '../testing/cricket-binary.js';

const exampleProfiles = join(import.meta.dirname, '..', '..', '..', '..', 'profiles.example.yaml');

/** Runs `cricket <args>` with a planted OpenAI key (the profile commands must never print it). */
function cricket(args: string[]): Promise<CricketResult> {
  return execCricket(args, { env: { OPENAI_API_KEY: 'sk-test-secret' } });
}

async function json<T>(args: string[]): Promise<T> {
  const result = await cricket([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

let path = '';

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cricket-cli-ops-'));
  path = join(dir, 'cricket.sqlite');
  const db = openDatabase(path);
  const turn = db.raw.prepare('INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)');
  turn.run('c1', 's1', 't1', 'pre_inference', 1000, 'id: t1\nblocks: []\n');
  turn.run('c1', 's1', 't1', 'final', 2000, JSON.stringify({ id: 't1', blocks: [] }));
  turn.run('c1', 's2', 't2', 'final', 3000, 'id: t2\nblocks: []\n');
  turn.run('c2', 's3', 't3', 'final', 4000, 'id: t3\nblocks: []\n');
  const entity = db.raw.prepare(
    'INSERT INTO timeline_entities (conv_id, entity_id, kind, created_at_ms, updated_at_ms, version, entity_json, created_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  entity.run(
    'c1',
    'm1',
    'message',
    10,
    20,
    1,
    JSON.stringify({ id: 'm1', kind: 'message', message: { role: 'user', content: 'hello' } }),
    1,
  );
  entity.run(
    'c1',
    'tc1',
    'tool_call',
    30,
    40,
    3,
    JSON.stringify({ id: 'tc1', kind: 'tool_call', toolCall: { name: 'calculator', status: 'completed' } }),
    2,
  );
  entity.run('c2', 'x', '', 50, 45, 2, '{not json', 2);
  const version = db.raw.prepare('INSERT INTO timeline_versions VALUES (?, ?)');
  version.run('c1', 3);
  version.run('c2', 7);
  db.close();
});

describe.concurrent('cricket turns', () => {
  it('lists with filters, newest first', async () => {
    const all = await json<{ turn_id: string; phase: string }[]>(['turns', 'list', '--db', path]);
    expect(all.map((row) => `${row.turn_id}/${row.phase}`)).toEqual([
      't3/final',
      't2/final',
      't1/final',
      't1/pre_inference',
    ]);
    expect((await json<unknown[]>(['turns', 'list', '--db', path, '--conv', 'c1'])).length).toBe(3);
    expect((await json<unknown[]>(['turns', 'list', '--db', path, '--session', 's1', '--phase', 'final'])).length).toBe(
      1,
    );
    expect((await json<unknown[]>(['turns', 'list', '--db', path, '--since', '2000'])).length).toBe(3);
    expect((await json<unknown[]>(['turns', 'list', '--db', path, '--limit', '1'])).length).toBe(1);
    const table = await cricket(['turns', 'list', '--db', path, '--conv', 'c2']);
    expect(table.stdout).toContain('t3');
    expect(table.stdout).toContain('1970-01-01T00:00:04.000Z');
  }, 240_000);

  it('shows a payload as YAML (JSON payloads converted) and fails clearly', async () => {
    const shown = await cricket(['turns', 'show', 't1', '--db', path]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.trimStart().startsWith('{')).toBe(false);
    expect(shown.stdout).toContain('t1');
    expect(shown.stderr).toContain('2 snapshots of t1');
    const missing = await cricket(['turns', 'show', 'nope', '--db', path]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('turn not found: nope');
    const noFile = await cricket(['turns', 'list', '--db', join(tmpdir(), 'cricket-no-such-file.sqlite')]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('database file not found');
    expect((await cricket(['turns', 'list', '--db', path, '--limit', 'many'])).code).toBe(2);
  }, 240_000);
});

describe.concurrent('cricket timeline', () => {
  it('lists conversations and their stats', async () => {
    const list = await json<Record<string, unknown>[]>(['timeline', 'list', '--db', path]);
    expect(list).toEqual([
      { conv_id: 'c1', version: 3, entity_count: 2, min_created_at_ms: 10, max_updated_at_ms: 40 },
      { conv_id: 'c2', version: 7, entity_count: 1, min_created_at_ms: 50, max_updated_at_ms: 45 },
    ]);
    const stats = await json<{ kind_counts: Record<string, number> }[]>([
      'timeline',
      'stats',
      '--db',
      path,
      '--conv-id-prefix',
      'c1',
    ]);
    expect(stats.map((row) => row.kind_counts)).toEqual([{ message: 1, tool_call: 1 }]);
  }, 240_000);

  it('snapshots a conversation, with since_version', async () => {
    const snapshot = await json<{ version: number; entity_count: number; entities: { id: string }[] }>([
      'timeline',
      'snapshot',
      '--db',
      path,
      '--conv-id',
      'c1',
      '--include-entities',
    ]);
    expect(snapshot).toMatchObject({ version: 3, entity_count: 2 });
    expect(snapshot.entities.map((entity) => entity.id)).toEqual(['m1', 'tc1']);
    const since = await json<{ entity_count: number }>([
      'timeline',
      'snapshot',
      '--db',
      path,
      '--conv-id',
      'c1',
      '--since-version',
      '1',
    ]);
    expect(since.entity_count).toBe(1);
    expect((await cricket(['timeline', 'snapshot', '--db', path])).code).toBe(2);
  }, 240_000);

  it('lists entities with summaries and ordering', async () => {
    const rows = await json<{ entity_id: string; summary: string }[]>([
      'timeline',
      'entities',
      '--db',
      path,
      '--conv-id',
      'c1',
      '--order',
      '-version',
    ]);
    expect(rows.map((row) => [row.entity_id, row.summary])).toEqual([
      ['tc1', 'tool_call calculator (completed)'],
      ['m1', 'user: hello'],
    ]);
    expect((await cricket(['timeline', 'entities', '--db', path, '--conv-id', 'c1', '--order', 'size'])).code).toBe(2);
  }, 240_000);

  it('verifies consistency', async () => {
    const issues = await json<{ conv_id: string; issue: string }[]>([
      'timeline',
      'verify',
      '--db',
      path,
      '--check-json',
    ]);
    expect(issues.map((row) => `${row.conv_id}:${row.issue}`)).toEqual([
      'c2:version_mismatch',
      'c2:updated_before_created',
      'c2:empty_kind',
      'c2:json_parse_error',
    ]);
    const ok = await json<unknown[]>(['timeline', 'verify', '--db', path, '--conv-id-prefix', 'c1', '--emit-ok']);
    expect(ok).toEqual([{ status: 'ok', issues: 0 }]);
  }, 240_000);
});

describe.concurrent('cricket profiles', () => {
  it('lists and shows profiles of a file without printing secrets', async () => {
    const list = await json<{ slug: string; default: boolean }[]>(['profiles', 'list', '--profiles', exampleProfiles]);
    expect(list.find((row) => row.default)?.slug).toBe('default');
    expect(list.map((row) => row.slug)).toContain('agent');
    const shown = await cricket(['profiles', 'show', 'openai', '--profiles', exampleProfiles, '--json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('sk-test-secret');
    expect(JSON.parse(shown.stdout)).toMatchObject({ slug: 'openai', available: true });
    const text = await cricket(['profiles', 'show', 'default']);
    expect(text.stdout).toContain('profile default (default)');
    const unknown = await cricket(['profiles', 'show', 'nope', '--profiles', exampleProfiles]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown profile "nope"');
  }, 240_000);

  it('reports a broken profiles file with exit code 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-cli-ops-'));
    const bad = join(dir, 'profiles.yaml');
    await writeFile(bad, 'profiles: 3\n');
    const result = await cricket(['profiles', 'list', '--profiles', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('profiles.yaml');
  }, 240_000);
});
