import { z } from 'zod';
import { StoreError } from '../store-error.js';

const integerOrNullSchema = z.number().int().nullable();

/**
 * Reads an integer aggregate (`max(seq)`, a version) from a plucked statement: `undefined` / NULL → 0.
 * Anything else that is not an integer throws `store-corrupt-row` naming `what`.
 */
export function readInteger(value: unknown, what: string): number {
  const parsed = integerOrNullSchema.safeParse(value ?? null);
  if (parsed.success) return parsed.data ?? 0;
  throw new StoreError('store-corrupt-row', `${what} is not an integer: ${String(value)}`);
}
