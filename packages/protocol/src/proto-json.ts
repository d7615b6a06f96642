import { z } from 'zod';

/**
 * Protobuf canonical JSON helpers. SEM `data`/`metadata` and the `/timeline` body follow protobuf's JSON
 * mapping: lowerCamelCase keys, 64-bit integers as decimal strings, zero values omitted.
 */

/** A 64-bit integer field: a decimal string on the wire (numbers are accepted on input). */
export const int64Schema = z
  .union([z.string().regex(/^-?\d+$/, 'expected a decimal integer string'), z.number().int()])
  .transform(String);

/** Writes a safe integer as a protobuf-JSON 64-bit value (a decimal string). */
export function int64(value: number): string {
  return String(Math.trunc(value));
}

/** Reads a protobuf-JSON 64-bit value; `undefined` and garbage read as 0. */
export function readInt64(value: string | number | undefined): number {
  if (value === undefined) return 0;
  const number = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(number) ? number : 0;
}

/** A `google.protobuf.Struct`: any JSON object. */
export const structSchema = z.record(z.string(), z.unknown());

/**
 * Drops the fields protobuf JSON omits: `undefined`, `''`, `0`, `'0'` for int64 fields listed in
 * `int64Fields`, `false` and empty arrays. Shallow on purpose: Struct values keep their contents.
 */
export function omitZero<T extends Record<string, unknown>>(message: T, int64Fields: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (value === undefined || value === '' || value === 0 || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (value === '0' && int64Fields.includes(key)) continue;
    out[key] = value;
  }
  return out as T;
}
