import type { ChunkSizeRange } from './seeded-chunks.js';

/** A body produced on the fly (large or endless streams); its chunks are written as given. */
export type GeneratedBody = () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * How the response ends:
 * - `complete`: a normal end of the response;
 * - `destroy`: the socket is destroyed after the body (a provider or proxy dying mid-stream);
 * - `stall`: nothing more is sent and the response never ends (a hung provider), until the client leaves.
 */
export type ReplayEnding = 'complete' | 'destroy' | 'stall';

/** One scripted response of the replay server. */
export interface ReplayResponse {
  /** HTTP status (default 200). */
  status?: number;
  /** Response headers; `content-type` defaults to `text/event-stream` for 2xx and `application/json` otherwise. */
  headers?: Record<string, string>;
  /**
   * The body: bytes or text served exactly, split at seeded random boundaries; or a generator
   * whose chunks are written as they come (no re-chunking). Default: empty.
   */
  body?: string | Uint8Array | GeneratedBody;
  /** Serve only the first N bytes of a byte/text body (to cut a full transcript mid-event). */
  truncateAtByte?: number;
  /** How the response ends (default `complete`). */
  ending?: ReplayEnding;
  /** Chunk size range for this response (default: the server's, itself 1–64 bytes by default). */
  chunkSizes?: ChunkSizeRange;
  /** Wait this long before sending the status line and headers (a provider slow to answer). */
  delayHeadersMs?: number;
  /** Pause between chunks in ms (default: the server's, itself 0 = just yield to the event loop). */
  chunkDelayMs?: number;
}
