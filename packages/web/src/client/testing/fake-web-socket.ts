import type {
  WebSocketCloseLike,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketMessageLike,
} from '../web-socket-like.js';

type EventType = 'open' | 'message' | 'close' | 'error';
/** One listener type for all events: each real listener reads a subset of this event. */
type AnyListener = (event: WebSocketMessageLike & WebSocketCloseLike) => void;

/** A scriptable WebSocket double: the test opens it, feeds it frames and closes it. */
export class FakeWebSocket implements WebSocketLike {
  readonly url: string;
  /** 0 connecting, 1 open, 3 closed (as the WHATWG constants). */
  readyState = 0;
  /** Text the client sent. */
  readonly sent: string[] = [];
  /** Code of the client's `close()` call, if it made one. */
  closedByClientWith: number | undefined;
  readonly #listeners = new Map<EventType, AnyListener[]>();

  constructor(url: string) {
    this.url = url;
  }

  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: WebSocketMessageLike) => void): void;
  addEventListener(type: 'close', listener: (event: WebSocketCloseLike) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
  addEventListener(type: EventType, listener: AnyListener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.closedByClientWith = code;
    this.#finish(code, reason);
  }

  /** Completes the handshake. */
  open(): void {
    this.readyState = 1;
    this.#emit('open', '');
  }

  /** Delivers one frame: a string is a text frame, anything else a binary one. */
  receive(data: unknown): void {
    this.#emit('message', data);
  }

  /** Delivers a SEM frame built from its event. */
  receiveEvent(event: Record<string, unknown>): void {
    this.receive(JSON.stringify({ sem: true, event }));
  }

  /** The connection breaks (or never opens): `error`, then `close`. */
  drop(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.#emit('error', '');
    this.#finish(code, reason);
  }

  #finish(code: number, reason: string): void {
    this.readyState = 3;
    this.#emit('close', '', code, reason);
  }

  #emit(type: EventType, data: unknown, code = 0, reason = ''): void {
    for (const listener of this.#listeners.get(type) ?? []) listener({ data, code, reason });
  }
}

/** A fresh WebSocket class whose instances are collected in `sockets`, in creation order. */
export function createFakeWebSocketClass(): { WebSocket: WebSocketConstructor; sockets: FakeWebSocket[] } {
  const sockets: FakeWebSocket[] = [];
  class RecordedFakeWebSocket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return { WebSocket: RecordedFakeWebSocket, sockets };
}
