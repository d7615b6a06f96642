import type { ChatResponse, StopResponse, TimelineEntity, TimelineState } from '@cricket/protocol';
import type { BackoffOptions } from './backoff.js';
import { ChatApi, type FetchLike } from './chat-api.js';
import type { ChatClientIssue } from './chat-client-issue.js';
import type { ChatClientSnapshot, ConnectionState } from './chat-client-snapshot.js';
import { createIdempotencyKey } from './idempotency-key.js';
import { type PendingPrompt, PendingQueue } from './pending-queue.js';
import { retryRequest } from './retry-request.js';
import { TimelineSync } from './timeline-sync.js';
import type { WebSocketConstructor } from './web-socket-like.js';

/** Settings of {@link ChatClient}. */
export interface ChatClientOptions {
  /** The server's http(s) URL including its mount root, e.g. `https://example.com/chat-app/`. */
  baseUrl: string;
  convId: string;
  /** Profile to join and send with (default: the server decides: the conversation's, the cookie's, `default`). */
  profile?: string;
  /** Bearer token for servers started with `--auth-token`. */
  authToken?: string;
  /** WebSocket class (default `globalThis.WebSocket`; in Node < 22 pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** `fetch` implementation (default: the global one). */
  fetch?: FetchLike;
  /** Reconnection delays (default 250 ms × 2 up to 10 s, 50 % jitter); also used between `send` retries. */
  reconnect?: BackoffOptions;
  /** Time allowed from opening a socket to being live (socket open + `/timeline`), in ms (default 10,000). */
  hydrateTimeoutMs?: number;
  /** Time allowed for one HTTP request, in ms (default 30,000). */
  requestTimeoutMs?: number;
  /** Retries of a `send` that got no response or a 502/503/504 (default 3). */
  sendRetries?: number;
  /** `limit` of the hydration request (default 100,000 entities). */
  timelineLimit?: number;
  /** Clock for timestamps (default `Date.now`). */
  now?: () => number;
}

/** Options of {@link ChatClient.send}. */
export interface SendOptions {
  /** Key that makes the request safe to repeat (default: a new UUID per `send`, reused by its retries). */
  idempotencyKey?: string;
  /** Engine overrides (`system_prompt`, `middlewares`, `tools`) and `step_mode`. */
  overrides?: Record<string, unknown>;
  /** Profile for this prompt (default: the client's). */
  profile?: string;
  /** Cancels the request (and its retries). */
  signal?: AbortSignal;
}

const maxIssues = 50;

/**
 * A framework-free client of one conversation: a WebSocket kept live with backoff, a timeline that
 * converges to the server's (see {@link TimelineSync} for the handshake and why reconnections re-hydrate
 * from a full snapshot), the queue of this client's waiting prompts, and the HTTP calls of the chat page.
 * Usable from browsers and Node; nothing it receives makes it throw.
 */
export class ChatClient {
  readonly convId: string;
  /** The typed HTTP calls (conversation list, profiles, …) with this client's base URL and token. */
  readonly api: ChatApi;
  readonly #sync: TimelineSync;
  readonly #profileOption: string | undefined;
  readonly #reconnectOptions: BackoffOptions;
  readonly #sendRetries: number;
  readonly #now: () => number;
  readonly #pending = new PendingQueue();
  readonly #listeners = new Set<() => void>();
  readonly #issueListeners = new Set<(issue: ChatClientIssue) => void>();
  #issues: readonly ChatClientIssue[] = Object.freeze([]);
  #invalidFrameCount = 0;
  #entities: readonly TimelineEntity[] = Object.freeze([]);
  #order: readonly string[] = [];
  #isOrderStale = false;
  #isEntitiesStale = false;
  #snapshot: ChatClientSnapshot | undefined;
  #isNotifyScheduled = false;

