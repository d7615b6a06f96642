// Reliability: restart continuity on the same database file, graceful shutdown mid-stream, and
// `kill -9` of a server process mid-stream (reference stack-performance-reliability §3.2 C.14).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SemEvent, TimelineEntity } from '@cricket/protocol';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  fetchTimeline,
  firstNonIncreasing,
  fold,
  getJson,
  postJson,
  rawSeqs,
  routeProfiles,
  seededRandom,
  settle,
  waitIdle,
  waitUntil,
} from './testing/integration-helpers.js';
import { startTestServer, type TestServer } from './testing/start-test-server.js';
import { openTestSocket } from './testing/test-socket.js';

const options = { profiles: routeProfiles(), debugApi: true };
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const serverScript = fileURLToPath(new URL('./testing/server-process.ts', import.meta.url));

interface LoggedFrame {
  seq: number;
  type: string;
  frame: unknown;
}

async function eventLog(server: TestServer, convId: string): Promise<LoggedFrame[]> {
  const response = await getJson(server.url, `/api/debug/events?conv_id=${convId}&limit=10000`);
  expect(response.status).toBe(200);
  return response.body.items as LoggedFrame[];
}

async function versionedTimeline(
  server: TestServer,
  convId: string,
): Promise<Map<string, { version: number; entity: TimelineEntity }>> {
  const response = await getJson(server.url, `/api/debug/timeline?conv_id=${convId}`);
  const items = response.body.items as { version: number; entity: TimelineEntity }[];
  return new Map(items.map((item) => [item.entity.id, item]));
}

function integrityCheck(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'cricket-reliability-')), 'cricket.sqlite');
}

describe.concurrent('restart continuity', () => {
  it('continues the session, keeps /timeline unchanged and seq strictly above the previous maximum', async () => {
    const first = await startTestServer(options);
    let second: TestServer | undefined;
    try {
      const opening = await postJson(first.url, '/chat', { conv_id: 'cont', prompt: 'my name is Ada' });
      await waitIdle(first.url, 'cont');
      await postJson(first.url, '/chat', { conv_id: 'cont', prompt: 'I like tea' });
      await waitIdle(first.url, 'cont');
      const timelineBefore = await fetchTimeline(first.url, 'cont');
      const logBefore = await eventLog(first, 'cont');
      const maxSeq = Math.max(...logBefore.map((frame) => frame.seq));
      await first.close();

      second = await startTestServer({ ...options, databasePath: first.databasePath });
      const timelineAfter = await fetchTimeline(second.url, 'cont');
      expect({ ...timelineAfter, serverTimeMs: '' }).toEqual({ ...timelineBefore, serverTimeMs: '' });
      expect(await eventLog(second, 'cont')).toEqual(logBefore);

      const socket = await openTestSocket(`${second.wsUrl}?conv_id=cont`);
      const next = await postJson(second.url, '/chat', { conv_id: 'cont', prompt: 'what is my name?' });
      expect(next.status).toBe(200);
      expect(next.body.session_id).toBe(opening.body.session_id);
      await waitIdle(second.url, 'cont');
      await settle(socket);

      // The new prompt's pre_inference snapshot holds the earlier turns of the session.
      const turns = await getJson(second.url, '/turns?conv_id=cont&phase=pre_inference&limit=1');
      const payload = turns.body.items[0].payload as string;
      expect(turns.body.items[0].session_id).toBe(opening.body.session_id);
      for (const text of ['my name is Ada', 'default answers: my name is Ada', 'I like tea', 'what is my name?']) {
        expect(payload).toContain(text);
      }
      const sessions = await getJson(second.url, '/api/debug/conversations/cont/sessions');
      expect(sessions.body.items.map((item: { session_id: string }) => item.session_id)).toEqual([
        opening.body.session_id,
      ]);

      const seqs = rawSeqs(socket.events);
      expect(seqs.length).toBeGreaterThan(0);
      expect(Math.min(...seqs)).toBeGreaterThan(maxSeq);
      for (const event of socket.events) if (event.seq !== undefined) expect(event.seq).toBeGreaterThan(maxSeq);
      const logAfter = (await eventLog(second, 'cont')).map((frame) => frame.seq);
      expect(firstNonIncreasing(logAfter)).toBeUndefined();
      const entities = (await fetchTimeline(second.url, 'cont')).entities ?? [];
      expect(entities.slice(0, timelineBefore.entities?.length)).toEqual(timelineBefore.entities);
      expect(entities).toHaveLength((timelineBefore.entities?.length ?? 0) + 2);
      socket.close();
    } finally {
      await first.close();
      await second?.close();
    }
  });

  it('interrupts an inference cleanly on a short graceful shutdown and resumes after restart', async () => {
    // Paced slowly enough (≥ 750 ms per answer) that the answer is still streaming at shutdown.
    const first = await startTestServer({ ...options, shutdownGraceMs: 10, paceMs: 10 });
    let second: TestServer | undefined;
    try {
      const socket = await openTestSocket(`${first.wsUrl}?conv_id=grace`);
      const started = await postJson(first.url, '/chat', { conv_id: 'grace', prompt: 'slow' });
      await socket.waitFor((event) => event.type === 'llm.delta');
      await first.close();
      expect(await socket.closed).toBe(1001);

      second = await startTestServer({ ...options, databasePath: first.databasePath });
      const entities = (await fetchTimeline(second.url, 'grace')).entities ?? [];
      const answer = entities.find((entity) => entity.message?.role === 'assistant');
      expect(answer?.message?.streaming).toBeUndefined();
      expect(answer?.message?.metadata?.stopReason).toBe('interrupted');
      expect(answer?.message?.content).toBeTruthy();
      const seen = fold(socket.events).get(answer?.id ?? '');
      expect(answer?.message?.content?.startsWith(seen?.message?.content ?? '\u0000')).toBe(true);
      const replayed = await postJson(
        second.url,
        '/chat',
        { conv_id: 'grace', prompt: 'slow' },
        { 'idempotency-key': started.body.idempotency_key },
      );
      expect(replayed.body.status).toBe('interrupted');
      expect((await postJson(second.url, '/chat', { conv_id: 'grace', prompt: 'go on' })).status).toBe(200);
      await waitIdle(second.url, 'grace');
      const after = (await fetchTimeline(second.url, 'grace')).entities ?? [];
      expect(after.filter((entity) => entity.message?.content === 'default answers: go on')).toHaveLength(1);
    } finally {
      await first.close();
      await second?.close();
    }
  });
});

