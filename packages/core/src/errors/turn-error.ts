import { type Blame, CricketError, type CricketErrorOptions } from './cricket-error.js';

/** Codes of {@link TurnError}. */
export type TurnErrorCode =
  | 'invalid-key'
  | 'key-decode-failed'
  | 'value-not-serializable'
  | 'value-invalid'
  | 'yaml-malformed'
  | 'turn-invalid'
  | 'unknown-block-kind';

/** A problem with a Turn, a Block, a typed key or their YAML form. Always the caller's input: blame `user`. */
export class TurnError extends CricketError<TurnErrorCode> {
  override readonly name = 'TurnError';
  readonly blame: Blame = 'user';
  constructor(
    readonly code: TurnErrorCode,
    message: string,
    options?: CricketErrorOptions,
  ) {
    super(message, options);
  }
}
