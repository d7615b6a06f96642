import type { FetchLike, WebSocketConstructor } from '../client/index.js';

/**
 * What the chat page needs from its surroundings: the server's URL (including a `--root` prefix) and,
 * for tests, replacements of the browser's WebSocket and fetch.
 */
export interface ChatEnvironment {
  /** The server's base URL, e.g. `http://127.0.0.1:8080/` or `https://example.com/chat-app/`. */
  baseUrl: string;
  WebSocket?: WebSocketConstructor;
  fetch?: FetchLike;
}
