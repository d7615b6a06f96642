/**
 * Who is to blame for a failure. Servers map this to status codes and UIs to wording:
 * `user` (bad input: fix the request), `provider` (the model service failed), `system` (our bug or environment).
 */
export type Blame = 'user' | 'provider' | 'system';

/** Options accepted by every Cricket error. */
export interface CricketErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error Cricket throws on purpose. Each subclass has a stable `name` and a closed
 * `code` union, so callers branch on `code` rather than on message text.
 */
export abstract class CricketError<Code extends string = string> extends Error {
  abstract readonly code: Code;
  abstract readonly blame: Blame;

  constructor(message: string, options: CricketErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** A plain JSON view, suitable for logs and error frames. */
  toJSON(): { name: string; code: string; message: string; blame: Blame } {
    return { name: this.name, code: this.code, message: this.message, blame: this.blame };
  }
}

/** True when `value` is any Cricket error. Works across realms because it checks shape, not prototype. */
export function isCricketError(value: unknown): value is CricketError {
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { blame?: unknown }).blame === 'string'
  );
}

/** Message text of any thrown value, for places that must turn a failure into data. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
