// timeline-hydration: `GET /timeline` of a 10,000-entity conversation, end to end.
//
// The SQLite file is seeded through the real SqliteTimelineStore (one transaction): a conversation
// of user messages, assistant messages (~400 characters), tool calls and tool results. Then a real
// server (startTestServer on that file) answers `GET /timeline?conv_id=…&limit=10000` (the default
// page is 5,000) and the client — fetch in the same process — times request → last body byte
// (the body is not parsed: that is the browser's cost). Median of 20 after 2 warm-ups.
// Breakdowns: the store's snapshot (SQLite read + JSON.parse + schema decode per row) and the
// JSON encoding of the body, timed in the same process.
//
// Run alone: node --import tsx bench/timeline-hydration.bench.ts

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelineEntity } from '@cricket/protocol';
import { openDatabase } from '@cricket/server/db';
import { SqliteTimelineStore } from '@cricket/server/stores';
import { startTestServer } from '@cricket/server/testing';
import { pinSelf } from './lib/cpu.js';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { median } from './lib/stats.js';

const entities = 10_000;
const runs = 20;
const convId = 'hydration-10k';
const text = 'The quick brown fox jumps over the lazy dog while streaming tokens. '.repeat(8);

function entity(index: number): TimelineEntity {
  switch (index % 4) {
    case 0:
      return { id: `user-${index}`, kind: 'message', message: { role: 'user', content: text.slice(0, 120) } };
    case 1:
      return { id: `msg-${index}`, kind: 'message', message: { role: 'assistant', content: text.slice(0, 400) } };
    case 2:
      return {
        id: `call-${index}`,
        kind: 'tool_call',
        toolCall: { name: 'search', input: { query: text.slice(0, 60) }, status: 'completed', progress: 1, done: true },
      };
    default:
      return {
        id: `call-${index - 1}:result`,
        kind: 'tool_result',
        toolResult: { toolCallId: `call-${index - 1}`, resultRaw: JSON.stringify({ hits: [text.slice(0, 160)] }) },
      };
  }
}

function seed(path: string): void {
  const db = openDatabase(path);
  try {
    const store = new SqliteTimelineStore(db);
    const now = Date.now();
    db.transaction(() => {
      for (let index = 0; index < entities; index++) store.upsert(convId, index + 1, [entity(index)], now);
    });
  } finally {
    db.close();
  }
}

export async function runTimelineHydration(): Promise<BenchResult> {
  const notes = [pinSelf(), 'client: fetch in the same process, body read as bytes (not parsed)'];
  const databasePath = join(mkdtempSync(join(tmpdir(), 'cricket-bench-hydration-')), 'cricket.sqlite');
  const seedStart = performance.now();
  seed(databasePath);
  const seedMs = performance.now() - seedStart;
  const server = await startTestServer({ databasePath });
  try {
    const url = `${server.url}/timeline?conv_id=${convId}&limit=${entities}`;
    const timings: number[] = [];
    let bytes = 0;
    let count = -1;
    for (let run = 0; run < runs + 2; run++) {
      const started = performance.now();
      const response = await fetch(url);
      const body = await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET /timeline answered ${response.status}`);
      if (run >= 2) timings.push(elapsed);
      bytes = body.byteLength;
      if (run === 0)
        count = (JSON.parse(new TextDecoder().decode(body)) as { entities?: unknown[] }).entities?.length ?? 0;
    }
    if (count !== entities) throw new Error(`GET /timeline returned ${count} entities, expected ${entities}`);
    const store = server.server.services.timeline;
    const bodyTimes: number[] = [];
    const snapshotTimes: number[] = [];
    const encodeTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const bodyStarted = performance.now();
      store.snapshotJson(convId, { limit: entities });
      bodyTimes.push(performance.now() - bodyStarted);
      const started = performance.now();
      const snapshot = store.snapshot(convId, { limit: entities });
      const read = performance.now();
      JSON.stringify(snapshot);
      encodeTimes.push(performance.now() - read);
      snapshotTimes.push(read - started);
    }
    return {
      figures: [
        budgeted(
          '/timeline hydration of a 10,000-entity conversation',
          'GET /timeline, 10,000 entities, end to end (median)',
          median(timings),
          'ms',
          'max',
          50,
          {
            note: `${runs} runs, ${(bytes / 1e6).toFixed(2)} MB body, min ${Math.min(...timings).toFixed(1)} ms, max ${Math.max(...timings).toFixed(1)} ms`,
          },
        ),
        breakdown(
          '  body as /timeline builds it (snapshotJson: stored JSON bytes of verified rows, concatenated)',
          median(bodyTimes),
          'ms',
        ),
        breakdown(
          '  for comparison, the decoding path: snapshot() (SQLite read + JSON.parse + schema decode)',
          median(snapshotTimes),
          'ms',
        ),
        breakdown('  … plus JSON encoding of that snapshot', median(encodeTimes), 'ms'),
        breakdown('seeding 10,000 entities through SqliteTimelineStore.upsert (one transaction)', seedMs, 'ms'),
      ],
      notes,
    };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) runAsMain('timeline-hydration', runTimelineHydration);
