/** The close event fields the client reads. */
export interface WebSocketCloseLike {
  readonly code: number;
  readonly reason: string;
}

/** The message event field the client reads: a string for text frames. */
export interface WebSocketMessageLike {
  readonly data: unknown;
}

/**
 * The part of the WHATWG WebSocket the client uses. The browser's `WebSocket` and the `ws` package's
 * class both fit, as does a test double.
 */
export interface WebSocketLike {
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: WebSocketMessageLike) => void): void;
  addEventListener(type: 'close', listener: (event: WebSocketCloseLike) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `new WebSocket(url)`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
