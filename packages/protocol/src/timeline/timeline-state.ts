import { int64, readInt64 } from '../proto-json.js';
import type { SemEvent } from '../sem/sem-frame.js';
import { projectFrame } from './project-frame.js';
import type { TimelineEntity, TimelineSnapshot } from './timeline-entity.js';

/** An entity with the version (seq) of its last change. */
export interface VersionedEntity {
  entity: TimelineEntity;
  version: number;
}

/**
 * A client's copy of one conversation's timeline. Hydrate it from `/timeline`, then feed it every frame
 * (live or buffered, in any arrival order as long as `apply` is called in `seq` order): raw frames at or
 * below the last applied `seq` are ignored, so re-delivered frames never duplicate text, and
 * `timeline.upsert` frames only win over an older version. Uses the same {@link projectFrame} as the
 * server, so the result equals the server's projection.
 */
export class TimelineState {
  readonly #entities = new Map<string, VersionedEntity>();
  #lastSeq = 0;

  /** Highest raw-frame `seq` applied (or the snapshot version after hydration). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Number of entities. */
  get size(): number {
    return this.#entities.size;
  }

  /** Replaces the whole state with a `/timeline` snapshot. */
  hydrate(snapshot: TimelineSnapshot): void {
    this.#entities.clear();
    const version = readInt64(snapshot.version);
    for (const entity of snapshot.entities ?? []) this.#entities.set(entity.id, { entity, version });
    this.#lastSeq = version;
  }

  /** Merges an incremental snapshot (`since_version`): newer entities replace older ones. */
  merge(snapshot: TimelineSnapshot): void {
    const version = readInt64(snapshot.version);
    for (const entity of snapshot.entities ?? []) this.#put(entity, version);
    this.#lastSeq = Math.max(this.#lastSeq, version);
  }

  /** Applies one frame; returns the entities that changed. */
  apply(event: SemEvent): TimelineEntity[] {
    if (event.type === 'timeline.upsert') {
      const version = readInt64(event.data.version) || (event.seq ?? 0);
      return this.#put(event.data.entity, version) ? [event.data.entity] : [];
    }
    const seq = event.seq;
    if (seq === undefined || seq <= this.#lastSeq) return [];
    this.#lastSeq = seq;
    const changed = projectFrame(event, (id) => this.#entities.get(id)?.entity);
    for (const entity of changed) this.#put(entity, seq);
    return changed;
  }

  /** One entity by id. */
  get(id: string): TimelineEntity | undefined {
    return this.#entities.get(id)?.entity;
  }

  /** Entities in display order: by creating `seq`, then id. */
  entities(): TimelineEntity[] {
    return [...this.#entities.values()]
      .map((entry) => entry.entity)
      .sort((a, b) => readInt64(a.createdVersion) - readInt64(b.createdVersion) || a.id.localeCompare(b.id));
  }

  /** Entities with their versions (for comparisons with the server). */
  versioned(): VersionedEntity[] {
    return [...this.#entities.values()];
  }

  #put(entity: TimelineEntity, version: number): boolean {
    const existing = this.#entities.get(entity.id);
    if (existing && existing.version > version) return false;
    const createdVersion = existing?.entity.createdVersion ?? entity.createdVersion ?? int64(version);
    this.#entities.set(entity.id, { entity: { ...entity, createdVersion }, version });
    return true;
  }
}
