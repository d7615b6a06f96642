// Helper process (pinned to core 1) for cpu-per-delta: the fake provider (the providers package's
// replay server, streaming an OpenAI Chat completion of N text deltas) AND the WebSocket client, so
// that the server process's CPU time is the server's alone.

import { startReplayServer } from '@cricket/providers/testing';
import WebSocket from 'ws';
import { deltaTexts } from './engines.js';
import { scanFrame } from './frame-scan.js';
import { serveRequests } from './ipc.js';

const encoder = new TextEncoder();

function event(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  })}\n\n`;
}

/** How the next completion is served: deltas, and whether each event is its own write. */
let plan = { seed: 1, deltas: 1000, perEvent: true };
let socket: WebSocket | undefined;
let received = { frames: 0, deltaFrames: 0, text: '', finals: 0, finalText: '' };
let finalWaiter: (() => void) | undefined;

const replay = await startReplayServer({
  transcript: {
    // One write per SSE event with a 1 ms pause (a live stream: every delta its own read), or
    // 64 KiB writes back to back (a burst).
    chunkDelayMs: 0,
    body: async function* () {
      const { seed, deltas, perEvent } = plan;
      const events = [
        event({ role: 'assistant', content: '' }),
        ...deltaTexts(seed, deltas).map((text) => event({ content: text })),
      ];
      events.push(event({}, 'stop'), 'data: [DONE]\n\n');
      if (perEvent) {
        for (const item of events) {
          yield encoder.encode(item);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        return;
      }
      let buffer = '';
      for (const item of events) {
        buffer += item;
        if (buffer.length >= 64 * 1024) {
          yield encoder.encode(buffer);
          buffer = '';
        }
      }
      if (buffer) yield encoder.encode(buffer);
    },
  },
});

serveRequests({
  providerUrl() {
    return replay.url;
  },
  plan(args) {
    plan = { seed: Number(args.seed), deltas: Number(args.deltas), perEvent: Boolean(args.perEvent) };
    received = { frames: 0, deltaFrames: 0, text: '', finals: 0, finalText: '' };
    return true;
  },
  async connect(args) {
    socket?.terminate();
    const url = `${String(args.wsUrl)}?conv_id=${encodeURIComponent(String(args.convId))}&profile=${String(args.profile)}`;
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      let hello = false;
      ws.on('message', (data: WebSocket.RawData) => {
        if (!hello) {
          hello = true;
          resolve();
          return;
        }
        received.frames++;
        const frame = scanFrame(data as Buffer);
        if (frame.type === 'llm.delta') {
          received.deltaFrames++;
          received.text += frame.delta ?? '';
        } else if (frame.type === 'llm.final') {
          received.finals++;
          received.finalText = frame.text ?? '';
          finalWaiter?.();
        }
      });
      ws.once('error', reject);
      socket = ws;
    });
    return true;
  },
  async waitFinal(args) {
    if (received.finals === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no llm.final in time')), Number(args.timeoutMs ?? 60_000));
        finalWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const expected = deltaTexts(plan.seed, plan.deltas).join('');
    return {
      frames: received.frames,
      deltaFrames: received.deltaFrames,
      textOk: received.text === expected && received.finalText === expected,
    };
  },
});
