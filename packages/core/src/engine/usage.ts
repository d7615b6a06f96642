import { z } from 'zod';

/**
 * Token usage of one engine call (or summed over an inference). Field names follow the reference's
 * event metadata. Cached and reasoning counts are subsets of input / output tokens respectively.
 */
export const usageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative().optional(),
  cache_creation_input_tokens: z.number().int().nonnegative().optional(),
  cache_read_input_tokens: z.number().int().nonnegative().optional(),
  reasoning_tokens: z.number().int().nonnegative().optional(),
});

/** See {@link usageSchema}. */
export type Usage = z.infer<typeof usageSchema>;

/** Adds two usages field by field (optional fields stay absent when both are). */
export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum: Usage = {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
  };
  for (const field of [
    'cached_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
    'reasoning_tokens',
  ] as const) {
    if (a[field] !== undefined || b[field] !== undefined) sum[field] = (a[field] ?? 0) + (b[field] ?? 0);
  }
  return sum;
}
