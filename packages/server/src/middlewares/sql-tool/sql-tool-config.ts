import { parseDuration } from '@cricket/core';
import { z } from 'zod';
import { parseConfiguration } from '../shared/parse-configuration.js';

/** Caps and timeout of the `sql_query` tool. */
export interface SqlToolLimits {
  /** Rows read at most (default 200). */
  maxRows: number;
  /** Output lines at most, the header line included (default 50). */
  maxOutputLines: number;
  /** Output bytes (UTF-8) at most, before the cutoff notice (default 4096). */
  maxOutputBytes: number;
  /** A query running longer is stopped and reported as an error (default 20 s). */
  timeoutMs: number;
}

/** The defaults of {@link SqlToolLimits}. */
export const defaultSqlToolLimits: Readonly<SqlToolLimits> = {
  maxRows: 200,
  maxOutputLines: 50,
  maxOutputBytes: 4096,
  timeoutMs: 20_000,
};

const maxRows = z.number().int().min(1).max(100_000);
const maxOutputLines = z.number().int().min(2).max(100_000);
const maxOutputBytes = z.number().int().min(256).max(1_048_576);
const timeoutMs = z.number().int().min(1).max(600_000);

/** Options of `createSqlToolMiddlewareFactory` (operator side: the database is chosen here, never by a profile). */
export const sqlToolOptionsSchema = z.strictObject({
  /** The SQLite file (relative paths resolve against the working directory). It is opened read-only. */
  path: z.string().trim().min(1, 'path must not be blank'),
  maxRows: maxRows.optional(),
  maxOutputLines: maxOutputLines.optional(),
  maxOutputBytes: maxOutputBytes.optional(),
  timeoutMs: timeoutMs.optional(),
});

/** See {@link sqlToolOptionsSchema}. */
export type SqlToolOptions = z.input<typeof sqlToolOptionsSchema>;

const durationText = z.string().transform((text, context) => {
  const milliseconds = parseDuration(text);
  if (milliseconds !== undefined && milliseconds >= 1) return Math.ceil(milliseconds);
  context.addIssue({
    code: 'custom',
    message: `invalid duration ${JSON.stringify(text)} (expected e.g. "5s", "500ms")`,
  });
  return z.NEVER;
});

/**
 * A profile's `sql` middleware config (snake_case, all optional): `max_rows`, `max_output_lines`,
 * `max_output_bytes`, `timeout` (a duration string such as `"5s"`). It tunes the caps; it cannot name
 * another database (a `/chat` override could otherwise point the tool at any file on the server).
 */
export const sqlToolProfileConfigSchema = z.strictObject({
  max_rows: maxRows.optional(),
  max_output_lines: maxOutputLines.optional(),
  max_output_bytes: maxOutputBytes.optional(),
  timeout: durationText.pipe(timeoutMs).optional(),
});

/** Validates the operator's options; throws `ConfigurationError`. */
export function parseSqlToolOptions(value: unknown): z.output<typeof sqlToolOptionsSchema> {
  return parseConfiguration(sqlToolOptionsSchema, value, 'sql tool options');
}

/** The limits for a profile: its config over `base`; throws `ConfigurationError` naming `source`. */
export function limitsFromProfileConfig(base: SqlToolLimits, config: unknown, source: string): SqlToolLimits {
  const parsed = parseConfiguration(sqlToolProfileConfigSchema, config, source);
  return {
    maxRows: parsed.max_rows ?? base.maxRows,
    maxOutputLines: parsed.max_output_lines ?? base.maxOutputLines,
    maxOutputBytes: parsed.max_output_bytes ?? base.maxOutputBytes,
    timeoutMs: parsed.timeout ?? base.timeoutMs,
  };
}
