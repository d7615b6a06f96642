import { parseSemFrame, type SemEvent } from '@cricket/protocol';
import type { WebSocketConstructor, WebSocketLike } from './web-socket-like.js';

/** Callbacks of a {@link FrameSocket}; none is called after {@link FrameSocket.close}. */
export interface FrameSocketHandlers {
  onOpen(): void;
  /** A known SEM frame, validated against its payload schema. */
  onFrame(event: SemEvent): void;
  /** A frame that is not a valid SEM frame (bad JSON, bad envelope, bad payload of a known type, binary). */
  onInvalid(reason: string, frame: string): void;
  /** The server refused the join (`{"error": "..."}`, e.g. an unknown profile); a close follows. */
  onJoinRefused(message: string): void;
  /** The socket closed without the client asking for it (also after a failed open). */
  onClose(code: number, reason: string): void;
}

/**
 * One WebSocket connection, reduced to parsed frames. Every text frame goes through the protocol's
 * `parseSemFrame`; well-formed frames of unknown types are dropped silently (newer servers may send
 * more), anything malformed is reported and skipped. Nothing here throws at the caller.
 */
export class FrameSocket {
  readonly #socket: WebSocketLike;
  #isDetached = false;

  /** Opens the socket; throws only when the WebSocket constructor throws (e.g. a malformed URL). */
  constructor(WebSocketClass: WebSocketConstructor, url: string, handlers: FrameSocketHandlers) {
    this.#socket = new WebSocketClass(url);
    this.#socket.addEventListener('open', () => {
      if (!this.#isDetached) handlers.onOpen();
    });
    this.#socket.addEventListener('message', (event) => {
      if (!this.#isDetached) this.#receive(event.data, handlers);
    });
    this.#socket.addEventListener('close', (event) => {
      if (this.#isDetached) return;
      this.#isDetached = true;
      handlers.onClose(event.code, event.reason);
    });
    // An error event is always followed by a close event, which does the reporting.
    this.#socket.addEventListener('error', () => undefined);
  }

  /** Sends a text frame (only pings are understood by the server); ignored when not open. */
  send(text: string): void {
    if (this.#isDetached) return;
    try {
      this.#socket.send(text);
    } catch {
      // Not open (yet or any more): the close handler deals with the connection's fate.
    }
  }

  /** Closes the socket and silences every handler. Idempotent. */
  close(code = 1000, reason = 'client closed'): void {
    if (this.#isDetached) return;
    this.#isDetached = true;
    try {
      this.#socket.close(code, reason);
    } catch {
      // A socket that never opened may refuse to close; it is abandoned either way.
    }
  }

  #receive(data: unknown, handlers: FrameSocketHandlers): void {
    if (typeof data !== 'string') {
      handlers.onInvalid('binary frame (the protocol only uses text frames)', '');
      return;
    }
    const parsed = parseSemFrame(data);
    if (parsed.kind === 'known') handlers.onFrame(parsed.frame.event);
    else if (parsed.kind === 'invalid') {
      const refusal = readJoinRefusal(data);
      if (refusal === undefined) handlers.onInvalid(parsed.error, data);
      else handlers.onJoinRefused(refusal);
    }
  }
}

/**
 * The join-refusal frame `{"error": "<message>"}` is the one server frame outside the SEM envelope
 * (inherited from the reference protocol), so the protocol package has no schema for it; this guard is
 * its boundary check.
 */
function readJoinRefusal(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || 'sem' in value) return undefined;
  const message = 'error' in value ? value.error : undefined;
  return typeof message === 'string' ? message : undefined;
}
