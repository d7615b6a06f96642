import { type Blame, CricketError, type CricketErrorOptions } from '../../errors/cricket-error.js';

/** Codes of {@link StructuredConfigError}. */
export type StructuredConfigErrorCode = 'invalid-extractor' | 'duplicate-extractor' | 'invalid-option';

/**
 * Structured-output helpers were configured wrongly: bad extractor tag parts, two extractors for one tag,
 * or a bad option. Thrown by constructors and factories only; problems in the stream itself become
 * events or results, never throws. Blame `user`.
 */
export class StructuredConfigError extends CricketError<StructuredConfigErrorCode> {
  override readonly name = 'StructuredConfigError';
  readonly blame: Blame = 'user';
  constructor(
    readonly code: StructuredConfigErrorCode,
    message: string,
    options?: CricketErrorOptions,
  ) {
    super(message, options);
  }
}
