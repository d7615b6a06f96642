// cpu-per-delta: server CPU per streamed delta, end to end — provider chunk → event log persisted →
// frame delivered to one WebSocket client.
//
// Method (chosen so the number is the server's alone): the server (startTestServer, SQLite file,
// the real OpenAI Chat engine) runs in THIS process, pinned to core 0. The fake provider (the
// providers package's replay server streaming an OpenAI Chat completion) and the WebSocket client run
// in a helper process pinned to core 1. `process.cpuUsage()` of this process is read just before
// `POST /chat` and when the client has the `llm.final`; the process's idle CPU rate (measured for
// 0.3 s before) is subtracted; the rest is divided by the number of deltas. It includes everything the
// server does for the inference: the POST, fetch/undici, SSE parse, decode, InferenceStream events,
// translation, seq + projection, group commit (event log + timeline upsert), encoding, ws.send, turn
// snapshots, GC. Fixed per-inference costs are spread over the deltas of the answer.
//
// Headline: a 1,000-delta answer (~5 KB), the provider writing every SSE event separately, 1 ms apart
// (a live stream: each delta its own TCP read, its own frame, its own commit). Breakdowns: the same
// with a 250-delta answer — the cost per delta grows with the answer's length, because every
// `llm.delta` frame, event-log row, timeline row and `timeline.upsert` echo carries the whole text so
// far — and a burst (64 KiB writes, as fast as possible), where the pipeline coalesces many deltas
// per frame and per commit.
//
// Run alone: node --import tsx bench/cpu-per-delta.bench.ts

import { createEngine } from '@cricket/providers';
import type { Profile } from '@cricket/server';
import { startTestServer } from '@cricket/server/testing';
import { forkHelper, pinSelf } from './lib/cpu.js';
import { benchPrompt } from './lib/engines.js';
import { Helper } from './lib/ipc.js';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { cpuMicros, delay } from './lib/stats.js';

/** A long answer (~1,000 tokens, ~5 KB): the headline. Shorter and longer ones show the growth. */
const pacedDeltas = 1000;
const lengths = [250];
const burstDeltas = 20_000;
const row = 'server CPU per streamed delta, end to end';

interface RunResult {
  microsPerDelta: number;
  wallMs: number;
  frames: number;
  deltaFrames: number;
  cpuPercent: number;
}

export async function runCpuPerDelta(): Promise<BenchResult> {
  const notes = [
    pinSelf(),
    'fake provider + WS client in a helper process on core 1; server CPU from process.cpuUsage()',
  ];
  const helper = new Helper(forkHelper(new URL('./lib/provider-worker.ts', import.meta.url)));
  const providerUrl = await helper.request<string>('providerUrl');
  const profile: Profile = {
    slug: 'openai',
    engine: { provider: 'openai-chat', model: 'gpt-bench', apiKey: 'bench-key', baseUrl: `${providerUrl}/v1` },
    systemPrompt: 'You are a benchmark.',
    middlewares: [],
    tools: [],
    allowOverrides: false,
  };
  const server = await startTestServer({ profiles: [profile], createEngine: (chosen) => createEngine(chosen.engine) });
  let run = 0;
  try {
    const once = async (deltas: number, perEvent: boolean): Promise<RunResult> => {
      run++;
      const convId = `cpu-${run}`;
      await helper.request('plan', { seed: run, deltas, perEvent });
      await helper.request('connect', { wsUrl: server.wsUrl, convId, profile: 'openai' });
      await delay(100);
      const idleStart = process.cpuUsage();
      const idleWall = performance.now();
      await delay(300);
      const idleRate = cpuMicros(idleStart) / (performance.now() - idleWall); // µs per ms
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      // The POST goes from this process (one request: part of the inference's fixed cost).
      const response = await fetch(`${server.url}/chat/openai`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conv_id: convId, prompt: benchPrompt(run, 1) }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`POST /chat answered ${response.status}`);
      const result = await helper.request<{ frames: number; deltaFrames: number; textOk: boolean }>('waitFinal', {
        timeoutMs: 120_000,
      });
      const wallMs = performance.now() - started;
      const cpu = cpuMicros(cpuStart) - idleRate * wallMs;
      if (!result.textOk) throw new Error('cpu-per-delta: the client did not receive the exact text');
      return {
        microsPerDelta: cpu / deltas,
        wallMs,
        frames: result.frames,
        deltaFrames: result.deltaFrames,
        cpuPercent: (100 * cpu) / 1000 / wallMs,
      };
    };
    await once(300, true); // warm-up (JIT)
    const paced = await once(pacedDeltas, true);
    const others = [];
    for (const length of lengths) others.push({ length, result: await once(length, true) });
    const burst = await once(burstDeltas, false);
    const describe = (result: RunResult, deltas: number) =>
      `${deltas} deltas in ${(result.wallMs / 1000).toFixed(1)} s, ${result.deltaFrames} delta frames, ${result.frames} frames in all, server CPU ${result.cpuPercent.toFixed(0)}%`;
    return {
      figures: [
        budgeted(
          row,
          `server CPU per delta (live stream, ${pacedDeltas}-delta answer, 1 SSE event per read)`,
          paced.microsPerDelta,
          'µs',
          'max',
          30,
          {
            note: describe(paced, pacedDeltas),
          },
        ),
        ...others.map(({ length, result }) =>
          breakdown(`server CPU per delta (live stream, ${length}-delta answer)`, result.microsPerDelta, 'µs', {
            note: describe(result, length),
          }),
        ),
        breakdown('server CPU per delta (burst: 64 KiB reads, deltas coalesced)', burst.microsPerDelta, 'µs', {
          note: `${burstDeltas} deltas in ${(burst.wallMs / 1000).toFixed(1)} s, ${(burstDeltas / Math.max(1, burst.deltaFrames)).toFixed(1)} deltas per frame`,
        }),
      ],
      notes,
    };
  } finally {
    await helper.stop();
    await server.close();
  }
}

if (isMain(import.meta.url)) runAsMain('cpu-per-delta', runCpuPerDelta);
