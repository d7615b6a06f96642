import { type Blame, CricketError, type CricketErrorOptions } from './cricket-error.js';

/** An event (JSON) that does not decode into the typed event union. */
export class EventDecodeError extends CricketError<'event-decode-failed'> {
  override readonly name = 'EventDecodeError';
  readonly code = 'event-decode-failed' as const;
  readonly blame: Blame = 'user';
  constructor(message: string, options?: CricketErrorOptions) {
    super(message, options);
  }
}
