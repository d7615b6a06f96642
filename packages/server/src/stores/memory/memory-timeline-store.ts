import { readInt64, type TimelineEntity, type TimelineSnapshot, type VersionedEntity } from '@cricket/protocol';
import { stampTimelineEntity } from '../timeline-entity-encoding.js';
import type { TimelineSnapshotOptions, TimelineStore } from '../timeline-store.js';
import {
  assertUpsertArguments,
  buildTimelineSnapshot,
  compareVersionThenId,
  firstWriteCreation,
  resolveSnapshotOptions,
} from '../timeline-store-rules.js';

/** Default per-conversation capacity of {@link MemoryTimelineStore}. */
export const defaultMemoryTimelineCapacity = 5000;

/** Options of {@link MemoryTimelineStore}. */
export interface MemoryTimelineStoreOptions {
  /** Most entities kept per conversation (default 5000; ≤ 0 means the default). */
  capacity?: number;
  /** Clock for `serverTimeMs` (default `Date.now`). */
  now?: () => number;
}

interface StoredEntity {
  id: string;
  version: number;
  entity: TimelineEntity;
}

interface ConversationTimeline {
  version: number;
  entities: Map<string, StoredEntity>;
}

/**
 * A {@link TimelineStore} in process memory, for tests and `--no-db` runs; nothing survives a restart.
 * Same semantics as the SQLite store, plus a per-conversation capacity: on overflow the entities with
 * the lowest version are evicted first (ties: lowest id). Writes store deep copies and reads return
 * deep copies, so no caller can change what is stored.
 */
export class MemoryTimelineStore implements TimelineStore {
  readonly #conversations = new Map<string, ConversationTimeline>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(options: MemoryTimelineStoreOptions = {}) {
    const capacity = Math.trunc(options.capacity ?? 0);
    this.#capacity = capacity > 0 ? capacity : defaultMemoryTimelineCapacity;
    this.#now = options.now ?? Date.now;
  }

  /** See {@link TimelineStore.upsert}; may evict the conversation's oldest entities past capacity. */
  upsert(convId: string, version: number, entities: readonly TimelineEntity[], nowMs: number): TimelineEntity[] {
    assertUpsertArguments(convId, version, entities, nowMs);
    if (entities.length === 0) return [];
    let conversation = this.#conversations.get(convId);
    if (conversation === undefined) {
      conversation = { version: 0, entities: new Map() };
      this.#conversations.set(convId, conversation);
    }
    const updatedAtMs = Math.trunc(nowMs);
    const stamped = entities.map((entity) => {
      const existing = conversation.entities.get(entity.id)?.entity;
      const [createdAtMs, createdVersion] = existing
        ? [readInt64(existing.createdAtMs), readInt64(existing.createdVersion)]
        : firstWriteCreation(entity, updatedAtMs, version);
      const result = stampTimelineEntity(entity, { createdAtMs, updatedAtMs, createdVersion });
      conversation.entities.set(entity.id, { id: entity.id, version, entity: structuredClone(result) });
      return result;
    });
    conversation.version = Math.max(conversation.version, version);
    this.#evictOverflow(conversation);
    return stamped;
  }

  /** See {@link TimelineStore.snapshot}. */
  snapshot(convId: string, options?: TimelineSnapshotOptions): TimelineSnapshot {
    const { sinceVersion, limit } = resolveSnapshotOptions(options);
    const conversation = this.#conversations.get(convId);
    const selected = conversation
      ? this.#sorted(conversation)
          .filter((stored) => stored.version > sinceVersion)
          .slice(0, limit)
          .map((stored) => structuredClone(stored.entity))
      : [];
    return buildTimelineSnapshot(convId, conversation?.version ?? 0, this.#now(), selected);
  }

  /** See {@link TimelineStore.snapshotJson}. */
  snapshotJson(convId: string, options?: TimelineSnapshotOptions): Buffer {
    return Buffer.from(JSON.stringify(this.snapshot(convId, options)));
  }

  /** See {@link TimelineStore.entities}: ordered by (version, id). */
  entities(convId: string): VersionedEntity[] {
    const conversation = this.#conversations.get(convId);
    if (conversation === undefined) return [];
    return this.#sorted(conversation).map((stored) => ({
      entity: structuredClone(stored.entity),
      version: stored.version,
    }));
  }

  /** See {@link TimelineStore.version}. */
  version(convId: string): number {
    return this.#conversations.get(convId)?.version ?? 0;
  }

  /** Drops everything. */
  close(): void {
    this.#conversations.clear();
  }

  #sorted(conversation: ConversationTimeline): StoredEntity[] {
    return [...conversation.entities.values()].sort(compareVersionThenId);
  }

  #evictOverflow(conversation: ConversationTimeline): void {
    let excess = conversation.entities.size - this.#capacity;
    if (excess <= 0) return;
    if (excess === 1) {
      let lowest: StoredEntity | undefined;
      for (const stored of conversation.entities.values()) {
        if (lowest === undefined || compareVersionThenId(stored, lowest) < 0) lowest = stored;
      }
      if (lowest !== undefined) conversation.entities.delete(lowest.id);
      return;
    }
    for (const stored of this.#sorted(conversation)) {
      if (excess-- <= 0) break;
      conversation.entities.delete(stored.id);
    }
  }
}
