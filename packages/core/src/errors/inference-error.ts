import { type Blame, CricketError, type CricketErrorOptions } from './cricket-error.js';

/** Codes of {@link InferenceError}. */
export type InferenceErrorCode = 'cancelled' | 'max-iterations' | 'engine-failed' | 'scripted-error';

/**
 * An inference that did not complete normally. `cancelled` is raised when the inference's AbortSignal
 * fired; `max-iterations` when the tool loop ran out of iterations (the partial turn is attached).
 */
export class InferenceError extends CricketError<InferenceErrorCode> {
  override readonly name = 'InferenceError';
  readonly blame: Blame;
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
    options: CricketErrorOptions & { blame?: Blame } = {},
  ) {
    super(message, options);
    this.blame = options.blame ?? (code === 'cancelled' ? 'user' : 'system');
  }
}

/** True when `error` reports a cancelled inference (ours, or a DOM AbortError from fetch). */
export function isCancellation(error: unknown): boolean {
  if (error instanceof InferenceError) return error.code === 'cancelled';
  return error instanceof Error && error.name === 'AbortError';
}
