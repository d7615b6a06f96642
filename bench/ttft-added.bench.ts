// ttft-added: time the server adds to the first token — provider first byte → first `llm.delta`
// frame at a loopback WebSocket client. Real server (startTestServer: Fastify + ws + SQLite file),
// one client socket per conversation, one inference at a time, same process (one clock).
//
// Headline (SPEC's definition): the OpenAI Chat engine streams from a local replay server whose
// body generator records `performance.now()` right before it writes the first SSE chunk (role +
// first content delta); the client records when the first `llm.delta` frame arrives. This includes
// the provider→server loopback hop and fetch/undici, SSE parse and decode, translation, the
// pipeline's group commit (SQLite WAL, synchronous=NORMAL) and the WebSocket send.
// Breakdown: the same with a bench engine that records the time just before it publishes its first
// `partial` (server-internal part only: no provider socket, no SSE).
//
// Run alone: node --import tsx bench/ttft-added.bench.ts

import type { Engine } from '@cricket/core';
import { createEngine } from '@cricket/providers';
import { startReplayServer } from '@cricket/providers/testing';
import type { Profile } from '@cricket/server';
import { scriptedProfile, startTestServer } from '@cricket/server/testing';
import WebSocket from 'ws';
import { pinSelf } from './lib/cpu.js';
import { benchPrompt, PacedEngine } from './lib/engines.js';
import { scanFrame } from './lib/frame-scan.js';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { delay, quantile, waitUntil } from './lib/stats.js';

const samples = 200;
/** The server-internal breakdown needs fewer samples than the headline. */
const breakdownSamples = 100;
const warmup = 15;
const conversations = 20;
const row = 'added time to first token';
/** Quiet gap between the POST and the provider's first byte, so the first token meets an idle loop. */
const firstByteDelayMs = 5;

interface Sample {
  mark: number | undefined;
  arrived: number | undefined;
  finalArrived: boolean;
}

let current: Sample = { mark: undefined, arrived: undefined, finalArrived: false };

function openClient(wsUrl: string, convId: string, profile: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}?conv_id=${convId}&profile=${profile}`, { perMessageDeflate: false });
    let hello = false;
    socket.on('message', (data: WebSocket.RawData) => {
      const at = performance.now();
      if (!hello) {
        hello = true;
        resolve(socket);
        return;
      }
      const frame = scanFrame(data as Buffer);
      if (frame.type === 'llm.delta' && current.arrived === undefined) current.arrived = at;
      else if (frame.type === 'llm.final') current.finalArrived = true;
    });
    socket.once('error', reject);
  });
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  })}\n\n`;

async function runVariant(url: string, wsUrl: string, profile: string, samples: number): Promise<number[]> {
  const sockets: WebSocket[] = [];
  const convIds: string[] = [];
  for (let index = 0; index < conversations; index++) {
    const convId = `ttft-${profile}-${index}`;
    convIds.push(convId);
    sockets.push(await openClient(wsUrl, convId, profile));
  }
  const latencies: number[] = [];
  for (let sample = 0; sample < warmup + samples; sample++) {
    current = { mark: undefined, arrived: undefined, finalArrived: false };
    const convId = convIds[sample % conversations] as string;
    const response = await fetch(`${url}/chat/${profile}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conv_id: convId, prompt: benchPrompt(sample, 4) }),
    });
    if (response.status !== 200) throw new Error(`POST /chat answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    const done = await waitUntil(() => current.finalArrived, 5000, 1);
    if (!done || current.mark === undefined || current.arrived === undefined) {
      throw new Error(
        `sample ${sample}: no first delta / final frame (mark ${current.mark}, arrived ${current.arrived})`,
      );
    }
    if (sample >= warmup) latencies.push(current.arrived - current.mark);
    await delay(1);
  }
  for (const socket of sockets) socket.terminate();
  return latencies;
}

export async function runTtftAdded(): Promise<BenchResult> {
  const notes = [pinSelf()];
  const replay = await startReplayServer({
    transcript: {
      body: async function* () {
        await delay(firstByteDelayMs);
        current.mark = performance.now();
        yield new TextEncoder().encode(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Hello' }));
        yield new TextEncoder().encode(`${chunk({ content: ' there' })}${chunk({}, 'stop')}data: [DONE]\n\n`);
      },
    },
  });
  const openaiProfile: Profile = {
    slug: 'openai',
    engine: { provider: 'openai-chat', model: 'gpt-bench', apiKey: 'bench-key', baseUrl: `${replay.url}/v1` },
    systemPrompt: 'You are a benchmark.',
    middlewares: [],
    tools: [],
    allowOverrides: false,
  };
  const paced = new PacedEngine({
    ratePerSecond: 2000,
    firstDeltaDelayMs: firstByteDelayMs,
    onFirstDelta: (at) => {
      current.mark = at;
    },
  });
  const server = await startTestServer({
    profiles: [scriptedProfile('default', { tools: [] }), openaiProfile],
    createEngine: (profile): Engine =>
      profile.engine.provider === 'openai-chat' ? createEngine(profile.engine) : paced,
  });
  try {
    const viaProvider = await runVariant(server.url, server.wsUrl, 'openai', samples);
    const viaEngine = await runVariant(server.url, server.wsUrl, 'default', breakdownSamples);
    const p = (values: number[], q: number) => quantile(values, q);
    return {
      figures: [
        budgeted(
          row,
          'added TTFT p50 (provider first byte → first llm.delta at WS client)',
          p(viaProvider, 0.5),
          'ms',
          'max',
          1,
          {
            note: `${samples} samples, OpenAI Chat engine + local replay server`,
          },
        ),
        budgeted(
          row,
          'added TTFT p99 (provider first byte → first llm.delta at WS client)',
          p(viaProvider, 0.99),
          'ms',
          'max',
          5,
        ),
        breakdown('added TTFT max (provider first byte)', Math.max(...viaProvider), 'ms'),
        breakdown('server-internal TTFT p50 (engine publishes first partial → client)', p(viaEngine, 0.5), 'ms'),
        breakdown('server-internal TTFT p99 (engine publishes first partial → client)', p(viaEngine, 0.99), 'ms'),
      ],
      notes,
    };
  } finally {
    await server.close();
    await replay.close();
  }
}

if (isMain(import.meta.url)) runAsMain('ttft-added', runTtftAdded);
