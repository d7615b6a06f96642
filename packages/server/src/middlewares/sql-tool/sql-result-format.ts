import type { SqlToolLimits } from './sql-tool-config.js';

/** Rows read by the query process: column names, raw values, and whether more rows were left unread. */
export interface QueryRows {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  /** True when the query had rows beyond those read (row cap or byte budget reached). */
  more: boolean;
}

const blobPreviewBytes = 32;

/** One value as text: `NULL`, numbers and big integers as digits, blobs as `x'…'`, line breaks escaped. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.replaceAll('\\', '\\\\').replaceAll('\r', '\\r').replaceAll('\n', '\\n');
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) {
    const shown = Buffer.from(value.subarray(0, blobPreviewBytes)).toString('hex');
    const suffix = value.length > blobPreviewBytes ? `… (${value.length} bytes)` : '';
    return `x'${shown}'${suffix}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * The tool's text result: a header line of column names joined by ` | `, then one line per row. Output
 * stops at `maxOutputLines` lines (header included) or `maxOutputBytes` bytes (a row that does not fit
 * is cut at a character boundary); when anything was left out (those caps, the row cap, or unread rows)
 * the line `... additional data cutoff (N kB)` is appended, N being the size of the kept text rounded up
 * to kB, as in the reference. Unlike the reference, the notice never fires when nothing was left out.
 */
export function formatQueryResult(
  result: QueryRows,
  limits: Pick<SqlToolLimits, 'maxOutputLines' | 'maxOutputBytes'>,
): string {
  const lines = [result.columns.join(' | '), ...result.rows.map((row) => row.map(formatValue).join(' | '))];
  let truncated = result.more;
  let kept = lines;
  if (kept.length > limits.maxOutputLines) {
    kept = kept.slice(0, limits.maxOutputLines);
    truncated = true;
  }
  let text = kept.join('\n');
  if (Buffer.byteLength(text) > limits.maxOutputBytes) {
    text = cutToBytes(text, limits.maxOutputBytes);
    truncated = true;
  }
  if (!truncated) return text;
  return `${text}\n... additional data cutoff (${Math.ceil(Buffer.byteLength(text) / 1024)} kB)`;
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes` (never splits a character). */
export function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end);
}
