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
  /** Entities changed by pending frames: id → version of the last change. */
  changed: Map<string, number>;
}

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
  #scheduled = false;
  #attempts = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: FramePipelineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Queues a SEM event for a conversation; returns the `seq` it received. */
  emit(convId: string, event: UnsequencedSemEvent, correlation: FrameCorrelation = {}): number {
    const state = this.#state(convId);
    const seq = state.nextSeq++;
    const sequenced = { ...event, seq } as SemEvent;
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
    this.#markDirty(state);
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

  /** The `seq` the next frame of the conversation will get. */
  nextSeq(convId: string): number {
    return this.#state(convId).nextSeq;
  }

  /** Current in-memory state of an entity. */
  entity(convId: string, id: string): TimelineEntity | undefined {
    return this.#state(convId).entities.get(id);
  }

  /** Resolves when everything queued so far is committed and published. */
  flushed(): Promise<void> {
    if (this.#dirty.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Commits and publishes everything queued now (normally called by the scheduler). */
  flush(): void {
    this.#scheduled = false;
    if (this.#dirty.size === 0) return;
    const batch = [...this.#dirty];
    const nowMs = this.#now();
    const stored: StoredFrame[] = [];
    for (const state of batch) {
      const convId = this.#convIds.get(state) ?? '';
      for (const pending of state.pending) stored.push(toStoredFrame(convId, pending, nowMs));
    }
    let upserted: Map<ConversationState, TimelineEntity[]>;
    try {
      upserted = new Map();
      this.#options.transaction(() => {
        this.#options.eventLog.append(stored);
        for (const state of batch) {
          const convId = this.#convIds.get(state) ?? '';
          const written: TimelineEntity[] = [];
          for (const [id, version] of state.changed) {
            const entity = state.entities.get(id);
            if (entity) written.push(...this.#options.timeline.upsert(convId, version, [entity], nowMs));
          }
          upserted.set(state, written);
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
      for (const pending of state.pending) this.#options.publish(convId, pending.text ?? encode(pending.event));
      for (const entity of upserted.get(state) ?? []) {
        const version = state.changed.get(entity.id) ?? 0;
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
      this.#reset(state);
    }
    this.#settle();
  }

  #settle(): void {
    this.#dirty.clear();
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #reset(state: ConversationState): void {
    state.pending = [];
    state.changed = new Map();
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
      state.changed.set(entity.id, event.seq ?? 0);
    }
  }

  #markDirty(state: ConversationState): void {
    this.#dirty.add(state);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  #state(convId: string): ConversationState {
    let state = this.#conversations.get(convId);
    if (!state) {
      const entities = new Map<string, TimelineEntity>();
      for (const { entity } of this.#options.timeline.entities(convId)) entities.set(entity.id, entity);
      const nextSeq = Math.max(this.#options.eventLog.lastSeq(convId), this.#options.timeline.version(convId)) + 1;
      state = { nextSeq, entities, pending: [], changed: new Map() };
      this.#conversations.set(convId, state);
      this.#convIds.set(state, convId);
    }
    return state;
  }

  /** Drops the in-memory working set of a conversation (after eviction); it reloads on next use. */
  forget(convId: string): void {
    const state = this.#conversations.get(convId);
    if (state && state.pending.length === 0) this.#conversations.delete(convId);
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
