/** A conversation as persisted: enough to resume it after a restart. */
export interface ConversationRecord {
  convId: string;
  /** The session continued by this conversation (stable across restarts). */
  sessionId: string;
  profile: string;
  createdAtMs: number;
  lastActivityMs: number;
  /** First user prompt (shortened), for conversation lists. */
  title?: string;
}

/** Persists conversations. */
export interface ConversationStore {
  /** Inserts or replaces a conversation. */
  save(record: ConversationRecord): void;
  get(convId: string): ConversationRecord | undefined;
  /** Most recently active first. */
  list(options?: { limit?: number }): ConversationRecord[];
  /** Updates `lastActivityMs` (and the title when given and none is stored yet). */
  touch(convId: string, atMs: number, title?: string): void;
}
