import { TurnError } from '../errors/turn-error.js';
import { assertJsonSerializable } from './json-value.js';
import type { KeyScope, TypedKey } from './typed-key.js';

/** Any key of store `S`, whatever its value type (for presence checks and deletion). */
export type KeyRef<S extends KeyScope> = Pick<TypedKey<unknown, S>, 'id' | 'scope'>;

/**
 * A string-keyed map addressed through {@link TypedKey}s. One class serves the three stores
 * (Turn.data, Turn.metadata, Block.metadata); the `S` brand stops keys of one store being used on another.
 *
 * Values are stored in their JSON form (as given, or through the key's `encode`), not copied. `set` refuses values that would not survive JSON/YAML
 * serialisation or that fail the key's schema; `get` re-validates, so values loaded from YAML as
 * generic maps, strings or numbers are coerced into the key's type.
 */
export class TypedStore<S extends KeyScope> {
  readonly #scope: S;
  readonly #entries: Map<string, unknown>;

  constructor(scope: S, entries?: Iterable<[string, unknown]>) {
    this.#scope = scope;
    this.#entries = new Map(entries);
  }

  /** Which store this is. */
  get scope(): S {
    return this.#scope;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** True when empty (empty stores are omitted from YAML). */
  isEmpty(): boolean {
    return this.#entries.size === 0;
  }

  /** True when the key has a value, whether or not it decodes. */
  has(key: KeyRef<S>): boolean {
    return this.#entries.has(key.id);
  }

  /**
   * The decoded value, or `undefined` when absent. Throws `TurnError` (`key-decode-failed`) naming the
   * store and key when a value is present but does not fit the key's schema.
   */
  get<T>(key: TypedKey<T, S>): T | undefined {
    if (!this.#entries.has(key.id)) return undefined;
    const parsed = key.schema.safeParse(this.#entries.get(key.id));
    if (!parsed.success) {
      throw new TurnError(
        'key-decode-failed',
        `${this.#scope} key ${key.id}: stored value does not decode: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  /**
   * Stores a value. Throws `TurnError` with `value-not-serializable` (functions, symbols, bigint,
   * undefined, non-finite numbers, class instances, cycles) or `value-invalid` (fails the schema).
   */
  set<T>(key: TypedKey<T, S>, value: T): void {
    const stored = key.encode ? key.encode(value) : value;
    assertJsonSerializable(stored, `${this.#scope} key ${key.id}`);
    const parsed = key.schema.safeParse(stored);
    if (!parsed.success) {
      throw new TurnError(
        'value-invalid',
        `${this.#scope} key ${key.id}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        { cause: parsed.error },
      );
    }
    this.#entries.set(key.id, stored);
  }

  /** Removes a key; returns whether it was present. */
  delete(key: KeyRef<S>): boolean {
    return this.#entries.delete(key.id);
  }

  /** Raw access by identity string, for generic tooling (serde, debug views). No decoding. */
  getRaw(id: string): unknown {
    return this.#entries.get(id);
  }

  /** Raw write by identity string (serde). Still refuses non-serialisable values. */
  setRaw(id: string, value: unknown): void {
    assertJsonSerializable(value, `${this.#scope} key ${id}`);
    this.#entries.set(id, value);
  }

  /** Iterates entries in insertion order. */
  entries(): IterableIterator<[string, unknown]> {
    return this.#entries.entries();
  }

  /** A plain object view (insertion order), used by serialisation. */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.#entries);
  }

  /** Shallow clone: a new map whose values are shared with this one. */
  clone(): TypedStore<S> {
    return new TypedStore(this.#scope, this.#entries);
  }
}

/** `Turn.data`: inference settings and app data that engines and middlewares read. */
export type TurnData = TypedStore<'data'>;
/** `Turn.metadata`: correlation ids and inference results. */
export type TurnMetadata = TypedStore<'turn-metadata'>;
/** `Block.metadata`: provenance tags and provider extras of one block. */
export type BlockMetadata = TypedStore<'block-metadata'>;

/** An empty `Turn.data`. */
export function createTurnData(entries?: Iterable<[string, unknown]>): TurnData {
  return new TypedStore('data', entries);
}
/** An empty `Turn.metadata`. */
export function createTurnMetadata(entries?: Iterable<[string, unknown]>): TurnMetadata {
  return new TypedStore('turn-metadata', entries);
}
/** An empty `Block.metadata`. */
export function createBlockMetadata(entries?: Iterable<[string, unknown]>): BlockMetadata {
  return new TypedStore('block-metadata', entries);
}
