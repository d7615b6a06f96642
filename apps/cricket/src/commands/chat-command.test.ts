import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvent } from '@cricket/core';
import { type TimelineEntity, timelineSnapshotSchema } from '@cricket/protocol';
import { openTestSocket, startTestServer } from '@cricket/server/testing';
import { describe, expect, it } from 'vitest';
import { execCricket } from '../testing/cricket-binary.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cricket-chat-'));
}

// Each test starts `cricket` processes (TypeScript through tsx, ~1.5 s each on an idle machine), and
// the files run concurrently with the rest of the suite on two cores: allow for a loaded machine.

/** The NDJSON lines of a conversation-mode `--json` output. */
function jsonLines(stdout: string): { type: string; entity?: TimelineEntity; status?: string; conv_id?: string }[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function timelineOf(url: string, convId: string, token?: string): Promise<TimelineEntity[]> {
  const response = await fetch(`${url}/timeline?conv_id=${encodeURIComponent(convId)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  return timelineSnapshotSchema.parse(await response.json()).entities ?? [];
}

const textOf = (entities: readonly TimelineEntity[], role: string) =>
  entities.filter((entity) => entity.message?.role === role).map((entity) => entity.message?.content);

describe.concurrent('cricket chat --memory', { timeout: 90_000 }, () => {
  it('answers a prompt with a calculator tool call and labels the offline engine', async () => {
    const result = await execCricket(['chat', '--memory', '--pace', '0', 'what is 12 * (3 + 4)?']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('offline scripted engine');
    expect(result.stderr).toContain('nothing stored');
    expect(result.stdout).toContain('→ calculator {"expression":"12 * (3 + 4)"}');
    expect(result.stdout).toContain('The result of `12 * (3 + 4)` is **84**.');
  });

  it('prints decodable NDJSON events with --json', async () => {
    const result = await execCricket(['chat', '--memory', '--json', '--pace', '0', 'hello']);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => decodeEvent(line));
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('final');
    expect(new Set(events.map((event) => event.meta.session_id)).size).toBe(1);
  });

  it('reads one prompt per stdin line and keeps one session', async () => {
    const input = 'hello\n\nwhat is 2 + 2\n/exit\nnever sent\n';
    const result = await execCricket(['chat', '--memory', '--json', '--pace', '0'], { input });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => decodeEvent(line));
    expect(events.filter((event) => event.type === 'final')).toHaveLength(3);
    expect(new Set(events.map((event) => event.meta.session_id)).size).toBe(1);
    expect(new Set(events.map((event) => event.meta.inference_id)).size).toBe(2);
    expect(result.stdout).not.toContain('never sent');
  });

  it('runs a YAML script and fails with exit code 1 on an engine error', async () => {
    const script = join(await tempDir(), 'script.yaml');
    await writeFile(script, 'rules:\n  - steps:\n      - text: partial\n        error: upstream exploded\n');
    const result = await execCricket(['chat', '--memory', '--script', script, 'hi']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('partial');
    expect(result.stderr).toContain('error: upstream exploded');
  });

  it('rejects a bad script and bad options with a clear message', async () => {
    const script = join(await tempDir(), 'bad.yaml');
    await writeFile(script, 'rules: 3\n');
    const bad = await execCricket(['chat', '--memory', '--script', script, 'hi']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid scripted-engine .*bad.yaml: rules/);
    const pace = await execCricket(['chat', '--memory', '--pace', 'fast', 'hi']);
    expect(pace.code).toBe(2);
    expect(pace.stderr).toContain('--pace must be a non-negative number');
  });
});

describe.concurrent('cricket chat on a local database', { timeout: 90_000 }, () => {
  it('streams the answer, stores the conversation, and continues it with --conv', async () => {
    const db = join(await tempDir(), 'chat.sqlite');
    const first = await execCricket(['chat', '--db', db, 'what is 12 * (3 + 4)?']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('offline scripted engine');
    expect(first.stdout).toContain('→ calculator {"expression":"12 * (3 + 4)"}');
    expect(first.stdout).toContain('← calculator: {"expression":"12 * (3 + 4)","result":84}');
    expect(first.stdout).toContain('The result of `12 * (3 + 4)` is **84**.');
    const convId = /conversation ([0-9a-f-]{36})/.exec(first.stderr)?.[1] ?? '';
    expect(convId).not.toBe('');

    const second = await execCricket(['chat', '--db', db, '--conv', convId, '/think why is the sky blue']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('thinking: ');
    expect(second.stdout).toContain('You said: *why is the sky blue*');

    // Everything is in the database: the timeline, and the turn snapshots of both answers.
    const entities = await execCricket(['timeline', 'entities', '--db', db, '--conv-id', convId, '--json']);
    expect(entities.code, entities.stderr).toBe(0);
    const rows = JSON.parse(entities.stdout) as { kind: string; summary: string }[];
    expect(rows.filter((row) => row.summary.startsWith('user: '))).toHaveLength(2);
    expect(rows.some((row) => row.summary === 'tool_call calculator (completed)')).toBe(true);
    const turns = await execCricket(['turns', 'list', '--db', db, '--conv', convId, '--phase', 'final', '--json']);
    expect(turns.code, turns.stderr).toBe(0);
    const finals = JSON.parse(turns.stdout) as { session_id: string }[];
    expect(finals).toHaveLength(2);
    expect(new Set(finals.map((row) => row.session_id)).size).toBe(1);
  });

  it('prints entity lines and a done line with --json, one conversation for every stdin line', async () => {
    const db = join(await tempDir(), 'chat.sqlite');
    const result = await execCricket(['chat', '--db', db, '--json'], { input: 'hello\nwhat is 2 + 2\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = jsonLines(result.stdout);
    const done = lines.filter((line) => line.type === 'done');
    expect(done.map((line) => line.status)).toEqual(['completed', 'completed']);
    expect(new Set(done.map((line) => line.conv_id)).size).toBe(1);
    const finalTexts = new Map<string, string>();
    for (const line of lines)
      if (line.entity?.message?.role === 'assistant') finalTexts.set(line.entity.id, line.entity.message.content ?? '');
    expect([...finalTexts.values()].at(-1)).toContain('**4**');
    expect(lines.every((line) => line.type === 'entity' || line.type === 'done')).toBe(true);
  });

  it('fails with exit code 1 when the answer fails, and for an unknown profile', async () => {
    const db = join(await tempDir(), 'chat.sqlite');
    const failed = await execCricket(['chat', '--db', db, '/fail']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: scripted failure requested');
    const unknown = await execCricket(['chat', '--db', db, '--profile', 'nope', 'hi']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown profile "nope" (profiles: default)');
  });

  it('uses a profiles file and its profile', async () => {
    const dir = await tempDir();
    const profiles = join(dir, 'profiles.yaml');
    await writeFile(
      profiles,
      [
        'profiles:',
        '  - slug: terse',
        '    provider: scripted',
        '    script:',
        '      pace_ms: 0',
        '      rules:',
        '        - steps:',
        '            - text: "Scripted by the terse profile."',
        '',
      ].join('\n'),
    );
    const result = await execCricket([
      'chat',
      '--db',
      join(dir, 'chat.sqlite'),
      '--profiles',
      profiles,
      '--profile',
      'terse',
      'hi',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('profile terse');
    expect(result.stdout.trim()).toBe('Scripted by the terse profile.');
  });
});

describe.concurrent('cricket chat --server', { timeout: 90_000 }, () => {
  it('streams from a running server that every open tab sees, and stores it there', async () => {
    const server = await startTestServer({ authToken: 'secret-token' });
    try {
      const convId = 'cli-server-conv';
      const tab = await openTestSocket(`${server.wsUrl}?conv_id=${convId}`, { authorization: 'Bearer secret-token' });
      const result = await execCricket(
        ['chat', '--server', server.url, '--auth-token', 'secret-token', '--conv', convId, 'what is 6 * 7?'],
        {},
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`server ${server.url}`);
      expect(result.stdout).toContain('The result of `6 * 7` is **42**.');
      await tab.waitFor((event) => event.type === 'llm.final');
      expect(tab.events.some((event) => event.type === 'llm.delta')).toBe(true);
      tab.close();
      const entities = await timelineOf(server.url, convId, 'secret-token');
      expect(textOf(entities, 'user')).toEqual(['what is 6 * 7?']);
      expect(textOf(entities, 'assistant').at(-1)).toBe('The result of `6 * 7` is **42**.');
    } finally {
      await server.close();
    }
  });

  it('takes the token from CRICKET_AUTH_TOKEN and reports a refused token or an unreachable server', async () => {
    const server = await startTestServer({ authToken: 'secret-token' });
    try {
      const fromEnv = await execCricket(['chat', '--server', server.url, 'hello'], {
        env: { CRICKET_AUTH_TOKEN: 'secret-token' },
      });
      expect(fromEnv.code, fromEnv.stderr).toBe(0);
      expect(fromEnv.stdout).toContain('You said: *hello*');
      const refused = await execCricket(['chat', '--server', server.url, '--auth-token', 'wrong', 'hello']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/cricket chat: .*(401|unauthori[sz]ed|token)/i);
    } finally {
      await server.close();
    }
    const unreachable = await execCricket(['chat', '--server', server.url, 'hello']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cricket chat: ');
  });
});

describe.concurrent('cricket chat usage errors', { timeout: 90_000 }, () => {
  it.each([
    [['--memory', '--server', 'http://127.0.0.1:1'], '--memory and --server exclude each other'],
    [['--memory', '--db', 'x.sqlite'], '--db does not apply to --memory'],
    [['--memory', '--conv', 'c1'], '--conv does not apply to --memory'],
    [['--server', 'http://127.0.0.1:1', '--profiles', 'p.yaml'], '--profiles does not apply to --server'],
    [['--script', 's.yaml'], '--script does not apply to the local mode'],
    [['--auth-token', 't'], '--auth-token does not apply to the local mode'],
  ])('%j → exit 2', async (args, message) => {
    const result = await execCricket(['chat', ...args, 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
