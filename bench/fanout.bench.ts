// fanout: frames fanned out to sockets. Real server (startTestServer), N real `ws` clients on ONE
// conversation in a helper process pinned to core 1 (the server process is pinned to core 0), every
// frame counted and ordered-checked by the clients. Three phases, each on its own conversation:
//
// 1. unbatched (headline): deltas go through a FramePipeline built on the server's own event log,
//    timeline store, database and ConnectionHub with `coalesceDeltas: false` — every delta is its own
//    frame, persisted in the group commit, then `ws.send` to every socket. Frames counted = every frame
//    the clients received (deltas + the pipeline's `timeline.upsert` echoes).
// 2. coalesced (headline): the server's own pipeline (coalescing on); the producer emits
//    `deltasPerTick` deltas of one message per event-loop turn, so each flush merges them into one
//    frame. Counted: deltas delivered (delta characters received / 4, every delta being 4 chars).
// 3. hub only (breakdown): pre-encoded frames straight into `server.hub.broadcast` — the socket layer
//    alone, without projection and persistence.
//
// The producer keeps at most `window` frames (or deltas) in flight per socket, from the clients'
// progress reports, so no socket ever reaches the hub's slow-consumer limit. Throughput = frames (or
// deltas) received by all sockets / time from the first emit to the last socket's last frame.
//
// Run alone: node --import tsx bench/fanout.bench.ts

import { FramePipeline } from '@cricket/server';
import { startTestServer, type TestServer } from '@cricket/server/testing';
import { forkHelper, pinSelf } from './lib/cpu.js';
import { Helper } from './lib/ipc.js';
import {
  type BenchFigure,
  type BenchResult,
  breakdown,
  budgeted,
  formatNumber,
  isMain,
  runAsMain,
} from './lib/report.js';
import { cpuMicros, nextTick } from './lib/stats.js';
import type { ClientSummary } from './lib/ws-client-worker.js';

const sockets = 32;
/** `server CPU xx%` and the throughput one fully available core would give at the measured CPU cost. */
function cpuNote(phase: PhaseResult, count: number): string {
  return `server CPU ${((100 * phase.cpuMs) / phase.ms).toFixed(0)}% of one core → ${formatNumber(count / (phase.cpuMs / 1000))}/s per full core`;
}
const deltasPerTick = 16;
const deltasPerMessage = 100;
const phaseMs = 2000;
const windowFrames = 4000;
const row = 'frames fanned out to sockets';
const threeLetterWords = ['the', 'fox', 'dog', 'cat', 'run', 'sky', 'red', 'big', 'sun', 'key'];

interface Producer {
  /** Emits one delta (or frame); `index` counts from 0. */
  emit(index: number): void;
}

interface PhaseResult {
  ms: number;
  /** CPU time of this (the server's) process during the phase. */
  cpuMs: number;
  emitted: number;
  stats: ClientSummary;
}

/** Runs a windowed producer for ~phaseMs, then waits until every socket caught up. */
async function runPhase(
  helper: Helper,
  producer: Producer,
  perSocketTarget: (emitted: number) => { frames?: number; deltaChars?: number },
  inFlight: (emitted: number, progress: { minFrames: number; minDeltaChars: number }) => number,
): Promise<PhaseResult> {
  let progress = { minFrames: 0, minDeltaChars: 0 };
  const unsubscribe = helper.onEvent((event) => {
    if (event.event === 'progress') progress = event as unknown as typeof progress;
  });
  await helper.request('progress', { everyMs: 5 });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let emitted = 0;
  while (performance.now() - started < phaseMs) {
    if (inFlight(emitted, progress) > windowFrames) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    for (let index = 0; index < deltasPerTick; index++) producer.emit(emitted++);
    await nextTick();
  }
  const stats = await helper.request<ClientSummary & { ok: boolean }>('waitMin', {
    ...perSocketTarget(emitted),
    timeoutMs: 20_000,
  });
  const ms = performance.now() - started;
  const cpuMs = cpuMicros(cpuStart) / 1000;
  await helper.request('progress', { everyMs: 0 });
  unsubscribe();
  if (!stats.ok) throw new Error(`fanout: sockets did not receive everything (${JSON.stringify(stats)})`);
  return { ms, cpuMs, emitted, stats };
}

async function withSockets<T>(helper: Helper, server: TestServer, convId: string, work: () => Promise<T>): Promise<T> {
  await helper.request('open', { url: server.wsUrl, convIds: [convId], tabs: sockets, trackTexts: false });
  await helper.request('reset');
  try {
    return await work();
  } finally {
    await helper.request('closeAll');
  }
}

function delta(index: number): string {
  return ` ${threeLetterWords[index % threeLetterWords.length]}`;
}

