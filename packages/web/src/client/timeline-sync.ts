import { type SemEvent, type TimelineEntity, type TimelineSnapshot, TimelineState } from '@cricket/protocol';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { ChatApi } from './chat-api.js';
import { toChatClientError } from './chat-client-error.js';
import type { ChatClientIssue } from './chat-client-issue.js';
import type { ConnectionState } from './chat-client-snapshot.js';
import { FrameSocket } from './frame-socket.js';
import type { WebSocketConstructor } from './web-socket-like.js';

/** How much of an invalid frame an issue keeps. */
const maxFrameExcerpt = 500;

/** Inputs of {@link TimelineSync}. */
export interface TimelineSyncOptions {
  api: ChatApi;
  convId: string;
  profile: string | undefined;
  WebSocket: WebSocketConstructor;
  reconnect: BackoffOptions;
  hydrateTimeoutMs: number;
  timelineLimit: number;
  now: () => number;
  /** Something observable changed: state, entities, `lastSeq`, profile or the reconnection schedule. */
  onChange(): void;
  /**
   * Entities changed: all of them in display order after a hydration (`isStructural`), else those a
   * frame changed (`isStructural` when one of them is new).
   */
  onEntities(entities: readonly TimelineEntity[], isStructural: boolean): void;
  onIssue(issue: ChatClientIssue): void;
}

/**
 * Keeps one conversation's {@link TimelineState} equal to the server's over a WebSocket that it
 * reconnects with backoff. Each connection runs the handshake: open → buffer frames → `GET /timeline`
 * (full snapshot) → hydrate → replay the buffer in `seq` order (frames at or below the snapshot
 * version are dropped by `TimelineState`) → live.
 *
 * Why a full snapshot on every reconnection, not `since_version`: the snapshot then defines the state
 * exactly, whatever the client missed or half-received (a raw frame without its `timeline.upsert`), and a
 * server whose database was replaced (versions starting over) cannot leave the client discarding every
 * new frame as old. Its cost, one snapshot per reconnection, is small next to that.
 */
export class TimelineSync {
  readonly timeline = new TimelineState();
  readonly #options: TimelineSyncOptions;
  readonly #backoff: Backoff;
  #state: ConnectionState = 'idle';
  /** Bumped whenever a socket is abandoned, so its late callbacks and hydration are ignored. */
  #generation = 0;
  #socket: FrameSocket | undefined;
  /** Frames received before hydration completed (undefined once live). */
  #buffer: SemEvent[] | undefined;
  #hydration: AbortController | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #isJoinRefused = false;
  #lastSeq = 0;
  #profile: string | undefined;
  #reconnectAttempt = 0;
  #nextReconnectAtMs: number | undefined;

