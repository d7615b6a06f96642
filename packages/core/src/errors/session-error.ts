import { type Blame, CricketError } from './cricket-error.js';

/** Codes of {@link SessionError}, one per failure the Session API can report. */
export type SessionErrorCode =
  | 'session-builder-missing'
  | 'session-already-active'
  | 'session-no-active'
  | 'session-empty-turn'
  | 'session-id-empty';

const messages: Record<SessionErrorCode, string> = {
  'session-builder-missing': 'session builder is nil',
  'session-already-active': 'session already has an active inference',
  'session-no-active': 'session has no active inference',
  'session-empty-turn': 'session has no seed turn (or seed turn is empty)',
  'session-id-empty': 'session has empty SessionID',
};

/**
 * A misuse of a Session. Messages match the reference framework's error strings so logs read the same.
 */
export class SessionError extends CricketError<SessionErrorCode> {
  override readonly name = 'SessionError';
  readonly blame: Blame = 'user';
  constructor(readonly code: SessionErrorCode) {
    super(messages[code]);
  }
}
