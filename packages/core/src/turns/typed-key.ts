import type { z } from 'zod';
import { TurnError } from '../errors/turn-error.js';

/** Which store a key belongs to. Keys of one store cannot be used on another (checked by the type system). */
export type KeyScope = 'data' | 'turn-metadata' | 'block-metadata';

const partPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const idPattern = /^(?<namespace>[A-Za-z0-9_-]+)\.(?<name>[A-Za-z0-9_.-]+)@v(?<version>[1-9][0-9]*)$/;

/**
 * A typed key: identity string `namespace.name@vN` plus the schema that validates and coerces its value.
 * `T` is the decoded value type; the scope brand keeps Turn.Data, Turn.Metadata and Block.Metadata keys apart.
 */
export interface TypedKey<T, S extends KeyScope> {
  readonly id: string;
  readonly scope: S;
  readonly namespace: string;
  readonly name: string;
  readonly version: number;
  /** Validates and coerces a stored value (possibly a generic YAML value) into `T`. */
  readonly schema: z.ZodType<T>;
  /**
   * Turns a `T` into the JSON form that is stored (and serialised). Identity when absent. Needed when
   * the in-memory type differs from the persisted one (e.g. durations kept as milliseconds but
   * written as `"30s"` strings).
   */
  readonly encode?: (value: T) => unknown;
}

/** Options of the key constructors. */
export interface KeyOptions<T> {
  encode?: (value: T) => unknown;
}

/** A key of `Turn.data`. */
export type DataKey<T> = TypedKey<T, 'data'>;
/** A key of `Turn.metadata`. */
export type TurnMetaKey<T> = TypedKey<T, 'turn-metadata'>;
/** A key of `Block.metadata`. */
export type BlockMetaKey<T> = TypedKey<T, 'block-metadata'>;

/** Builds the identity string `namespace.name@vN`, throwing a `TurnError` (`invalid-key`) on bad parts. */
export function formatKeyId(namespace: string, name: string, version: number): string {
  if (!namespace || !partPattern.test(namespace) || namespace.includes('.')) {
    throw new TurnError('invalid-key', `invalid key namespace ${JSON.stringify(namespace)}`);
  }
  if (!name || !partPattern.test(name)) {
    throw new TurnError('invalid-key', `invalid key name ${JSON.stringify(name)}`);
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new TurnError('invalid-key', `invalid key version ${version}: must be an integer >= 1`);
  }
  return `${namespace}.${name}@v${version}`;
}

/** Splits an identity string into its parts, or throws a `TurnError` (`invalid-key`). */
export function parseKeyId(id: string): { namespace: string; name: string; version: number } {
  const match = idPattern.exec(id);
  if (!match?.groups) {
    throw new TurnError('invalid-key', `invalid key id ${JSON.stringify(id)}: expected namespace.name@vN`);
  }
  const { namespace = '', name = '', version = '0' } = match.groups;
  return { namespace, name, version: Number(version) };
}

function makeKey<T, S extends KeyScope>(
  scope: S,
  namespace: string,
  name: string,
  version: number,
  schema: z.ZodType<T>,
  options: KeyOptions<T> = {},
): TypedKey<T, S> {
  return Object.freeze({
    id: formatKeyId(namespace, name, version),
    scope,
    namespace,
    name,
    version,
    schema,
    ...(options.encode ? { encode: options.encode } : {}),
  });
}

/** Declares a `Turn.data` key. */
export function dataKey<T>(
  namespace: string,
  name: string,
  version: number,
  schema: z.ZodType<T>,
  options?: KeyOptions<T>,
): DataKey<T> {
  return makeKey('data', namespace, name, version, schema, options);
}

/** Declares a `Turn.metadata` key. */
export function turnMetaKey<T>(
  namespace: string,
  name: string,
  version: number,
  schema: z.ZodType<T>,
  options?: KeyOptions<T>,
): TurnMetaKey<T> {
  return makeKey('turn-metadata', namespace, name, version, schema, options);
}

/** Declares a `Block.metadata` key. */
export function blockMetaKey<T>(
  namespace: string,
  name: string,
  version: number,
  schema: z.ZodType<T>,
  options?: KeyOptions<T>,
): BlockMetaKey<T> {
  return makeKey('block-metadata', namespace, name, version, schema, options);
}
