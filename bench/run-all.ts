// `npm run bench`: runs every benchmark in sequence, each in its own child process (so one's heap,
// JIT and open sockets cannot skew the next), prints each figure next to its SPEC §4 budget, then a
// summary table. Exit code 0 even when figures miss their budgets (benchmarks report; tests assert);
// non-zero only when a benchmark crashed or overran its time limit.
//
// Options (environment): BENCH_ONLY=fanout,ttft-added runs a subset; BENCH_JSON=path writes every
// figure as JSON.

import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type BenchFigure, type BenchMessage, formatNumber } from './lib/report.js';

interface BenchSpec {
  name: string;
  /** Hard limit; the benchmark keeps its own budget well under it. */
  limitMs: number;
}

// Cheap, isolated measurements first; the socket-heavy ones last.
const benches: BenchSpec[] = [
  { name: 'provider-ingest', limitMs: 40_000 },
  { name: 'rows-persisted', limitMs: 40_000 },
  { name: 'timeline-hydration', limitMs: 40_000 },
  { name: 'ttft-added', limitMs: 60_000 },
  { name: 'cpu-per-delta', limitMs: 60_000 },
  { name: 'chat-post', limitMs: 60_000 },
  { name: 'fanout', limitMs: 45_000 },
  { name: 'concurrent-streams', limitMs: 90_000 },
  { name: 'web-bundle-size', limitMs: 30_000 },
  { name: 'web-render', limitMs: 60_000 },
];

/** The SPEC §4 rows, in the SPEC's order, for the summary. */
const specRows = [
  'added time to first token',
  'frames fanned out to sockets',
  'concurrent streaming inferences on one core (90 deltas/s, 2 tabs each)',
  'timeline/event rows persisted (group commit)',
  'POST /chat (validate, idempotency, enqueue)',
  '/timeline hydration of a 10,000-entity conversation',
  'provider stream ingest (SSE parse + normalise)',
  'server CPU per streamed delta, end to end',
];

interface Outcome {
  bench: string;
  figures: BenchFigure[];
  notes: string[];
  exit: string;
  ms: number;
  crashed: boolean;
}

function runBench(spec: BenchSpec): Promise<Outcome> {
  const file = fileURLToPath(new URL(`./${spec.name}.bench.ts`, import.meta.url));
  const started = performance.now();
  return new Promise((resolve) => {
    const child: ChildProcess = fork(file, [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const outcome: Outcome = { bench: spec.name, figures: [], notes: [], exit: '', ms: 0, crashed: false };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`!! ${spec.name}: over its ${spec.limitMs / 1000} s limit, killing it`);
      child.kill('SIGKILL');
    }, spec.limitMs);
    child.on('message', (message: unknown) => {
      const report = message as Partial<BenchMessage>;
      if (report.type === 'figures') {
        outcome.figures = report.figures ?? [];
        outcome.notes = report.notes ?? [];
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      outcome.ms = performance.now() - started;
      outcome.exit = timedOut ? 'timed out' : signal ? `signal ${signal}` : `exit ${code}`;
      outcome.crashed = timedOut || code !== 0;
      resolve(outcome);
    });
  });
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const selected = only ? benches.filter((bench) => only.includes(bench.name)) : benches;
  const load = loadavg();
  console.log(
    `Cricket benchmarks — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}, load average ${load
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  if ((load[0] ?? 0) > 1.5) {
    console.log(
      `!! the machine is busy (load ${load[0]?.toFixed(1)} on ${availableParallelism()} cores): wall-clock figures will be pessimistic; see the "per full core" / CPU-time notes`,
    );
  }
  const started = performance.now();
  const outcomes: Outcome[] = [];
  for (const spec of selected) {
    console.log('');
    outcomes.push(await runBench(spec));
  }
  const totalS = (performance.now() - started) / 1000;

  console.log('\n=== Summary (SPEC §4 budgets, one core of a 2-core machine) ===');
  const figures = outcomes.flatMap((outcome) => outcome.figures.filter((figure) => figure.budget !== undefined));
  const header = `${pad('SPEC row', 44)} | ${pad('figure', 66)} | ${pad('value', 20)} | ${pad('budget', 20)} | verdict`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const row of specRows) {
    const matching = figures.filter((figure) => figure.row === row);
    if (matching.length === 0) {
      console.log(
        `${pad(row.slice(0, 44), 44)} | ${pad('(not measured)', 66)} | ${pad('', 20)} | ${pad('', 20)} | n/a`,
      );
      continue;
    }
    for (const figure of matching) {
      console.log(
        `${pad(row.slice(0, 44), 44)} | ${pad(figure.name.slice(0, 66), 66)} | ${pad(`${formatNumber(figure.value, figure.digits)} ${figure.unit}`, 20)} | ${pad(figure.budget ?? '', 20)} | ${figure.pass ? 'PASS' : 'FAIL'}`,
      );
    }
  }
  const passed = figures.filter((figure) => figure.pass).length;
  console.log(
    `\n${passed} of ${figures.length} budgeted figures within budget; ${outcomes.length} benchmarks in ${totalS.toFixed(0)} s`,
  );
  for (const outcome of outcomes) {
    if (outcome.crashed)
      console.log(`!! ${outcome.bench} crashed (${outcome.exit}) after ${(outcome.ms / 1000).toFixed(1)} s`);
  }
  if (process.env.BENCH_JSON) {
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({ at: new Date().toISOString(), loadavg: load, totalSeconds: totalS, outcomes }, null, 2),
    );
    console.log(`figures written to ${process.env.BENCH_JSON}`);
  }
  process.exit(outcomes.some((outcome) => outcome.crashed) ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error('run-all crashed:', error);
  process.exit(1);
});
