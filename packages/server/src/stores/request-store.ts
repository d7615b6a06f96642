import type { ChatRequestStatus, ChatResponse } from '@cricket/protocol';

/**
 * A `/chat` request, keyed by its idempotency key (globally: a retry of a first message that had no
 * conv_id still finds its record). Persisted so replays and the queue survive restarts.
 */
export interface ChatRequestRecord {
  idempotencyKey: string;
  convId: string;
  /** Hash of the normalised request (prompt, profile, overrides); a reused key with another hash → 422. */
  requestHash: string;
  status: ChatRequestStatus;
  /** The response to replay (its `status` follows the record's). */
  response: ChatResponse;
  error?: string;
  prompt: string;
  profile: string;
  overrides?: Record<string, unknown>;
  enqueuedAtMs: number;
  startedAtMs?: number;
  completedAtMs?: number;
}

/** Persists chat request records. */
export interface RequestStore {
  get(idempotencyKey: string): ChatRequestRecord | undefined;
  /** Inserts a new record; throws when the key exists. */
  insert(record: ChatRequestRecord): void;
  /** Replaces an existing record. */
  update(record: ChatRequestRecord): void;
  /** Records of a conversation with status `queued`, oldest first (restores the queue after a restart). */
  queued(convId: string): ChatRequestRecord[];
  /** Records with status `running` or `started` (left over by a crash). */
  unfinished(): ChatRequestRecord[];
}
