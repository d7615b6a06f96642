import { errorMessage } from '@cricket/core';
import { int64, projectFrame, type SemEvent, type TimelineEntity } from '@cricket/protocol';
import type { EventLog, StoredFrame } from '../stores/event-log.js';
import type { TimelineStore } from '../stores/timeline-store.js';
import type { UnsequencedSemEvent } from './event-translator.js';

/** Correlation ids stored with each frame (columns of the event log). */
export interface FrameCorrelation {
  sessionId?: string;
  inferenceId?: string;
  turnId?: string;
}

/** What the pipeline needs from its surroundings. */
export interface FramePipelineOptions {
  eventLog: EventLog;
  timeline: TimelineStore;
  /** Runs `work` in one database transaction (group commit). */
  transaction: (work: () => void) => void;
  /** Delivers a committed frame (encoded text) to the sockets of a conversation. */
  publish: (convId: string, text: string) => void;
  /** Merge consecutive pending `llm.delta` frames of one message into one frame (default true). */
  coalesceDeltas?: boolean;
  now?: () => number;
  /**
   * Minimum milliseconds between timeline writes (and `timeline.upsert` echoes) of an entity changed
   * only by deltas (default 250, as the reference's projector throttle). Deltas carry the cumulative
   * text, so clients never depend on these intermediate writes; the event log keeps every delta, and
   * crash recovery rebuilds a streaming message from it. Non-delta changes are always written at once.
   */
  deltaWriteIntervalMs?: number;
  /**
   * Minimum milliseconds between two group commits while deltas of messages under way keep coming
   * (default 16: ~60 commits and updates per second, the low end of the 16–50 ms flush window of the
   * performance reference). Other frames, and each message's first delta, are committed on the next
   * turn of the event loop.
   */
  commitWindowMs?: number;
  /** Reports a failed commit (the batch is retried on the next flush). */
  onCommitError?: (error: unknown, attempt: number) => void;
}

interface PendingFrame {
  event: SemEvent;
  correlation: FrameCorrelation;
  /** The encoded frame, computed once at flush and reused for the log and every socket. */
  text?: string;
}

interface ConversationState {
  nextSeq: number;
  /** Working set of the projection: the latest entity state, in memory. */
  entities: Map<string, TimelineEntity>;
  pending: PendingFrame[];
  /** Entities changed and not yet written: id → version of the last change and its kind. */
  changed: Map<string, EntityChange>;
  /** When each entity was last written (for the delta throttle). */
  writtenAt: Map<string, number>;
  /** Writes deferred to the next group commit (turn snapshots, records). */
  deferred: (() => void)[];
  /** A throttled entity is waiting: a flush is scheduled for it. */
  throttleTimer: NodeJS.Timeout | undefined;
}

interface EntityChange {
  version: number;
  /** True when every frame that changed it since its last write was a delta. */
  deltaOnly: boolean;
}

const deltaTypes = new Set(['llm.delta', 'llm.thinking.delta']);

const maxCommitAttempts = 5;

/**
 * The single ordered path of every frame of every conversation:
 * 1. `emit` assigns the conversation's next `seq`, applies the timeline projection to the in-memory
 *    working set, and queues the frame (merging it into the previous `llm.delta` of the same message when
 *    that is still pending — coalescing keeps `seq` increasing, only fewer numbers are used);
 * 2. on the next turn of the event loop, `flush` writes all queued frames and the entities they changed
 *    in ONE transaction (group commit);
 * 3. only after the commit are the frames published to sockets, each conversation's frames in `seq`
 *    order, followed by one `timeline.upsert` per changed entity.
 *
 * Hence a client can never have seen a frame that a crash loses, and `/timeline` after a restart holds
 * every projected frame a client saw. `seq` restarts from the event log's last value + 1, so it is
 * strictly increasing across restarts for everything that was ever published.
 */
