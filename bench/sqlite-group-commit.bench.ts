// Micro-benchmark: event-log frames + timeline upserts persisted in group-commit transactions of
// 100 frames on a temporary WAL file (synchronous=NORMAL), the way the streaming pipeline writes them.
// Also times a `/timeline` read of a 10,000-entity conversation (store read + decode + JSON).
//
// Run: node --import tsx bench/sqlite-group-commit.bench.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TimelineEntity } from '@cricket/protocol';
import { type CricketDatabase, openDatabase } from '../packages/server/src/db/index.js';
import { SqliteEventLog, SqliteTimelineStore, type StoredFrame } from '../packages/server/src/stores/index.js';

const framesPerCommit = 100;
const conversations = 10;
const framesPerMessage = 50;
const warmupMs = 500;
const measureMs = 3000;
const rowsBudget = 100_000;
const hydrationEntities = 10_000;
const hydrationBudgetMs = 50;

/** One benchmark figure next to its budget. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  budget: string;
  pass: boolean;
  detail: string;
}

interface SyntheticFrame {
  frame: StoredFrame;
  entity: TimelineEntity;
}

const text = 'The quick brown fox jumps over the lazy dog while streaming tokens. '.repeat(40);

/**
 * Synthetic deltas: `conversations` interleaved streams, each writing one growing assistant message
 * (20 characters per delta, up to 1 KB) and starting a new message every 50 frames.
 */
class SyntheticStreams {
  readonly #seq = new Array<number>(conversations).fill(0);
  #next = 0;

  batch(nowMs: number): SyntheticFrame[] {
    return Array.from({ length: framesPerCommit }, () => this.#frame(nowMs));
  }

  #frame(nowMs: number): SyntheticFrame {
    const conversation = this.#next;
    this.#next = (this.#next + 1) % conversations;
    const seq = (this.#seq[conversation] ?? 0) + 1;
    this.#seq[conversation] = seq;
    const convId = `conv-${conversation}`;
    const messageId = `msg-${Math.floor((seq - 1) / framesPerMessage)}`;
    const length = (((seq - 1) % framesPerMessage) + 1) * 20;
    const frame = JSON.stringify({
      sem: true,
      event: { type: 'llm.delta', id: messageId, seq, data: { delta: text.slice(length - 20, length) } },
    });
    return {
      frame: {
        convId,
        seq,
        type: 'llm.delta',
        entityId: messageId,
        sessionId: `session-${conversation}`,
        inferenceId: `inference-${conversation}`,
        turnId: `turn-${conversation}`,
        createdAtMs: nowMs,
        frame,
      },
      entity: {
        id: messageId,
        kind: 'message',
        message: { role: 'assistant', content: text.slice(0, length), streaming: true },
      },
    };
  }
}

/** One group commit: the batch's frames appended, then one timeline upsert per frame. */
function groupCommit(
  db: CricketDatabase,
  log: SqliteEventLog,
  timeline: SqliteTimelineStore,
  batch: SyntheticFrame[],
): { wallMs: number; cpuMs: number } {
  const nowMs = Date.now();
  const frames = batch.map((item) => item.frame);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  db.transaction(() => {
    log.append(frames);
    for (const item of batch) timeline.upsert(item.frame.convId, item.frame.seq, [item.entity], nowMs);
  });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function measureGroupCommit(dir: string): BenchFigure {
  const db = openDatabase(join(dir, 'group-commit.db'));
  try {
    const log = new SqliteEventLog(db);
    const timeline = new SqliteTimelineStore(db);
    const streams = new SyntheticStreams();
    const warmupEnd = performance.now() + warmupMs;
    while (performance.now() < warmupEnd) groupCommit(db, log, timeline, streams.batch(Date.now()));
    let commits = 0;
    let busyMs = 0;
    let cpuMs = 0;
    while (busyMs < measureMs) {
      const commit = groupCommit(db, log, timeline, streams.batch(Date.now()));
      busyMs += commit.wallMs;
      cpuMs += commit.cpuMs;
      commits += 1;
    }
    const rows = commits * framesPerCommit * 2;
    const rowsPerSecond = rows / (busyMs / 1000);
    const rowsPerCpuSecond = rows / (cpuMs / 1000);
    return {
      name: 'timeline/event rows persisted (group commit)',
      value: rowsPerSecond,
      unit: 'rows/s',
      budget: `≥ ${rowsBudget.toLocaleString('en-US')} rows/s`,
      pass: rowsPerSecond >= rowsBudget,
      detail: `${commits} commits of ${framesPerCommit} frames (1 event row + 1 entity upsert each), ${conversations} interleaved conversations, entity JSON up to 1 KB, WAL + synchronous=NORMAL; ${Math.round(rowsPerCpuSecond).toLocaleString('en-US')} rows per CPU-second`,
    };
  } finally {
    db.close();
  }
}

function hydrationEntity(index: number): TimelineEntity {
  if (index % 3 === 2) {
    return {
      id: `tool-${index}`,
      kind: 'tool_call',
      toolCall: { name: 'search', input: { query: text.slice(0, 80) }, status: 'completed', progress: 1, done: true },
    };
  }
  return {
    id: `msg-${index}`,
    kind: 'message',
    message: { role: index % 3 ? 'assistant' : 'user', content: text.slice(0, 400) },
  };
}

function measureHydration(dir: string): BenchFigure {
  const db = openDatabase(join(dir, 'hydration.db'));
  try {
    const timeline = new SqliteTimelineStore(db);
    db.transaction(() => {
      for (let index = 0; index < hydrationEntities; index += 1) {
        timeline.upsert('big', index + 1, [hydrationEntity(index)], Date.now());
      }
    });
    const timings: number[] = [];
    for (let run = 0; run < 9; run += 1) {
      const start = performance.now();
      JSON.stringify(timeline.snapshot('big', { limit: hydrationEntities }));
      timings.push(performance.now() - start);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)] ?? Number.NaN;
    return {
      name: `/timeline hydration of ${hydrationEntities.toLocaleString('en-US')} entities (store read + decode + JSON)`,
      value: median,
      unit: 'ms',
      budget: `≤ ${hydrationBudgetMs} ms`,
      pass: median <= hydrationBudgetMs,
      detail: `median of ${timings.length} reads; 2/3 messages of 400 characters, 1/3 tool calls`,
    };
  } finally {
    db.close();
  }
}

/** Runs both measurements in a temporary directory and prints one line per figure. */
export function runSqliteGroupCommitBench(): BenchFigure[] {
  const dir = mkdtempSync(join(tmpdir(), 'cricket-bench-'));
  try {
    const load = loadavg()[0] ?? 0;
    if (load > availableParallelism()) {
      console.log(
        `note: load average ${load.toFixed(1)} on ${availableParallelism()} cores; wall-clock figures are unreliable`,
      );
    }
    const figures = [measureGroupCommit(dir), measureHydration(dir)];
    for (const figure of figures) {
      const value = figure.unit === 'ms' ? figure.value.toFixed(1) : Math.round(figure.value).toLocaleString('en-US');
      console.log(
        `${figure.name}: ${value} ${figure.unit}  (budget ${figure.budget})  ${figure.pass ? 'PASS' : 'FAIL'}`,
      );
      console.log(`  ${figure.detail}`);
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSqliteGroupCommitBench();
}
