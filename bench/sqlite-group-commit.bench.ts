// Micro-benchmark: event-log frames + timeline upserts persisted in group-commit transactions of
// 100 frames, on a temporary WAL file (synchronous=NORMAL), as the streaming pipeline does.
// Also times a `/timeline` hydration read of a 10,000-entity conversation.
//
// Run: node --import tsx bench/sqlite-group-commit.bench.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TimelineEntity } from '@cricket/protocol';
import { type CricketDatabase, openDatabase } from '../packages/server/src/db/index.js';
import { SqliteEventLog, SqliteTimelineStore, type StoredFrame } from '../packages/server/src/stores/index.js';

const framesPerCommit = 100;
const conversations = 20;
const framesPerMessage = 50;
const measureMs = 3000;
const warmupMs = 500;
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
}

const text = 'The quick brown fox jumps over the lazy dog while streaming tokens. '.repeat(40);

/** Streams synthetic deltas: each conversation writes one growing assistant message, a new one every 50 frames. */
class SyntheticStream {
  readonly #seq = new Array<number>(conversations).fill(0);
  #next = 0;

  frame(nowMs: number): { frame: StoredFrame; entity: TimelineEntity } {
    const conversation = this.#next;
    this.#next = (this.#next + 1) % conversations;
    const seq = (this.#seq[conversation] ?? 0) + 1;
    this.#seq[conversation] = seq;
    const convId = `conv-${conversation}`;
    const messageId = `msg-${Math.floor((seq - 1) / framesPerMessage)}`;
    const delta = text.slice((seq % 60) * 16, (seq % 60) * 16 + 16);
    const cumulative = text.slice(0, (((seq - 1) % framesPerMessage) + 1) * 20);
    const frame: StoredFrame = {
      convId,
      seq,
      type: 'llm.delta',
      entityId: messageId,
      sessionId: `session-${conversation}`,
      inferenceId: `inference-${conversation}`,
      turnId: `turn-${conversation}`,
      createdAtMs: nowMs,
      frame: JSON.stringify({
        sem: true,
        event: { type: 'llm.delta', id: messageId, seq, data: { delta, cumulative: cumulative.slice(-64) } },
      }),
    };
    const entity: TimelineEntity = {
      id: messageId,
      kind: 'message',
      message: { role: 'assistant', content: cumulative, streaming: true },
    };
    return { frame, entity };
  }
}

function groupCommit(db: CricketDatabase, log: SqliteEventLog, timeline: SqliteTimelineStore, stream: SyntheticStream): void {
  const nowMs = Date.now();
  const batch = Array.from({ length: framesPerCommit }, () => stream.frame(nowMs));
  db.transaction(() => {
    log.append(batch.map((item) => item.frame));
    for (const item of batch) timeline.upsert(item.frame.convId, item.frame.seq, [item.entity], nowMs);
  });
}

function measureGroupCommit(dir: string): BenchFigure {
  const db = openDatabase(join(dir, 'group-commit.db'));
  try {
    const log = new SqliteEventLog(db);
    const timeline = new SqliteTimelineStore(db);
    const stream = new SyntheticStream();
    const warmupEnd = performance.now() + warmupMs;
    while (performance.now() < warmupEnd) groupCommit(db, log, timeline, stream);
    let commits = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < measureMs) {
      groupCommit(db, log, timeline, stream);
      commits += 1;
      elapsed = performance.now() - start;
    }
    const rowsPerSecond = (commits * framesPerCommit * 2) / (elapsed / 1000);
    return {
      name: 'timeline/event rows persisted (group commit)',
      value: rowsPerSecond,
      unit: 'rows/s',
      budget: `≥ ${rowsBudget.toLocaleString('en-US')} rows/s`,
      pass: rowsPerSecond >= rowsBudget,
    };
  } finally {
    db.close();
  }
}

function measureHydration(dir: string): BenchFigure {
  const db = openDatabase(join(dir, 'hydration.db'));
  try {
    const timeline = new SqliteTimelineStore(db);
    db.transaction(() => {
      for (let index = 0; index < hydrationEntities; index += 1) {
        const entity: TimelineEntity =
          index % 3 === 2
            ? { id: `tool-${index}`, kind: 'tool_call', toolCall: { name: 'search', input: { query: text.slice(0, 80) }, status: 'completed', progress: 1, done: true } }
            : { id: `msg-${index}`, kind: 'message', message: { role: index % 3 ? 'assistant' : 'user', content: text.slice(0, 400) } };
        timeline.upsert('big', index + 1, [entity], Date.now());
      }
    });
    const timings: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      const start = performance.now();
      const snapshot = timeline.snapshot('big', { limit: hydrationEntities });
      JSON.stringify(snapshot);
      timings.push(performance.now() - start);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)] ?? Number.NaN;
    return {
      name: `/timeline hydration of ${hydrationEntities.toLocaleString('en-US')} entities (read + decode + JSON)`,
      value: median,
      unit: 'ms',
      budget: `≤ ${hydrationBudgetMs} ms`,
      pass: median <= hydrationBudgetMs,
    };
  } finally {
    db.close();
  }
}

/** Runs both measurements on a temporary directory and prints one line per figure. */
export function runSqliteGroupCommitBench(): BenchFigure[] {
  const dir = mkdtempSync(join(tmpdir(), 'cricket-bench-'));
  try {
    const figures = [measureGroupCommit(dir), measureHydration(dir)];
    for (const figure of figures) {
      const value = figure.unit === 'ms' ? figure.value.toFixed(1) : Math.round(figure.value).toLocaleString('en-US');
      console.log(`${figure.name}: ${value} ${figure.unit}  (budget ${figure.budget})  ${figure.pass ? 'PASS' : 'FAIL'}`);
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSqliteGroupCommitBench();
}