export class FramePipeline {
  readonly #options: FramePipelineOptions;
  readonly #now: () => number;
  readonly #conversations = new Map<string, ConversationState>();
  readonly #dirty = new Set<ConversationState>();
  readonly #convIds = new WeakMap<ConversationState, string>();
  /** A flush is queued for the next turn of the event loop. */
  #flushQueued = false;
  /** A flush is scheduled for the end of the commit window. */
  #windowTimer: NodeJS.Timeout | undefined;
  #forceWrites = false;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  readonly #commitWindowMs: number;
  #attempts = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: FramePipelineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#commitWindowMs = options.commitWindowMs ?? 16;
  }

  /** Queues a SEM event for a conversation; returns the `seq` it received. */
  emit(convId: string, event: UnsequencedSemEvent, correlation: FrameCorrelation = {}): number {
    const state = this.#state(convId);
    const seq = state.nextSeq++;
    const sequenced = { ...event, seq } as SemEvent;
    // Only a delta that continues a message already under way may wait for the commit window; every
    // other frame — and above all a message's first delta, the time to first token — goes out now.
    const urgent = !deltaTypes.has(event.type) || !state.entities.get(event.id)?.message?.content;
    const last = state.pending.at(-1);
    if (
      this.#options.coalesceDeltas !== false &&
      last &&
      sequenced.type === 'llm.delta' &&
      last.event.type === 'llm.delta' &&
      last.event.id === sequenced.id &&
      last.correlation.inferenceId === correlation.inferenceId
    ) {
      last.event = {
        ...sequenced,
        data: {
          id: sequenced.data.id,
          delta: (last.event.data.delta ?? '') + (sequenced.data.delta ?? ''),
          cumulative: sequenced.data.cumulative,
        },
      };
    } else {
      state.pending.push({ event: sequenced, correlation });
    }
    this.#project(state, sequenced);
    this.#markDirty(state, urgent);
    return seq;
  }

  /** Writes an entity directly (e.g. the user's message) as a `timeline.upsert` frame with its own `seq`. */
  upsertEntity(convId: string, entity: TimelineEntity, correlation: FrameCorrelation = {}): number {
    const state = this.#state(convId);
    const seq = state.nextSeq;
    return this.emit(
      convId,
      { type: 'timeline.upsert', id: entity.id, data: { convId, version: int64(seq), entity } },
      correlation,
    );
  }

  /**
   * Runs `write` inside the next group-commit transaction (before the frames of that batch are
   * published). For writes nothing reads back before then, e.g. turn snapshots.
   */
  defer(convId: string, write: () => void): void {
    const state = this.#state(convId);
    state.deferred.push(write);
    this.#markDirty(state);
  }

  /** The `seq` the next frame of the conversation will get. */
  nextSeq(convId: string): number {
    return this.#state(convId).nextSeq;
  }

  /** Current in-memory state of an entity. */
  entity(convId: string, id: string): TimelineEntity | undefined {
    return this.#state(convId).entities.get(id);
  }

  /**
   * Writes every change still held back by the delta throttle, then resolves when everything is
   * committed and published (shutdown).
   */
  async drain(): Promise<void> {
    this.#forceWrites = true;
    try {
      // Urgent: shutdown does not wait for a commit window.
      for (const state of this.#conversations.values()) {
        if (state.changed.size > 0 || this.#dirty.has(state)) this.#markDirty(state, true);
      }
      await this.flushed();
    } finally {
      this.#forceWrites = false;
    }
  }

  /** Resolves when everything queued so far is committed and published. */
  flushed(): Promise<void> {
    if (this.#dirty.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Commits and publishes everything queued now (normally called by the scheduler). */
  flush(): void {
    this.#flushQueued = false;
    clearTimeout(this.#windowTimer);
    this.#windowTimer = undefined;
    if (this.#dirty.size === 0) return;
    this.#lastFlushAt = this.#now();
    const batch = [...this.#dirty];
    const nowMs = this.#now();
    const stored: StoredFrame[] = [];
    for (const state of batch) {
      const convId = this.#convIds.get(state) ?? '';
      for (const pending of state.pending) stored.push(toStoredFrame(convId, pending, nowMs));
    }
    const written = new Map<ConversationState, { entity: TimelineEntity; version: number }[]>();
    const due = new Map<ConversationState, [string, EntityChange][]>();
    for (const state of batch) due.set(state, this.#dueChanges(state, nowMs));
    try {
      this.#options.transaction(() => {
        this.#options.eventLog.append(stored);
        for (const state of batch) {
          for (const write of state.deferred) write();
          const convId = this.#convIds.get(state) ?? '';
          const entries: { entity: TimelineEntity; version: number }[] = [];
          for (const [id, change] of due.get(state) ?? []) {
            const entity = state.entities.get(id);
            if (!entity) continue;
            for (const stamped of this.#options.timeline.upsert(convId, change.version, [entity], nowMs)) {
              entries.push({ entity: stamped, version: change.version });
            }
          }
          written.set(state, entries);
        }
      });
    } catch (error) {
      this.#attempts++;
      this.#options.onCommitError?.(error, this.#attempts);
      if (this.#attempts >= maxCommitAttempts) {
        // Give up on this batch rather than block every conversation forever; nothing was published.
        // The working sets already include the lost frames' projections: reload them from the store.
        for (const state of batch) this.#conversations.delete(this.#convIds.get(state) ?? '');
        this.#attempts = 0;
        this.#settle();
      } else {
        setTimeout(() => this.flush(), 10 * 2 ** this.#attempts).unref();
      }
      return;
    }
    this.#attempts = 0;
    for (const state of batch) {
      const convId = this.#convIds.get(state) ?? '';
      const entries = written.get(state) ?? [];
      const echoed = new Set(entries.map((entry) => entry.entity.id));
      for (const pending of state.pending) {
        // A direct upsert is published once, stamped, by the echo below.
        if (pending.event.type === 'timeline.upsert' && echoed.has(pending.event.id)) continue;
        this.#options.publish(convId, pending.text ?? encode(pending.event));
      }
      for (const { entity, version } of entries) {
        state.writtenAt.set(entity.id, nowMs);
        state.changed.delete(entity.id);
        this.#options.publish(
          convId,
          encode({
            type: 'timeline.upsert',
            id: entity.id,
            seq: version,
            data: { convId, version: int64(version), entity },
          }),
        );
      }
      for (const [id, change] of due.get(state) ?? []) {
        if (state.changed.get(id) === change) state.changed.delete(id);
      }
      state.pending = [];
      state.deferred = [];
      this.#scheduleThrottled(state);
    }
    this.#settle();
  }

  /** Changes to write now: every non-delta change, and delta-only changes whose throttle has passed. */
  #dueChanges(state: ConversationState, nowMs: number): [string, EntityChange][] {
    const interval = this.#options.deltaWriteIntervalMs ?? 250;
    return [...state.changed].filter(([id, change]) => {
      if (!change.deltaOnly || this.#forceWrites) return true;
      const last = state.writtenAt.get(id);
      return last === undefined || nowMs - last >= interval;
    });
  }

  /** Makes sure throttled entities are written once their interval has passed, even if no frame comes. */
  #scheduleThrottled(state: ConversationState): void {
    if (state.changed.size === 0 || state.throttleTimer) return;
    state.throttleTimer = setTimeout(() => {
      state.throttleTimer = undefined;
      // A flush in the meantime (a later frame, or `drain` at shutdown) may have written everything:
      // then there is nothing to commit, and the database may already be closed.
      if (state.changed.size > 0) this.#markDirty(state);
    }, this.#options.deltaWriteIntervalMs ?? 250);
    state.throttleTimer.unref();
  }

  #settle(): void {
    this.#dirty.clear();
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #project(state: ConversationState, event: SemEvent): void {
    let changed: TimelineEntity[];
    try {
      changed = projectFrame(event, (id) => state.entities.get(id));
    } catch (error) {
      this.#options.onCommitError?.(new Error(`projection of ${event.type} failed: ${errorMessage(error)}`), 0);
      return;
    }
    for (const entity of changed) {
      const previous = state.entities.get(entity.id);
      const createdVersion = previous?.createdVersion ?? entity.createdVersion ?? int64(event.seq ?? 0);
      const createdAtMs = previous?.createdAtMs ?? entity.createdAtMs;
      state.entities.set(entity.id, { ...entity, createdVersion, ...(createdAtMs ? { createdAtMs } : {}) });
      const previousChange = state.changed.get(entity.id);
      state.changed.set(entity.id, {
        version: event.seq ?? 0,
        deltaOnly: deltaTypes.has(event.type) && (previousChange?.deltaOnly ?? true),
      });
    }
  }

  /**
   * Commit window: after an idle period the first frame is committed on the next turn of the event
   * loop; while frames keep coming, commits are spaced at least `commitWindowMs` apart so that one
   * transaction carries many frames instead of one each. An `urgent` frame (anything but a delta of a
   * message under way) cuts a pending window short: it is committed on the next turn.
   */
  #markDirty(state: ConversationState, urgent = false): void {
    this.#dirty.add(state);
    if (this.#flushQueued) return;
    const wait = urgent ? 0 : this.#lastFlushAt + this.#commitWindowMs - this.#now();
    if (wait > 0) {
      this.#windowTimer ??= setTimeout(() => this.flush(), wait);
      return;
    }
    // A pending window timer is cleared by the flush.
    this.#flushQueued = true;
    setImmediate(() => this.flush());
  }

  #state(convId: string): ConversationState {
    let state = this.#conversations.get(convId);
    if (!state) {
      const entities = new Map<string, TimelineEntity>();
      for (const { entity } of this.#options.timeline.entities(convId)) entities.set(entity.id, entity);
      const nextSeq = Math.max(this.#options.eventLog.lastSeq(convId), this.#options.timeline.version(convId)) + 1;
      state = {
        nextSeq,
        entities,
        pending: [],
        changed: new Map(),
        writtenAt: new Map(),
        deferred: [],
        throttleTimer: undefined,
      };
      this.#conversations.set(convId, state);
      this.#convIds.set(state, convId);
    }
    return state;
  }

  /** Drops the in-memory working set of a conversation (after eviction); it reloads on next use. */
  forget(convId: string): void {
    const state = this.#conversations.get(convId);
    if (state && state.pending.length === 0 && state.changed.size === 0 && state.deferred.length === 0) {
      this.#conversations.delete(convId);
    }
  }
}

function toStoredFrame(convId: string, pending: PendingFrame, nowMs: number): StoredFrame {
  const { event, correlation } = pending;
  pending.text = encode(event);
  return {
    convId,
    seq: event.seq ?? 0,
    type: event.type,
    entityId: event.id,
    ...(correlation.sessionId ? { sessionId: correlation.sessionId } : {}),
    ...(correlation.inferenceId ? { inferenceId: correlation.inferenceId } : {}),
    ...(correlation.turnId ? { turnId: correlation.turnId } : {}),
    createdAtMs: nowMs,
    frame: pending.text,
  };
}

function encode(event: SemEvent): string {
  return JSON.stringify({ sem: true, event });
}
