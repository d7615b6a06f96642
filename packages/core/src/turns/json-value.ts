import { TurnError } from '../errors/turn-error.js';

/** A value that survives JSON and YAML serialisation unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Throws `TurnError` (`value-not-serializable`) unless `value` is plain JSON data: null, booleans,
 * finite numbers, strings, arrays and plain objects, with no cycles. `where` names the location in
 * the message. Object properties whose value is `undefined` are tolerated (JSON drops them).
 */
export function assertJsonSerializable(value: unknown, where: string): void {
  const problem = findProblem(value, '$', new Set());
  if (problem) {
    throw new TurnError('value-not-serializable', `${where}: value is not JSON-serialisable (${problem})`);
  }
}

function findProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}`;
    case 'undefined':
      return `${path} is undefined`;
    case 'bigint':
    case 'symbol':
    case 'function':
      return `${path} is a ${typeof value}`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (seen.has(object)) return `${path} is a cycle`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        const problem = findProblem(object[index], `${path}[${index}]`, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      return `${path} is a ${object.constructor?.name ?? 'class'} instance`;
    }
    for (const [key, entry] of Object.entries(object)) {
      if (entry === undefined) continue;
      const problem = findProblem(entry, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}
