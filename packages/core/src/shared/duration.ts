import { z } from 'zod';

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const durationPattern = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const componentPattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/**
 * Parses a duration string such as `30s`, `100ms` or `1m30s` into milliseconds.
 * Returns `undefined` for anything else.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!durationPattern.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(componentPattern)) {
    total += Number(match[1]) * (unitMs[match[2] ?? 'ms'] ?? 1);
  }
  return total;
}

/** Formats milliseconds as a compact duration string (`30s`, `1500ms`, `2m`). */
export function formatDuration(milliseconds: number): string {
  if (milliseconds === 0) return '0s';
  if (milliseconds % 3_600_000 === 0) return `${milliseconds / 3_600_000}h`;
  if (milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  if (milliseconds % 1000 === 0) return `${milliseconds / 1000}s`;
  return `${milliseconds}ms`;
}

/**
 * A duration field: decodes a duration string (`2s`, `100ms`) or a number of **nanoseconds** (the
 * reference framework's JSON encoding, kept so its persisted turns still load) into milliseconds.
 */
export const durationSchema = z.union([z.string(), z.number().nonnegative()]).transform((value, context) => {
  if (typeof value === 'number') return value / 1e6;
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined) {
    context.addIssue({
      code: 'custom',
      message: `invalid duration ${JSON.stringify(value)} (expected e.g. "30s", "100ms")`,
    });
    return z.NEVER;
  }
  return milliseconds;
});