describe.concurrent('idle eviction', () => {
  it('evicts idle conversations without sockets; an evicted conversation resumes its session and seq', async () => {
    const server = await startTestServer({ ...options, eviction: { idleMs: 30, intervalMs: 10 } });
    try {
      const live = () => server.server.manager.live().map((runtime) => runtime.convId);
      const watched = await openTestSocket(`${server.wsUrl}?conv_id=watched`);
      const first = await postJson(server.url, '/chat', { conv_id: 'idle', prompt: 'remember the word kiwi' });
      await postJson(server.url, '/chat', { conv_id: 'watched', prompt: 'hello' });
      await waitIdle(server.url, 'idle');
      await waitIdle(server.url, 'watched');
      const maxSeq = Math.max(...(await eventLog(server, 'idle')).map((frame) => frame.seq));
      await waitUntil(() => !live().includes('idle'), 5000, 'eviction');
      // A conversation with a socket stays.
      expect(live()).toContain('watched');

      const socket = await openTestSocket(`${server.wsUrl}?conv_id=idle`);
      const next = await postJson(server.url, '/chat', { conv_id: 'idle', prompt: 'which word?' });
      expect(next.body.session_id).toBe(first.body.session_id);
      await waitIdle(server.url, 'idle');
      await settle(socket);
      expect(Math.min(...rawSeqs(socket.events))).toBeGreaterThan(maxSeq);
      const turns = await getJson(server.url, '/turns?conv_id=idle&phase=pre_inference&limit=1');
      expect(turns.body.items[0].payload).toContain('remember the word kiwi');
      expect(turns.body.items[0].payload).toContain('which word?');
      const entities = (await fetchTimeline(server.url, 'idle')).entities ?? [];
      expect(entities.map((entity) => entity.message?.content)).toEqual([
        'remember the word kiwi',
        'default answers: remember the word kiwi',
        'which word?',
        'default answers: which word?',
      ]);
      socket.close();
      watched.close();
    } finally {
      await server.close();
    }
  });
});

