// provider-ingest: SSE/NDJSON parse + normalise cost per provider event, through each engine's real
// decoding path (`engine.infer` → postJsonStream → readSseStream / readNdjsonStream → the engine's
// decoder → InferenceStream → sink), with a fake `fetch` that returns a recorded stream: no network.
//
// The stream is built from the engine's own recorded fixture (`__fixtures__/text-only.*`): the
// events from the first to the last text delta are repeated until the body holds ~12,000 events.
// Two chunkings: one provider event per read (how a live stream at ~90 events/s arrives: every event
// is its own TCP segment, so the per-read cost is paid per event — the headline) and 64 KiB reads
// (bulk replay). Figures are CPU time per event (process.cpuUsage), median of 3. Every engine that `createEngine` (or a `*Engine` export) provides is measured;
// engines not present yet are skipped with a note.
//
// Run alone: node --import tsx bench/provider-ingest.bench.ts

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createToolConfig, createTurn, type Engine, type InferenceEvent, userBlock } from '@cricket/core';
import * as providers from '@cricket/providers';
import { pinSelf } from './lib/cpu.js';
import { type BenchFigure, type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { cpuMicros, median } from './lib/stats.js';

const budgetMicros = 10;
const targetEvents = 12_000;
const runs = 3;
const row = 'provider stream ingest (SSE parse + normalise)';

interface ProviderCase {
  id: providers.EngineProvider;
  /** Folder under packages/providers/src. */
  dir: string;
  /** Class export to try when `createEngine` does not know the provider yet. */
  exportName: string;
  fixtures: string[];
  /** Whether one recorded event carries streamed text (the part that is repeated). */
  isDelta: (event: string) => boolean;
}

const cases: ProviderCase[] = [
  {
    id: 'openai-chat',
    dir: 'openai-chat',
    exportName: 'OpenAIChatEngine',
    fixtures: ['text-only.sse'],
    isDelta: (event) => /"delta":\{[^}]*"content":"[^"]/.test(event),
  },
  {
    id: 'openai-responses',
    dir: 'openai-responses',
    exportName: 'OpenAIResponsesEngine',
    fixtures: ['text-only.sse'],
    isDelta: (event) => event.includes('response.output_text.delta'),
  },
  {
    id: 'anthropic',
    dir: 'anthropic',
    exportName: 'AnthropicEngine',
    fixtures: ['text-only.sse'],
    isDelta: (event) => event.includes('"text_delta"'),
  },
  {
    id: 'gemini',
    dir: 'gemini',
    exportName: 'GeminiEngine',
    fixtures: ['text-only.sse'],
    isDelta: (event) => /"text":\s*"/.test(event) && !event.includes('finishReason'),
  },
  {
    id: 'ollama',
    dir: 'ollama',
    exportName: 'OllamaEngine',
    fixtures: ['text-only.ndjson'],
    isDelta: (event) => /"done":\s*false/.test(event),
  },
];

const providersRoot = new URL('../packages/providers/src/', import.meta.url);

interface BuiltStream {
  body: Uint8Array;
  /** Provider events in the body (SSE events incl. end markers, or NDJSON lines). */
  events: number;
  /** Text-delta events in the body. */
  deltas: number;
  /** Byte ranges of the events, for one-event-per-read chunking. */
  boundaries: number[];
  contentType: string;
}

/** Splits a fixture into events, repeats the delta section, and joins it back. */
function buildStream(fixture: string, isDelta: (event: string) => boolean): BuiltStream {
  const text = readFileSync(fixture, 'utf8').replace(/\r\n/g, '\n');
  const sse = fixture.endsWith('.sse');
  const separator = sse ? '\n\n' : '\n';
  const events = text.split(separator).filter((event) => event.trim() !== '');
  const first = events.findIndex(isDelta);
  const last = events.findLastIndex(isDelta);
  if (first < 0) throw new Error(`${fixture}: no text-delta event found`);
  const head = events.slice(0, first);
  const middle = events.slice(first, last + 1);
  const tail = events.slice(last + 1);
  const repeats = Math.max(1, Math.ceil((targetEvents - head.length - tail.length) / middle.length));
  const all = [...head];
  for (let index = 0; index < repeats; index++) all.push(...middle);
  all.push(...tail);
  const encoder = new TextEncoder();
  const parts = all.map((event) => encoder.encode(event + separator));
  const boundaries = [0];
  for (const part of parts) boundaries.push((boundaries.at(-1) ?? 0) + part.byteLength);
  const body = new Uint8Array(boundaries.at(-1) ?? 0);
  parts.forEach((part, index) => {
    body.set(part, boundaries[index] ?? 0);
  });
  return {
    body,
    events: all.length,
    deltas: middle.filter(isDelta).length * repeats,
    boundaries,
    contentType: sse ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson',
  };
}

/** The body as a ReadableStream delivering the given byte ranges, one per read. */
function bodyStream(body: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const start = cuts[index];
      const end = cuts[index + 1];
      if (start === undefined || end === undefined) {
        controller.close();
        return;
      }
      index++;
      controller.enqueue(body.subarray(start, end));
    },
  });
}

function fixedCuts(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = 0; at < length; at += size) cuts.push(at);
  cuts.push(length);
  return cuts;
}

function fakeFetch(stream: BuiltStream, cuts: number[]): typeof fetch {
  return async () =>
    new Response(bodyStream(stream.body, cuts), { status: 200, headers: { 'content-type': stream.contentType } });
}