export async function runFanout(): Promise<BenchResult> {
  const notes = [pinSelf()];
  const server = await startTestServer();
  const helper = new Helper(forkHelper(new URL('./lib/ws-client-worker.ts', import.meta.url)));
  const figures: BenchFigure[] = [];
  try {
    const { services, hub, database } = server.server;

    // 1. Unbatched, through a pipeline without coalescing.
    const unbatchedConv = 'fanout-unbatched';
    const unbatched = new FramePipeline({
      eventLog: services.eventLog,
      timeline: services.timeline,
      transaction: (work) => database.transaction(work),
      publish: (convId, text) => hub.broadcast(convId, text),
      coalesceDeltas: false,
    });
    let cumulative = '';
    const phase1 = await withSockets(helper, server, unbatchedConv, () =>
      runPhase(
        helper,
        {
          emit(index) {
            const id = `msg-${Math.floor(index / deltasPerMessage)}`;
            if (index % deltasPerMessage === 0) cumulative = '';
            const text = delta(index);
            cumulative += text;
            unbatched.emit(
              unbatchedConv,
              { type: 'llm.delta', id, data: { id, delta: text, cumulative } },
              { inferenceId: 'inference-unbatched' },
            );
          },
        },
        (emitted) => ({ deltaChars: emitted * 4 }),
        (emitted, progress) => emitted - progress.minDeltaChars / 4,
      ),
    );
    const unbatchedFrames = phase1.stats.frames / (phase1.ms / 1000);
    figures.push(
      budgeted(
        row,
        'fan-out unbatched (emit → persist → ws.send per frame)',
        unbatchedFrames,
        'frames/s',
        'min',
        50_000,
        {
          note: `${sockets} sockets, ${formatNumber(phase1.emitted)} deltas each its own frame, ${phase1.stats.reorders} reordered, ${phase1.stats.dropped} dropped; ${cpuNote(phase1, phase1.stats.frames)}`,
        },
      ),
      breakdown('  of which llm.delta frames', phase1.stats.deltaFrames / (phase1.ms / 1000), 'frames/s'),
      breakdown('  bytes delivered', phase1.stats.bytes / (phase1.ms / 1000) / 1e6, 'MB/s'),
    );

    // 2. Coalesced, through the server's own pipeline.
    const coalescedConv = 'fanout-coalesced';
    cumulative = '';
    const phase2 = await withSockets(helper, server, coalescedConv, () =>
      runPhase(
        helper,
        {
          emit(index) {
            const id = `msg-${Math.floor(index / deltasPerMessage)}`;
            if (index % deltasPerMessage === 0) cumulative = '';
            const text = delta(index);
            cumulative += text;
            services.pipeline.emit(
              coalescedConv,
              { type: 'llm.delta', id, data: { id, delta: text, cumulative } },
              { inferenceId: 'inference-coalesced' },
            );
          },
        },
        (emitted) => ({ deltaChars: emitted * 4 }),
        (emitted, progress) => emitted - progress.minDeltaChars / 4,
      ),
    );
    const deltasDelivered = phase2.stats.deltaChars / 4;
    figures.push(
      budgeted(
        row,
        'fan-out coalesced (deltas delivered, all sockets)',
        deltasDelivered / (phase2.ms / 1000),
        'deltas/s',
        'min',
        250_000,
        {
          note: `${sockets} sockets, ${deltasPerTick} deltas of one message per flush, ${(deltasDelivered / Math.max(1, phase2.stats.deltaFrames)).toFixed(1)} deltas per frame, ${phase2.stats.reorders} reordered, ${phase2.stats.dropped} dropped; ${cpuNote(phase2, deltasDelivered)}`,
        },
      ),
      breakdown('  frames delivered (coalesced)', phase2.stats.frames / (phase2.ms / 1000), 'frames/s'),
    );

    // 3. The socket layer alone.
    const hubConv = 'fanout-hub';
    let hubCumulative = '';
    const phase3 = await withSockets(helper, server, hubConv, () =>
      runPhase(
        helper,
        {
          emit(index) {
            const id = `msg-${Math.floor(index / deltasPerMessage)}`;
            if (index % deltasPerMessage === 0) hubCumulative = '';
            const text = delta(index);
            hubCumulative += text;
            hub.broadcast(
              hubConv,
              JSON.stringify({
                sem: true,
                event: { type: 'llm.delta', id, data: { id, delta: text, cumulative: hubCumulative }, seq: index + 1 },
              }),
            );
          },
        },
        (emitted) => ({ frames: emitted }),
        (emitted, progress) => emitted - progress.minFrames,
      ),
    );
    figures.push(
      breakdown(
        'fan-out hub only (pre-encoded frame → ws.send per socket)',
        phase3.stats.frames / (phase3.ms / 1000),
        'frames/s',
        {
          note: cpuNote(phase3, phase3.stats.frames),
        },
      ),
    );
    for (const phase of [phase1, phase2, phase3]) {
      if (phase.stats.reorders > 0 || phase.stats.dropped > 0) {
        notes.push(
          `ordering/drop problems: ${JSON.stringify(phase.stats.firstReorders)} dropped ${phase.stats.dropped}`,
        );
      }
      if (phase.stats.lateEchoes > 0) {
        notes.push(
          `${phase.stats.lateEchoes} of ${phase.stats.echoes} timeline.upsert echoes arrived after a frame with a higher seq (clients apply them by entity version)`,
        );
      }
    }
    return { figures, notes };
  } finally {
    await helper.stop();
    await server.close();
  }
}

if (isMain(import.meta.url)) runAsMain('fanout', runFanout);