/** Starts `server-process.ts` in a child process; resolves with it and its URL once it listens. */
async function startServerProcess(databasePath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, databasePath, '0', '5'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not start: ${stderr}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}: ${stderr}`));
    });
  });
  return { child, url };
}

describe.concurrent('kill -9 mid-stream', () => {
  it.each([3, 8])('loses nothing a client saw and accepts the next prompt (seed %i)', async (seed) => {
    const databasePath = tempDatabase();
    const { child, url } = await startServerProcess(databasePath);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let restarted: TestServer | undefined;
    try {
      const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
      const socket = await openTestSocket(`${wsUrl}?conv_id=crash`);
      const started = await postJson(url, '/chat', { conv_id: 'crash', prompt: '/long' });
      expect(started.status).toBe(200);
      const killAfter = 10 + Math.floor(seededRandom(seed)() * 60);
      await socket.waitFor(() => socket.events.filter((event) => event.type === 'llm.delta').length >= killAfter);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await socket.closed;
      const received: SemEvent[] = [...socket.events];
      const receivedTexts = [...socket.texts];
      expect(received.some((event) => event.type === 'llm.final')).toBe(false);

      restarted = await startTestServer({ databasePath, debugApi: true });
      const server = restarted;
      // What the client saw, folded exactly as a tab does, is all in /timeline, never older.
      const seen = fold(received);
      const persisted = await versionedTimeline(server, 'crash');
      expect(seen.size).toBeGreaterThanOrEqual(2);
      for (const { entity, version } of seen.versioned()) {
        const stored = persisted.get(entity.id);
        expect(stored, entity.id).toBeDefined();
        expect(stored?.version ?? 0, entity.id).toBeGreaterThanOrEqual(version);
        expect(stored?.entity.kind).toBe(entity.kind);
        if (entity.message) {
          expect(stored?.entity.message?.role).toBe(entity.message.role);
          expect(stored?.entity.message?.content?.startsWith(entity.message.content ?? '')).toBe(true);
        }
      }
      // Every raw frame the client got is in the event log, byte for byte; no seq twice.
      const log = await eventLog(server, 'crash');
      const seqs = log.map((frame) => frame.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(firstNonIncreasing(seqs)).toBeUndefined();
      const logged = new Map(log.map((frame) => [frame.seq, JSON.stringify(frame.frame)]));
      for (const [index, event] of received.entries()) {
        if (event.type === 'timeline.upsert' || event.seq === undefined) continue;
        expect(logged.get(event.seq), `${event.type} ${event.seq}`).toBe(receivedTexts[index]);
      }
      // No duplicate entity; the interrupted inference is marked and its message closed.
      const entities = (await fetchTimeline(server.url, 'crash')).entities ?? [];
      expect(new Set(entities.map((entity) => entity.id)).size).toBe(entities.length);
      expect(entities.filter((entity) => entity.message?.streaming)).toEqual([]);
      const marks = entities.filter((entity) => entity.kind === 'error' && entity.error?.code === 'interrupted');
      expect(marks).toHaveLength(1);
      const answer = entities.find((entity) => entity.message?.role === 'assistant');
      expect(answer?.message?.metadata?.stopReason).toBe('interrupted');
      const replay = await postJson(
        server.url,
        '/chat',
        { conv_id: 'crash', prompt: '/long' },
        { 'idempotency-key': started.body.idempotency_key },
      );
      expect(replay.body.status).toBe('interrupted');

      // The conversation accepts the next prompt, in the same session, with seq above everything.
      const next = await openTestSocket(`${server.wsUrl}?conv_id=crash`);
      const again = await postJson(server.url, '/chat', { conv_id: 'crash', prompt: 'are you back?' });
      expect(again.status).toBe(200);
      expect(again.body.session_id).toBe(started.body.session_id);
      const final = await next.waitFor((event) => event.type === 'llm.final');
      expect(final.type === 'llm.final' && final.data.text).toContain('are you back?');
      await waitIdle(server.url, 'crash');
      const maxBefore = Math.max(...seqs);
      expect(Math.min(...rawSeqs(next.events))).toBeGreaterThan(maxBefore);
      next.close();
      await restarted.close();
      restarted = undefined;
      expect(integrityCheck(databasePath)).toBe('ok');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await restarted?.close();
    }
  });
});
