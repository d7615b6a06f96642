// Helper process (pinned to core 1 by `forkHelper`): opens many real `ws` clients on the server's
// WebSocket endpoint and checks every frame they receive, cheaply (see frame-scan.ts):
// - ordering: per socket, `seq` strictly increases over the emitted frames. The pipeline's
//   `timeline.upsert` echoes (published after a flush's frames, `seq` = version of the frame that caused
//   them) are applied by entity version, not by seq, so they are counted apart (`lateEchoes`: an echo
//   older than a frame before it, which happens whenever one flush touched two entities);
// - completeness: the `delta`s of each message, concatenated, must equal the expected text, and the
//   `llm.final` text too;
// - drops: a socket closed by the server (e.g. 1013 slow consumer) counts as dropped.

import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { scanFrame } from './frame-scan.js';
import { sendEvent, serveRequests } from './ipc.js';

interface Tracked {
  convId: string;
  socket: WebSocket;
  lastSeq: number;
  frames: number;
  bytes: number;
  deltaFrames: number;
  deltaChars: number;
  upsertFrames: number;
  finals: number;
  reorders: number;
  firstReorder?: string;
  /** Pipeline `timeline.upsert` echoes received, and those older than a frame received before them. */
  echoes: number;
  lateEchoes: number;
  texts: Map<string, string>;
  finalTexts: Map<string, string>;
  closedCode?: number;
  closingByUs: boolean;
}

const tracked: Tracked[] = [];
let totalFrames = 0;
let totalBytes = 0;
let totalDeltaChars = 0;
let totalDeltaFrames = 0;
let totalFinals = 0;
let lastFrameAt = 0;
let lastFinalAt = 0;
let progressTimer: NodeJS.Timeout | undefined;
/** This process's CPU and wall clock since the last `reset` (to tell a client-bound run). */
let cpuSince = process.cpuUsage();
let wallSince = performance.now();
/** Keep the streamed text per message (for `verify`); off for pure throughput runs. */
let trackTexts = true;

function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

function onFrame(entry: Tracked, data: Buffer): void {
  entry.frames++;
  entry.bytes += data.length;
  totalFrames++;
  totalBytes += data.length;
  lastFrameAt = epochMs();
  const frame = scanFrame(data);
  if (frame.echo) {
    entry.echoes++;
    if (frame.seq !== undefined && frame.seq < entry.lastSeq) entry.lateEchoes++;
  } else if (frame.seq !== undefined) {
    if (frame.seq <= entry.lastSeq) {
      entry.reorders++;
      entry.firstReorder ??= `${frame.type} seq ${frame.seq} after seq ${entry.lastSeq}`;
    }
    if (frame.seq > entry.lastSeq) entry.lastSeq = frame.seq;
  }
  switch (frame.type) {
    case 'llm.delta': {
      const delta = frame.delta ?? '';
      entry.deltaFrames++;
      entry.deltaChars += delta.length;
      totalDeltaFrames++;
      totalDeltaChars += delta.length;
      if (trackTexts) entry.texts.set(frame.id, (entry.texts.get(frame.id) ?? '') + delta);
      break;
    }
    case 'llm.final':
      entry.finals++;
      totalFinals++;
      lastFinalAt = epochMs();
      entry.finalTexts.set(frame.id, frame.text ?? '');
      break;
    case 'timeline.upsert':
      entry.upsertFrames++;
      break;
  }
}

