import type { ChatClientError } from './chat-client-error.js';

/**
 * Something that went wrong, reported to listeners and kept (the latest 50) in the snapshot. The client
 * never throws these; the connection repairs itself where it can.
 * - `error-frame`: the server announced an error (provider, tool loop, server) in an `error` frame; it
 *   is also an `error` entity in the timeline.
 * - `invalid-frame`: a frame that failed the protocol's schemas; it was skipped.
 * - `join-refused`: the server refused the WebSocket join (unknown profile, missing conversation id).
 *   The client stops reconnecting: retrying cannot fix it.
 * - `connection-failed`: the socket could not be created, or was not live within `hydrateTimeoutMs`.
 * - `hydrate-failed`: `GET /timeline` failed; the client reconnects with backoff.
 * - `timeline-truncated`: `/timeline` returned as many entities as the requested limit, so some may be
 *   missing (raise `timelineLimit`).
 */
export type ChatClientIssue =
  | {
      type: 'error-frame';
      atMs: number;
      message: string;
      entityId: string;
      code?: string;
      blame?: string;
      inferenceId?: string;
    }
  | { type: 'invalid-frame'; atMs: number; message: string; frame: string }
  | { type: 'join-refused'; atMs: number; message: string }
  | { type: 'connection-failed'; atMs: number; message: string }
  | { type: 'hydrate-failed'; atMs: number; message: string; error: ChatClientError }
  | { type: 'timeline-truncated'; atMs: number; message: string; limit: number };