/** Creates the engine through `createEngine`, else through its class export; undefined when absent. */
function createProviderEngine(
  providerCase: ProviderCase,
  fetchImpl: typeof fetch,
): { engine: Engine; via: string } | undefined {
  const settings = {
    provider: providerCase.id,
    model: 'bench-model',
    apiKey: 'bench-key',
    baseUrl: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
  };
  try {
    return { engine: providers.createEngine(settings, { fetch: fetchImpl }), via: 'createEngine' };
  } catch (error) {
    if (!(error instanceof providers.EngineSettingsError) || error.code !== 'unsupported-provider') throw error;
  }
  const exported = (providers as Record<string, unknown>)[providerCase.exportName];
  if (typeof exported !== 'function') return undefined;
  const EngineClass = exported as new (settings: unknown, options: unknown) => Engine;
  return { engine: new EngineClass(settings, { fetch: fetchImpl }), via: providerCase.exportName };
}

/** Runs one inference over the stream; returns elapsed ms and what the sink saw. */
async function ingestOnce(
  providerCase: ProviderCase,
  stream: BuiltStream,
  cuts: number[],
): Promise<{ ms: number; cpuMs: number; partials: number; finalChars: number }> {
  const created = createProviderEngine(providerCase, fakeFetch(stream, cuts));
  if (!created) throw new Error(`no engine for ${providerCase.id}`);
  let partials = 0;
  let finalChars = -1;
  const turn = createTurn({ blocks: [userBlock('Say hello.')] });
  const context = {
    signal: new AbortController().signal,
    sessionId: 'bench-session',
    inferenceId: 'bench-inference',
    sink: {
      publish(event: InferenceEvent) {
        if (event.type === 'partial') partials++;
        else if (event.type === 'final') finalChars = event.text.length;
        else if (event.type === 'error') throw new Error(`engine error event: ${event.error_string}`);
      },
    },
    tools: [],
    toolConfig: createToolConfig(),
  };
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await created.engine.infer(turn, context);
  return { ms: performance.now() - started, cpuMs: cpuMicros(cpuStart) / 1000, partials, finalChars };
}

async function measure(providerCase: ProviderCase, stream: BuiltStream, cuts: number[]): Promise<number> {
  await ingestOnce(providerCase, stream, cuts); // warm-up (JIT)
  const perEvent: number[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await ingestOnce(providerCase, stream, cuts);
    if (result.partials < stream.deltas) {
      throw new Error(`${providerCase.id}: ${result.partials} partial events for ${stream.deltas} text deltas`);
    }
    // CPU time, not wall: the figure is a CPU cost, and this VM is shared (a preempted run would
    // otherwise count time spent in other processes).
    perEvent.push((result.cpuMs * 1000) / stream.events);
  }
  return median(perEvent);
}

/** Stage costs of the OpenAI Chat path: SSE reading only, then + JSON.parse (no engine). */
async function openAIStages(stream: BuiltStream): Promise<BenchFigure[]> {
  const stage = async (parse: boolean): Promise<number> => {
    const perEvent: number[] = [];
    for (let run = 0; run < runs + 1; run++) {
      const started = process.cpuUsage();
      let count = 0;
      for await (const message of providers.readSseStream(bodyStream(stream.body, stream.boundaries), {
        provider: 'bench',
      })) {
        if (parse && message.data !== '[DONE]') JSON.parse(message.data);
        count++;
      }
      if (run > 0) perEvent.push(cpuMicros(started) / count);
    }
    return median(perEvent);
  };
  const sseOnly = await stage(false);
  const withJson = await stage(true);
  return [
    breakdown('openai-chat stage: readSseStream only (read + decode + eventsource-parser)', sseOnly, 'µs/event'),
    breakdown('openai-chat stage: readSseStream + JSON.parse', withJson, 'µs/event'),
  ];
}

export async function runProviderIngest(): Promise<BenchResult> {
  const notes = [pinSelf()];
  const figures: BenchFigure[] = [];
  for (const providerCase of cases) {
    const fixtureName = providerCase.fixtures.find((name) =>
      existsSync(new URL(`${providerCase.dir}/__fixtures__/${name}`, providersRoot)),
    );
    const probe = createProviderEngine(providerCase, fetch);
    if (!probe) {
      const source = existsSync(new URL(`${providerCase.dir}/${providerCase.dir}-engine.ts`, providersRoot))
        ? `its source (${providerCase.dir}/${providerCase.dir}-engine.ts) exists but`
        : 'no engine source yet;';
      notes.push(
        `${providerCase.id}: skipped — ${source} @cricket/providers does not export it (createEngine / ${providerCase.exportName})`,
      );
      continue;
    }
    if (!fixtureName) {
      notes.push(`${providerCase.id}: skipped — no recorded text-only fixture yet`);
      continue;
    }
    const stream = buildStream(
      fileURLToPath(new URL(`${providerCase.dir}/__fixtures__/${fixtureName}`, providersRoot)),
      providerCase.isDelta,
    );
    const perEventLive = await measure(providerCase, stream, stream.boundaries);
    const perEventBulk = await measure(providerCase, stream, fixedCuts(stream.body.byteLength, 64 * 1024));
    figures.push(
      budgeted(
        row,
        `provider ingest ${providerCase.id} (one event per read)`,
        perEventLive,
        'µs/event',
        'max',
        budgetMicros,
        {
          note: `${stream.events.toLocaleString('en-US')} events, ${(stream.body.byteLength / stream.events).toFixed(0)} B/event, engine via ${probe.via}`,
        },
      ),
      breakdown(`provider ingest ${providerCase.id} (64 KiB reads)`, perEventBulk, 'µs/event'),
    );
    if (providerCase.id === 'openai-chat') figures.push(...(await openAIStages(stream)));
  }
  return { figures, notes };
}

if (isMain(import.meta.url)) runAsMain('provider-ingest', runProviderIngest);
