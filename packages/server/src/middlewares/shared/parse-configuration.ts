import { ConfigurationError } from '@cricket/core';
import type { z } from 'zod';

/**
 * Validates `value` with `schema`; on failure throws `ConfigurationError` `<source>: <path>: <problem>`
 * for every issue (`; `-separated), unknown keys reported as `<path>.<key>: unknown key`.
 */
export function parseConfiguration<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  source: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .flatMap((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown key`);
      return [`${path || '(root)'}: ${issue.message}`];
    })
    .join('; ');
  throw new ConfigurationError(`${source}: ${detail}`, { cause: parsed.error });
}
