// Bench engines. They publish through @cricket/providers' InferenceStream — the same event
// sequence (start → partial… → final, with metadata) the real provider engines publish — so the
// server sees exactly what a provider engine would give it, minus the wire decoding (measured
// separately by provider-ingest and cpu-per-delta).

import { type Engine, type EngineInfo, type InferenceContext, sleep, type Turn } from '@cricket/core';
import { InferenceStream } from '@cricket/providers';

const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'while', 'tokens', 'stream', 'fast'];

/** A seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` deltas like a model's tokens (` word`, 3–7 characters, ASCII, no quotes), seeded. */
export function deltaTexts(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ` ${words[Math.floor(random() * words.length)]}`);
}

/** The prompt that makes the bench engines stream `deltas` deltas with `seed`. */
export function benchPrompt(seed: number, deltas: number): string {
  return `bench seed=${seed} deltas=${deltas}`;
}

/** The text the bench engines stream for {@link benchPrompt}. */
export function expectedText(seed: number, deltas: number): string {
  return deltaTexts(seed, deltas).join('');
}

function readPrompt(turn: Turn): { seed: number; deltas: number } {
  let prompt = '';
  for (const block of turn.blocks) if (block.kind === 'user') prompt = block.payload.text;
  const match = /seed=(\d+) deltas=(\d+)/.exec(prompt);
  return { seed: Number(match?.[1] ?? 1), deltas: Number(match?.[2] ?? 16) };
}

/** Options of {@link PacedEngine}. */
export interface PacedEngineOptions {
  /** Deltas per second per inference (a real stream: ~90). */
  ratePerSecond: number;
  /** Wait before the first delta (the provider's time to first token). */
  firstDeltaDelayMs?: number;
  /** Called with `performance.now()` just before the first `partial` is published. */
  onFirstDelta?: (at: number, turn: Turn) => void;
  /**
   * Start streaming only when this resolves (with a `performance.now()` time), each inference at a
   * seeded phase offset within one period — so K inferences stream concurrently, evenly spread.
   */
  startAt?: Promise<number>;
}

/**
 * Streams the deltas named by the prompt ({@link benchPrompt}) at a fixed rate, drift-free: delta i is
 * due at t0 + i/rate. When the process is late (overloaded), every delta already due is published at
 * once — as a provider's backlog arrives in one TCP read — so an overloaded server shows up as
 * batching and lag, never as a slower provider.
 */
export class PacedEngine implements Engine {
  readonly info: EngineInfo = { provider: 'bench', model: 'bench-paced', offline: true };
  readonly #options: PacedEngineOptions;

  constructor(options: PacedEngineOptions) {
    this.#options = options;
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { seed, deltas: count } = readPrompt(turn);
    const deltas = deltaTexts(seed, count);
    const stream = new InferenceStream({ provider: 'bench', model: this.info.model, turn, context });
    const period = 1000 / this.#options.ratePerSecond;
    try {
      stream.start();
      const barrier = this.#options.startAt;
      const t0 = barrier
        ? (await raceSignal(barrier, context.signal)) + seededRandom(seed)() * period
        : performance.now() + (this.#options.firstDeltaDelayMs ?? period);
      let index = 0;
      while (index < deltas.length) {
        const wait = t0 + index * period - performance.now();
        if (wait > 0) await sleep(wait, context.signal);
        const now = performance.now();
        do {
          if (index === 0) this.#options.onFirstDelta?.(performance.now(), turn);
          stream.appendText(deltas[index] as string);
          index++;
        } while (index < deltas.length && t0 + index * period <= now);
      }
      return stream.finish({ stopReason: 'stop' });
    } catch (error) {
      throw stream.fail(error);
    }
  }
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    }, reject);
  });
}

/** A start signal shared by many inferences (see {@link PacedEngineOptions.startAt}). */
export class StartBarrier {
  readonly promise: Promise<number>;
  #release: (at: number) => void = () => undefined;

  constructor() {
    this.promise = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Lets every waiting inference start at `at` (a `performance.now()` time). */
  release(at: number): void {
    this.#release(at);
  }
}

/** Accepts the inference and then waits, silent, until it is cancelled (for `POST /chat` load). */
export class IdleEngine implements Engine {
  readonly info: EngineInfo = { provider: 'bench', model: 'bench-idle', offline: true };

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const stream = new InferenceStream({ provider: 'bench', model: this.info.model, turn, context });
    try {
      await sleep(2 ** 31 - 1, context.signal);
      return stream.finish({});
    } catch (error) {
      throw stream.fail(error);
    }
  }
}