  constructor(options: ChatClientOptions) {
    const WebSocketClass = options.WebSocket ?? (typeof WebSocket === 'function' ? WebSocket : undefined);
    if (!WebSocketClass) throw new TypeError('no WebSocket implementation: pass options.WebSocket');
    this.convId = options.convId;
    this.api = new ChatApi({
      baseUrl: options.baseUrl,
      ...(options.authToken ? { authToken: options.authToken } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    });
    this.#profileOption = options.profile;
    this.#reconnectOptions = options.reconnect ?? {};
    this.#sendRetries = options.sendRetries ?? 3;
    this.#now = options.now ?? Date.now;
    this.#sync = new TimelineSync({
      api: this.api,
      convId: options.convId,
      profile: options.profile,
      WebSocket: WebSocketClass,
      reconnect: this.#reconnectOptions,
      hydrateTimeoutMs: options.hydrateTimeoutMs ?? 10_000,
      timelineLimit: options.timelineLimit ?? 100_000,
      now: this.#now,
      onChange: () => this.#changed(),
      onEntities: (entities, isStructural) => {
        if (isStructural) this.#isOrderStale = true;
        else this.#isEntitiesStale = true;
        this.#pending.observe(entities);
      },
      onIssue: (issue) => this.#report(issue),
    });
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#sync.state;
  }

  /** The client's timeline (read it, never feed it: the client owns hydration and frame order). */
  get timeline(): TimelineState {
    return this.#sync.timeline;
  }

  /** Highest `seq` applied (the snapshot version after a hydration). */
  get lastSeq(): number {
    return this.#sync.lastSeq;
  }

  /** The conversation's profile, from the latest `ws.hello`. */
  get profile(): string | undefined {
    return this.#sync.profile;
  }

  /** Prompts queued behind the running inference, oldest first. */
  get pending(): readonly PendingPrompt[] {
    return this.#pending.items;
  }

  /** Opens the connection (from `idle`, or again after `closed`); a no-op otherwise. */
  connect(): void {
    this.#sync.connect();
  }

  /** While waiting for a reconnection delay, tries at once (a "retry now" button); connects when closed. */
  reconnectNow(): void {
    this.#sync.reconnectNow();
  }

  /** Closes the connection until the next `connect()`; in-flight HTTP calls still complete. */
  close(): void {
    this.#sync.close();
  }

  /**
   * Listens for changes; the listener runs once after each batch of changes (a microtask later).
   * Returns the unsubscribe function. Fits React's `useSyncExternalStore(subscribe, getSnapshot)`.
   */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current immutable snapshot; the same object until something changes. */
  getSnapshot = (): ChatClientSnapshot => {
    this.#snapshot ??= Object.freeze({
      convId: this.convId,
      state: this.#sync.state,
      entities: this.#currentEntities(),
      lastSeq: this.#sync.lastSeq,
      profile: this.#sync.profile,
      pending: this.#pending.items,
      issues: this.#issues,
      invalidFrameCount: this.#invalidFrameCount,
      reconnectAttempt: this.#sync.reconnectAttempt,
      nextReconnectAtMs: this.#sync.nextReconnectAtMs,
    });
    return this.#snapshot;
  };

  /** Listens for issues as they happen (they are also kept in the snapshot). Returns the unsubscribe function. */
  onIssue(listener: (issue: ChatClientIssue) => void): () => void {
    this.#issueListeners.add(listener);
    return () => this.#issueListeners.delete(listener);
  }

  /**
   * Sends a prompt (`POST /chat`). A request that gets no response (or 502/503/504) is retried with the
   * same idempotency key, so the server runs it once at most. A `queued` answer adds the prompt to
   * {@link pending} until its user message appears. Throws a `ChatClientError` on failure.
   */
  async send(prompt: string, options: SendOptions = {}): Promise<ChatResponse> {
    const idempotencyKey = options.idempotencyKey ?? createIdempotencyKey();
    const profile = options.profile ?? this.#profileOption;
    const call = {
      convId: this.convId,
      prompt,
      idempotencyKey,
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(profile ? { profile } : {}),
    };
    const mark = this.#pending.mark();
    const response = await retryRequest(() => this.api.chat(call, options.signal), {
      retries: this.#sendRetries,
      backoff: this.#reconnectOptions,
    });
    // The server writes no user message for a blank prompt, so nothing would ever settle it.
    if (response.status === 'queued' && prompt.trim() !== '') {
      const entry = {
        idempotencyKey: response.idempotency_key,
        prompt,
        position: response.queue_position ?? 1,
        queuedAtMs: this.#now(),
      };
      if (this.#pending.add(entry, mark)) this.#changed();
    }
    return response;
  }

  /** Cancels the running inference (`POST /api/chat/stop`); its partial text is kept. */
  stop(): Promise<StopResponse> {
    return this.api.stop(this.convId);
  }

  /** Forgets a pending prompt (the server keeps it queued). */
  dismissPending(idempotencyKey: string): void {
    if (this.#pending.remove(idempotencyKey)) this.#changed();
  }

  #report(issue: ChatClientIssue): void {
    if (issue.type === 'invalid-frame') this.#invalidFrameCount++;
    this.#issues = Object.freeze([...this.#issues.slice(1 - maxIssues), Object.freeze(issue)]);
    this.#changed();
    for (const listener of [...this.#issueListeners]) callSafely(() => listener(issue));
  }

  /** Display-ordered entities; re-sorted only when an entity appeared or after a hydration. */
  #currentEntities(): readonly TimelineEntity[] {
    if (this.#isOrderStale) {
      const ordered = this.#sync.timeline.entities();
      this.#order = ordered.map((entity) => entity.id);
      this.#entities = Object.freeze(ordered);
    } else if (this.#isEntitiesStale) {
      const entities: TimelineEntity[] = [];
      for (const id of this.#order) {
        const entity = this.#sync.timeline.get(id);
        if (entity) entities.push(entity);
      }
      this.#entities = Object.freeze(entities);
    }
    this.#isOrderStale = false;
    this.#isEntitiesStale = false;
    return this.#entities;
  }

  #changed(): void {
    this.#snapshot = undefined;
    if (this.#isNotifyScheduled) return;
    this.#isNotifyScheduled = true;
    queueMicrotask(() => {
      this.#isNotifyScheduled = false;
      for (const listener of [...this.#listeners]) callSafely(listener);
    });
  }
}

/** Runs a listener; a throwing listener must not break the client, but its error must not vanish either. */
function callSafely(listener: () => void): void {
  try {
    listener();
  } catch (error) {
    setTimeout(() => {
      throw error;
    }, 0);
  }
}
