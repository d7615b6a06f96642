import type { ChatResponse } from '@cricket/protocol';

/** A validated `/chat` request, ready for a conversation. */
export interface ChatSubmission {
  prompt: string;
  profile: string;
  idempotencyKey: string;
  requestHash: string;
  overrides?: Record<string, unknown>;
}

/** What `/chat` answers. */
export type ChatOutcome =
  | { kind: 'started'; response: ChatResponse }
  | { kind: 'queued'; response: ChatResponse }
  | { kind: 'replayed'; response: ChatResponse; httpStatus: 200 | 202 }
  | { kind: 'conflict'; message: string }
  | { kind: 'queue-full'; message: string }
  | { kind: 'unavailable'; message: string }
  /** The inference could not start (engine or middleware construction failed). */
  | { kind: 'failed'; message: string };
