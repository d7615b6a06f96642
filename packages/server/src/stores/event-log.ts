/** One persisted frame of a conversation's ordered event log. */
export interface StoredFrame {
  convId: string;
  /** Per-conversation sequence number, strictly increasing. */
  seq: number;
  /** SEM type, e.g. `llm.delta`. */
  type: string;
  /** SEM `event.id`. */
  entityId: string;
  sessionId?: string;
  inferenceId?: string;
  turnId?: string;
  createdAtMs: number;
  /** The complete encoded frame exactly as sent to sockets. */
  frame: string;
}

/** Options of {@link EventLog.read}. */
export interface EventLogReadOptions {
  /** Only frames with `seq` strictly greater. */
  sinceSeq?: number;
  /** At most this many frames (default 1000). */
  limit?: number;
  /** Only these SEM types. */
  types?: readonly string[];
  inferenceId?: string;
}

/**
 * The ordered, append-only log of every frame a conversation produced. Appends happen inside the
 * pipeline's group-commit transaction; frames are published only after it commits.
 */
export interface EventLog {
  /** Appends frames (any conversations, any order of conversations, seq increasing per conversation). */
  append(frames: readonly StoredFrame[]): void;
  /** Frames of a conversation in `seq` order. */
  read(convId: string, options?: EventLogReadOptions): StoredFrame[];
  /** The latest frame about one entity (SEM `event.id`), e.g. to rebuild a message after a crash. */
  latestForEntity(convId: string, entityId: string): StoredFrame | undefined;
  /** Highest `seq` stored for the conversation (0 when none). */
  lastSeq(convId: string): number;
}