  constructor(options: TimelineSyncOptions) {
    this.#options = options;
    this.#backoff = new Backoff(options.reconnect);
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Highest `seq` applied (the snapshot version after a hydration). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The conversation's profile, from the latest `ws.hello`. */
  get profile(): string | undefined {
    return this.#profile;
  }

  /** Reconnection attempts since the connection was last live. */
  get reconnectAttempt(): number {
    return this.#reconnectAttempt;
  }

  /** When the next reconnection attempt starts, while waiting for it. */
  get nextReconnectAtMs(): number | undefined {
    return this.#nextReconnectAtMs;
  }

  /** Opens the connection (from `idle`, or again after `closed`); a no-op otherwise. */
  connect(): void {
    if (this.#state !== 'idle' && this.#state !== 'closed') return;
    this.#isJoinRefused = false;
    this.#backoff.reset();
    this.#reconnectAttempt = 0;
    this.#open('connecting');
  }

  /** While waiting for a reconnection delay, tries at once; connects when idle or closed. */
  reconnectNow(): void {
    if (this.#state === 'idle' || this.#state === 'closed') this.connect();
    else if (this.#state === 'reconnecting' && this.#retryTimer !== undefined) this.#open('reconnecting');
  }

  /** Closes the connection until the next `connect()`. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#teardown();
    this.#nextReconnectAtMs = undefined;
    this.#setState('closed');
  }

  #open(state: 'connecting' | 'reconnecting'): void {
    this.#teardown();
    const generation = this.#generation;
    const isCurrent = () => generation === this.#generation;
    const { api, convId, profile, now, onIssue } = this.#options;
    this.#nextReconnectAtMs = undefined;
    this.#buffer = [];
    this.#setState(state);
    this.#options.onChange();
    try {
      this.#socket = new FrameSocket(this.#options.WebSocket, api.webSocketUrl(convId, profile), {
        onOpen: () => {
          if (isCurrent()) void this.#hydrate(generation);
        },
        onFrame: (event) => {
          if (isCurrent()) this.#receive(event);
        },
        onInvalid: (reason, frame) => {
          if (isCurrent())
            onIssue({ type: 'invalid-frame', atMs: now(), message: reason, frame: frame.slice(0, maxFrameExcerpt) });
        },
        onJoinRefused: (message) => {
          if (!isCurrent()) return;
          this.#isJoinRefused = true;
          onIssue({ type: 'join-refused', atMs: now(), message });
        },
        onClose: () => {
          if (isCurrent()) this.#onClose();
        },
      });
    } catch (error) {
      const message = `cannot open the WebSocket: ${error instanceof Error ? error.message : String(error)}`;
      onIssue({ type: 'connection-failed', atMs: now(), message });
      this.#scheduleReconnect();
      return;
    }
    this.#deadlineTimer = setTimeout(() => {
      if (!isCurrent()) return;
      const message = `the connection was not live within ${this.#options.hydrateTimeoutMs} ms`;
      onIssue({ type: 'connection-failed', atMs: now(), message });
      this.#scheduleReconnect();
    }, this.#options.hydrateTimeoutMs);
  }

  async #hydrate(generation: number): Promise<void> {
    const { api, convId, timelineLimit, now, onIssue } = this.#options;
    this.#setState('hydrating');
    const controller = new AbortController();
    this.#hydration = controller;
    let snapshot: TimelineSnapshot;
    try {
      snapshot = await api.timeline(convId, { limit: timelineLimit }, controller.signal);
    } catch (error) {
      if (generation !== this.#generation) return;
      const failure = toChatClientError(error);
      onIssue({ type: 'hydrate-failed', atMs: now(), message: failure.message, error: failure });
      this.#scheduleReconnect();
      return;
    }
    if (generation !== this.#generation) return;
    this.#hydration = undefined;
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    if ((snapshot.entities?.length ?? 0) >= timelineLimit) {
      const message = `/timeline returned ${timelineLimit} entities, the requested limit: older ones may be missing`;
      onIssue({ type: 'timeline-truncated', atMs: now(), message, limit: timelineLimit });
    }
    this.timeline.hydrate(snapshot);
    this.#lastSeq = this.timeline.lastSeq;
    this.#options.onEntities(this.timeline.entities(), true);
    const buffered = this.#buffer ?? [];
    this.#buffer = undefined;
    // Stable sort: a raw frame stays ahead of the `timeline.upsert` frames (same seq) it caused.
    buffered.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    for (const event of buffered) this.#apply(event);
    this.#backoff.reset();
    this.#reconnectAttempt = 0;
    this.#setState('live');
    this.#options.onChange();
  }

  #receive(event: SemEvent): void {
    if (event.type === 'ws.hello') {
      const profile = event.data.profile || this.#profile;
      if (profile !== this.#profile) {
        this.#profile = profile;
        this.#options.onChange();
      }
      return;
    }
    if (event.type === 'ws.pong') return;
    if (this.#buffer) this.#buffer.push(event);
    else this.#apply(event);
  }

  #apply(event: SemEvent): void {
    const sizeBefore = this.timeline.size;
    const changed = this.timeline.apply(event);
    const isNewSeq = event.seq !== undefined && event.seq > this.#lastSeq;
    if (isNewSeq) this.#lastSeq = event.seq ?? this.#lastSeq;
    if (changed.length > 0) {
      this.#options.onEntities(changed, this.timeline.size !== sizeBefore);
      if (event.type === 'error') {
        const { id, message, code, blame, inferenceId } = event.data;
        this.#options.onIssue({
          type: 'error-frame',
          atMs: this.#options.now(),
          message: message || 'the server reported an error',
          entityId: id || event.id,
          ...(code ? { code } : {}),
          ...(blame ? { blame } : {}),
          ...(inferenceId ? { inferenceId } : {}),
        });
      }
    }
    if (isNewSeq || changed.length > 0) this.#options.onChange();
  }

  #onClose(): void {
    this.#socket = undefined;
    if (!this.#isJoinRefused) {
      this.#scheduleReconnect();
      return;
    }
    // Retrying cannot fix a refused join (unknown profile, missing conversation id).
    this.#teardown();
    this.#nextReconnectAtMs = undefined;
    this.#setState('closed');
  }

  #scheduleReconnect(): void {
    this.#teardown();
    const delay = this.#backoff.next();
    this.#reconnectAttempt++;
    this.#nextReconnectAtMs = this.#options.now() + delay;
    this.#setState('reconnecting');
    this.#options.onChange();
    this.#retryTimer = setTimeout(() => this.#open('reconnecting'), delay);
  }

  /** Abandons the current socket, hydration and timers. */
  #teardown(): void {
    this.#generation++;
    clearTimeout(this.#deadlineTimer);
    clearTimeout(this.#retryTimer);
    this.#deadlineTimer = undefined;
    this.#retryTimer = undefined;
    this.#hydration?.abort();
    this.#hydration = undefined;
    this.#socket?.close();
    this.#socket = undefined;
    this.#buffer = undefined;
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#options.onChange();
  }
}
