// chat-post: `POST /chat` (validate, idempotency lookup + insert, enqueue or start) throughput and
// latency. Real server (startTestServer, SQLite file) pinned to core 0; the load generator is a
// helper process on core 1 (lib/http-load-worker.ts, node:http keep-alive Agent), so the server's
// core only serves requests.
//
// Every request carries a fresh `Idempotency-Key` and goes to one of 2,000 conversations per phase:
// the first request of a conversation creates it and starts an inference, the next ones queue behind
// it (≤ 8 per conversation, under the default queue limit of 32). The engine (IdleEngine) accepts
// the inference and stays silent until cancelled, so the figure is the request path, not streaming.
//
// 1. closed loop, 32 connections, 3 s → requests/s (budget ≥ 3,000).
// 2. open loop at 1,000 requests/s for 2 s, 64 connections → p99 latency from each request's due time
//    (budget ≤ 10 ms).
//
// Run alone: node --import tsx bench/chat-post.bench.ts

import { scriptedProfile, startTestServer } from '@cricket/server/testing';
import { forkHelper, pinSelf } from './lib/cpu.js';
import { IdleEngine } from './lib/engines.js';
import type { LoadReport } from './lib/http-load-worker.js';
import { Helper } from './lib/ipc.js';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { cpuMicros } from './lib/stats.js';

const conversations = 2000;
const row = 'POST /chat (validate, idempotency, enqueue)';

function describe(report: LoadReport, cpuPercent: number): string {
  return `${report.completed} answered (${Object.entries(report.statuses)
    .map(([status, count]) => `${count}×${status}`)
    .join(
      ', ',
    )}${report.errors ? `, ${report.errors} errors` : ''}), server CPU ${cpuPercent.toFixed(0)}%, client CPU ${report.clientCpuPercent.toFixed(0)}%`;
}

export async function runChatPost(): Promise<BenchResult> {
  const notes = [pinSelf(), 'load generator: separate process (node:http keep-alive) pinned to core 1'];
  const server = await startTestServer({
    profiles: [scriptedProfile('default', { tools: [] })],
    createEngine: () => new IdleEngine(),
    shutdownGraceMs: 100,
  });
  const helper = new Helper(forkHelper(new URL('./lib/http-load-worker.ts', import.meta.url)));
  try {
    const measure = async (command: string, args: Record<string, unknown>) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const report = await helper.request<LoadReport>(command, { url: server.url, conversations, ...args });
      const cpuPercent = (100 * cpuMicros(cpu)) / 1000 / (performance.now() - started);
      return { report, cpuPercent };
    };
    await measure('closedLoop', { tag: 'warmup', concurrency: 16, durationMs: 1000 });
    const closed = await measure('closedLoop', { tag: 'closed', concurrency: 32, durationMs: 3000 });
    const open = await measure('openLoop', { tag: 'open', rate: 1000, durationMs: 2000, connections: 64 });
    const throughput = closed.report.completed / (closed.report.elapsedMs / 1000);
    const bad = (report: LoadReport) =>
      report.errors +
      Object.entries(report.statuses).reduce(
        (sum, [status, count]) => sum + (status === '200' || status === '202' ? 0 : count),
        0,
      );
    if (bad(closed.report) + bad(open.report) > 0)
      notes.push('some requests were not answered 200/202: see the statuses');
    return {
      figures: [
        budgeted(row, 'POST /chat throughput (closed loop, 32 connections)', throughput, 'req/s', 'min', 3000, {
          note: `${describe(closed.report, closed.cpuPercent)}; p50 ${closed.report.p50.toFixed(2)} ms, p99 ${closed.report.p99.toFixed(2)} ms`,
        }),
        budgeted(row, 'POST /chat p99 latency at 1,000 req/s (open loop)', open.report.p99, 'ms', 'max', 10, {
          note: describe(open.report, open.cpuPercent),
        }),
        breakdown('POST /chat p50 latency at 1,000 req/s', open.report.p50, 'ms'),
        breakdown('POST /chat p99.9 latency at 1,000 req/s', open.report.p999, 'ms'),
        breakdown('POST /chat max latency at 1,000 req/s', open.report.max, 'ms'),
        breakdown('server CPU per POST /chat (closed loop)', (closed.cpuPercent * 10) / throughput, 'ms', {
          digits: 3,
        }),
      ],
      notes,
    };
  } finally {
    await helper.stop();
    const closing = performance.now();
    await server.close();
    const closeMs = performance.now() - closing;
    if (closeMs > 2000)
      notes.push(`server.close() took ${(closeMs / 1000).toFixed(1)} s (cancelling the idle inferences)`);
  }
}

if (isMain(import.meta.url)) runAsMain('chat-post', runChatPost);
