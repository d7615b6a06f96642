import type { HighlightRequest } from './highlight-worker.js';
import type { HighlightedToken } from './highlighter.js';

type Answer = { id: number; lines: HighlightedToken[][] } | { id: number; error: string };

let worker: Worker | undefined;
/** Set when the worker cannot run here (no Worker, blocked by a policy): highlight on the main thread. */
let isWorkerUnavailable = typeof Worker !== 'function';
let nextId = 1;
const waiting = new Map<number, { resolve(lines: HighlightedToken[][]): void; reject(error: Error): void }>();

function failAll(error: Error): void {
  for (const entry of waiting.values()) entry.reject(error);
  waiting.clear();
}

function startWorker(): Worker | undefined {
  if (worker || isWorkerUnavailable) return worker;
  try {
    worker = new Worker(new URL('./highlight-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    isWorkerUnavailable = true;
    return undefined;
  }
  worker.addEventListener('message', (event: MessageEvent<Answer>) => {
    const answer = event.data;
    const entry = waiting.get(answer.id);
    if (!entry) return;
    waiting.delete(answer.id);
    if ('lines' in answer) entry.resolve(answer.lines);
    else entry.reject(new Error(answer.error));
  });
  worker.addEventListener('error', () => {
    // The worker script failed to load or crashed: later requests run on the main thread.
    isWorkerUnavailable = true;
    worker?.terminate();
    worker = undefined;
    failAll(new Error('the highlighting worker stopped'));
  });
  return worker;
}

/**
 * Highlights `code` in a Web Worker, so grammar compilation and tokenizing never block the page while
 * an answer streams; falls back to the main thread where workers are unavailable (tests, strict CSP).
 */
export function requestHighlight(code: string, language: string): Promise<HighlightedToken[][]> {
  const target = startWorker();
  if (!target) return import('./highlighter.js').then(({ highlightCode }) => highlightCode(code, language));
  const id = nextId++;
  const request: HighlightRequest = { id, code, language };
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    target.postMessage(request);
  });
}