function openOne(url: string, convId: string): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}?conv_id=${encodeURIComponent(convId)}`, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    const entry: Tracked = {
      convId,
      socket,
      lastSeq: 0,
      frames: 0,
      bytes: 0,
      deltaFrames: 0,
      deltaChars: 0,
      upsertFrames: 0,
      finals: 0,
      reorders: 0,
      echoes: 0,
      lateEchoes: 0,
      texts: new Map(),
      finalTexts: new Map(),
      closingByUs: false,
    };
    let hello = false;
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) return;
      if (!hello) {
        hello = true;
        resolve(entry);
        return;
      }
      onFrame(entry, data as Buffer);
    });
    socket.once('error', (error) => {
      if (!hello) reject(error);
    });
    socket.on('close', (code) => {
      entry.closedCode = code;
      if (!hello) reject(new Error(`closed before hello (${code})`));
    });
  });
}

/** What `stats`, `waitFinals` and `waitMin` report. */
export type ClientSummary = ReturnType<typeof summary>;

function summary() {
  let open = 0;
  let dropped = 0;
  let reorders = 0;
  let echoes = 0;
  let lateEchoes = 0;
  const closeCodes: Record<string, number> = {};
  const firstReorders: string[] = [];
  for (const entry of tracked) {
    if (entry.closedCode === undefined) open++;
    else if (!entry.closingByUs) {
      dropped++;
      closeCodes[entry.closedCode] = (closeCodes[entry.closedCode] ?? 0) + 1;
    }
    reorders += entry.reorders;
    echoes += entry.echoes;
    lateEchoes += entry.lateEchoes;
    if (entry.firstReorder && firstReorders.length < 3) firstReorders.push(`${entry.convId}: ${entry.firstReorder}`);
  }
  return {
    sockets: tracked.length,
    open,
    dropped,
    closeCodes,
    reorders,
    firstReorders,
    echoes,
    lateEchoes,
    frames: totalFrames,
    bytes: totalBytes,
    deltaFrames: totalDeltaFrames,
    deltaChars: totalDeltaChars,
    finals: totalFinals,
    minFrames: minFrames(),
    lastFrameAt,
    lastFinalAt,
    clientCpuPercent: (() => {
      const usage = process.cpuUsage(cpuSince);
      return (100 * (usage.user + usage.system)) / 1000 / Math.max(1, performance.now() - wallSince);
    })(),
  };
}

/** Delta characters received by the slowest socket (for windowed producers). */
function minDeltaChars(): number {
  let min = Number.POSITIVE_INFINITY;
  for (const entry of tracked) min = Math.min(min, entry.deltaChars);
  return tracked.length ? min : 0;
}

function minFrames(): number {
  let min = Number.POSITIVE_INFINITY;
  for (const entry of tracked) min = Math.min(min, entry.frames);
  return tracked.length ? min : 0;
}

serveRequests({
  async open(args) {
    const url = String(args.url);
    const convIds = args.convIds as string[];
    const tabs = Number(args.tabs ?? 1);
    const concurrency = Number(args.concurrency ?? 64);
    trackTexts = args.trackTexts !== false;
    const started = performance.now();
    const jobs: string[] = [];
    for (const convId of convIds) for (let tab = 0; tab < tabs; tab++) jobs.push(convId);
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const convId = jobs[next++] as string;
        tracked.push(await openOne(url, convId));
      }
    });
    await Promise.all(workers);
    return { sockets: tracked.length, ms: performance.now() - started };
  },
  reset() {
    for (const entry of tracked) {
      entry.frames = 0;
      entry.bytes = 0;
      entry.deltaFrames = 0;
      entry.deltaChars = 0;
      entry.upsertFrames = 0;
      entry.finals = 0;
      entry.echoes = 0;
      entry.lateEchoes = 0;
      entry.texts.clear();
      entry.finalTexts.clear();
    }
    totalFrames = 0;
    totalBytes = 0;
    totalDeltaChars = 0;
    totalDeltaFrames = 0;
    totalFinals = 0;
    cpuSince = process.cpuUsage();
    wallSince = performance.now();
    return true;
  },
  /** POSTs JSON bodies with keep-alive connections; resolves with the status counts. */
  async post(args) {
    const url = new URL(String(args.url));
    const bodies = args.bodies as string[];
    const agent = new Agent({ keepAlive: true, maxSockets: Number(args.concurrency ?? 16) });
    const statuses: Record<string, number> = {};
    let next = 0;
    const one = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    await Promise.all(
      Array.from({ length: Number(args.concurrency ?? 16) }, async () => {
        while (next < bodies.length) {
          const status = await one(bodies[next++] as string);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
    agent.destroy();
    return statuses;
  },
  progress(args) {
    clearInterval(progressTimer);
    const everyMs = Number(args.everyMs ?? 0);
    if (everyMs > 0) {
      progressTimer = setInterval(() => {
        sendEvent({
          event: 'progress',
          minFrames: minFrames(),
          minDeltaChars: minDeltaChars(),
          frames: totalFrames,
          deltaChars: totalDeltaChars,
        });
      }, everyMs);
    }
    return true;
  },
  /** Resolves once every socket received `frames` frames or `deltaChars` delta characters. */
  async waitMin(args) {
    const frames = Number(args.frames ?? 0);
    const chars = Number(args.deltaChars ?? 0);
    const end = performance.now() + Number(args.timeoutMs ?? 30_000);
    while ((minFrames() < frames || minDeltaChars() < chars) && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return { ok: minFrames() >= frames && minDeltaChars() >= chars, ...summary() };
  },
  stats() {
    return summary();
  },
  async waitFinals(args) {
    const count = Number(args.count);
    const end = performance.now() + Number(args.timeoutMs ?? 30_000);
    while (totalFinals < count && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
    return { ok: totalFinals >= count, ...summary() };
  },
  verify(args) {
    const expected = args.expected as Record<string, string>;
    let checked = 0;
    let textMismatches = 0;
    let missingFinals = 0;
    const examples: string[] = [];
    for (const entry of tracked) {
      const want = expected[entry.convId];
      if (want === undefined) continue;
      checked++;
      const streamed = [...entry.texts.values()];
      const finals = [...entry.finalTexts.values()];
      if (streamed.length !== 1 || streamed[0] !== want) {
        textMismatches++;
        if (examples.length < 3)
          examples.push(
            `${entry.convId}: ${streamed.length} message(s), ${streamed[0]?.length ?? 0}/${want.length} chars streamed`,
          );
      }
      if (finals.length !== 1 || finals[0] !== want) missingFinals++;
    }
    return { checked, textMismatches, missingFinals, examples };
  },
  async closeAll() {
    for (const entry of tracked) {
      entry.closingByUs = true;
      if (entry.closedCode === undefined) entry.socket.terminate();
    }
    tracked.length = 0;
    return true;
  },
});
