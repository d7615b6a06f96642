import type { TimelineEntity } from '@cricket/protocol';
import type { ChatClientIssue } from './chat-client-issue.js';
import type { PendingPrompt } from './pending-queue.js';

/**
 * Where the connection is:
 * - `idle`: created, `connect()` not called yet;
 * - `connecting`: the first socket is opening;
 * - `hydrating`: the socket is open, frames are buffered while `/timeline` loads;
 * - `live`: hydrated, frames apply as they arrive;
 * - `reconnecting`: the connection was lost; waiting for the backoff delay or opening a new socket;
 * - `closed`: `close()` was called, or the server refused the join.
 */
export type ConnectionState = 'idle' | 'connecting' | 'hydrating' | 'live' | 'reconnecting' | 'closed';

/**
 * An immutable view of a {@link ChatClient}: a new object after each batch of changes, the same object
 * otherwise (what React's `useSyncExternalStore` expects). Entities that did not change keep their
 * identity between snapshots, except after a re-hydration.
 */
export interface ChatClientSnapshot {
  readonly convId: string;
  readonly state: ConnectionState;
  /** Timeline entities in display order (by the `seq` that created them, then id). */
  readonly entities: readonly TimelineEntity[];
  /** Highest `seq` applied (the snapshot version after a hydration). */
  readonly lastSeq: number;
  /** The conversation's profile, from `ws.hello` (undefined until the first hello). */
  readonly profile: string | undefined;
  /** Prompts queued behind the running inference, oldest first. */
  readonly pending: readonly PendingPrompt[];
  /** The latest issues, oldest first (at most 50). */
  readonly issues: readonly ChatClientIssue[];
  /** Frames skipped because they failed the protocol's schemas, since the client was created. */
  readonly invalidFrameCount: number;
  /** Reconnection attempts since the connection was last live (0 while live). */
  readonly reconnectAttempt: number;
  /** When the next reconnection attempt starts (ms since the epoch), while waiting for it. */
  readonly nextReconnectAtMs: number | undefined;
}
