// rows-persisted: timeline/event rows persisted with group commit.
//
// Headline: the store-level micro-benchmark of `sqlite-group-commit.bench.ts` (another engineer's;
// run unchanged through its exported `runSqliteGroupCommitBench`): SqliteEventLog.append +
// SqliteTimelineStore.upsert in transactions of 100 frames on a WAL file (synchronous=NORMAL).
// Its store-level `/timeline` read figure is shown as a breakdown (the HTTP figure is
// timeline-hydration.bench.ts).
//
// Breakdown added here: the same through the real FramePipeline — `emit` (seq, projection of the
// message, coalescing off) for 20 interleaved conversations, then `flush` (encode each frame once,
// ONE transaction: event-log rows + one timeline upsert per changed entity, then publish to a no-op).
// Frames carry the whole `cumulative` text as the server's do (messages of 100 deltas), so this is
// the pipeline's real cost per row, projection and encoding included.
//
// Run alone: node --import tsx bench/rows-persisted.bench.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FramePipeline } from '@cricket/server';
import { openDatabase } from '@cricket/server/db';
import { SqliteEventLog, SqliteTimelineStore } from '@cricket/server/stores';
import { pinSelf } from './lib/cpu.js';
import { deltaTexts } from './lib/engines.js';
import { type BenchFigure, type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { cpuMicros } from './lib/stats.js';
import { runSqliteGroupCommitBench } from './sqlite-group-commit.bench.js';

const row = 'timeline/event rows persisted (group commit)';
const conversations = 20;
const framesPerFlush = 100;
const deltasPerMessage = 100;
const measureMs = 2500;

/** Runs the other engineer's benchmark, keeping its console output out of the report format. */
function groupCommitMicroBench(): { figures: BenchFigure[]; notes: string[] } {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  };
  let raw: ReturnType<typeof runSqliteGroupCommitBench>;
  try {
    raw = runSqliteGroupCommitBench();
  } finally {
    console.log = log;
  }
  const notes = printed.filter((line) => line.startsWith('note:')).map((line) => line.slice(5).trim());
  const figures: BenchFigure[] = [];
  for (const figure of raw) {
    const detail = (figure as { detail?: string }).detail;
    if (figure.unit === 'rows/s') {
      figures.push(
        budgeted(
          row,
          `${figure.name} — store level (sqlite-group-commit.bench.ts)`,
          figure.value,
          'rows/s',
          'min',
          100_000,
          {
            ...(detail ? { note: detail } : {}),
          },
        ),
      );
    } else {
      figures.push(
        breakdown(`${figure.name} — sqlite-group-commit.bench.ts`, figure.value, figure.unit, {
          note: `budget ${figure.budget}, ${figure.pass ? 'within' : 'over'}`,
        }),
      );
    }
  }
  return { figures, notes };
}

/** Rows per second through the real FramePipeline (emit + flush), as the server writes them. */
function pipelineRows(dir: string): BenchFigure[] {
  const db = openDatabase(join(dir, 'pipeline.db'));
  try {
    const eventLog = new SqliteEventLog(db);
    const timeline = new SqliteTimelineStore(db);
    let rows = 0;
    const pipeline = new FramePipeline({
      eventLog: {
        append: (frames) => {
          rows += frames.length;
          eventLog.append(frames);
        },
        read: (convId, options) => eventLog.read(convId, options),
        lastSeq: (convId) => eventLog.lastSeq(convId),
        latestForEntity: (convId, entityId) => eventLog.latestForEntity(convId, entityId),
      },
      timeline: {
        upsert: (convId, version, entities, nowMs) => {
          rows += entities.length;
          return timeline.upsert(convId, version, entities, nowMs);
        },
        snapshot: (convId, options) => timeline.snapshot(convId, options),
        snapshotJson: (convId, options) => timeline.snapshotJson(convId, options),
        entities: (convId) => timeline.entities(convId),
        version: (convId) => timeline.version(convId),
        close: () => undefined,
      },
      transaction: (work) => db.transaction(work),
      publish: () => undefined,
      coalesceDeltas: false,
    });
    const deltas = deltaTexts(7, deltasPerMessage);
    const state = Array.from({ length: conversations }, () => ({ index: 0, cumulative: '' }));
    let next = 0;
    const flushOnce = () => {
      for (let count = 0; count < framesPerFlush; count++) {
        const conv = next++ % conversations;
        const entry = state[conv] as { index: number; cumulative: string };
        const position = entry.index % deltasPerMessage;
        if (position === 0) entry.cumulative = '';
        const delta = deltas[position] as string;
        entry.cumulative += delta;
        const id = `msg-${Math.floor(entry.index / deltasPerMessage)}`;
        entry.index++;
        pipeline.emit(`conv-${conv}`, { type: 'llm.delta', id, data: { id, delta, cumulative: entry.cumulative } });
      }
      pipeline.flush();
    };
    const warmEnd = performance.now() + 400;
    while (performance.now() < warmEnd) flushOnce();
    rows = 0;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    let flushes = 0;
    while (performance.now() - started < measureMs) {
      flushOnce();
      flushes++;
    }
    const wallMs = performance.now() - started;
    const cpuMs = cpuMicros(cpuStart) / 1000;
    return [
      breakdown(
        'rows persisted through FramePipeline (emit + projection + encode + group commit)',
        rows / (wallMs / 1000),
        'rows/s',
        {
          note: `${flushes} flushes of ${framesPerFlush} frames over ${conversations} conversations (+1 entity upsert per conversation per flush); ${Math.round(rows / (cpuMs / 1000)).toLocaleString('en-US')} rows per CPU-second`,
        },
      ),
      breakdown('FramePipeline cost per frame (emit → committed)', (wallMs * 1000) / (flushes * framesPerFlush), 'µs'),
    ];
  } finally {
    db.close();
  }
}

export async function runRowsPersisted(): Promise<BenchResult> {
  const notes = [pinSelf()];
  const micro = groupCommitMicroBench();
  const dir = mkdtempSync(join(tmpdir(), 'cricket-bench-rows-'));
  try {
    return { figures: [...micro.figures, ...pipelineRows(dir)], notes: [...notes, ...micro.notes] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) runAsMain('rows-persisted', runRowsPersisted);
