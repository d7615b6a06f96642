import type { TurnSnapshotRecord } from '@cricket/protocol';

/** Filters of {@link TurnStore.list}: at least one of `convId` and `sessionId`. */
export interface TurnQuery {
  convId?: string;
  sessionId?: string;
  phase?: string;
  /** Inclusive lower bound on `created_at_ms` (ignored when ≤ 0). */
  sinceMs?: number;
  /** Default 200. */
  limit?: number;
}

/** Stores YAML turn snapshots per phase (`pre_inference`, `post_inference`, `post_tools`, `final`). */
export interface TurnStore {
  /** Saves one snapshot; ids must be non-blank; `createdAtMs` ≤ 0 means now. */
  save(record: TurnSnapshotRecord): void;
  /** Matching snapshots, newest first. */
  list(query: TurnQuery): TurnSnapshotRecord[];
  /** The most recent snapshot of a session (any phase), used to resume a session after a restart. */
  latestForSession(sessionId: string): TurnSnapshotRecord | undefined;
  /** Distinct session ids of a conversation with their first/last snapshot times (debug API). */
  sessions(convId: string): { session_id: string; first_ms: number; last_ms: number; snapshots: number }[];
}
