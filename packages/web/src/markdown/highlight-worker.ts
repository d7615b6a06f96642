import { highlightCode } from './highlighter.js';

/**
 * The highlighting worker: compiling grammars and tokenizing take tens to hundreds of milliseconds,
 * which on the main thread would stall a streaming answer. Requests: `{ id, code, language }`;
 * answers: `{ id, lines }` or `{ id, error }`.
 */

/** The part of a dedicated worker's global scope this file uses (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HighlightRequest>) => void): void;
}

/** A request from the page. */
export interface HighlightRequest {
  id: number;
  code: string;
  language: string;
}

const scope = self as unknown as WorkerScope;
scope.addEventListener('message', (event) => {
  const { id, code, language } = event.data;
  highlightCode(code, language).then(
    (lines) => scope.postMessage({ id, lines }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
