// Public surface of @cricket/web/client: the framework-free chat client. Explicit exports only.

export { Backoff, type BackoffOptions } from './backoff.js';
export { ChatApi, type ChatApiOptions, type ChatCall, type FetchLike, type ResponseSchema } from './chat-api.js';
export { ChatClient, type ChatClientOptions, type SendOptions } from './chat-client.js';
export { ChatClientError, type ChatClientErrorCode, toChatClientError } from './chat-client-error.js';
export type { ChatClientIssue } from './chat-client-issue.js';
export type { ChatClientSnapshot, ConnectionState } from './chat-client-snapshot.js';
export { createIdempotencyKey } from './idempotency-key.js';
export { isInferenceRunning } from './inference-activity.js';
export type { PendingPrompt } from './pending-queue.js';
export { type RetryOptions, retryRequest } from './retry-request.js';
export { createSeededRandom } from './seeded-random.js';
export type {
  WebSocketCloseLike,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketMessageLike,
} from './web-socket-like.js';
