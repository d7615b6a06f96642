import { z } from 'zod';

/** A stored row that could not be decoded and was skipped. */
export interface CorruptRowReport {
  /** The table it lives in, e.g. `timeline_entities`. */
  table: string;
  /** Its key, human-readable, e.g. `conv-1/msg-7`. */
  key: string;
  /** Why it did not decode (JSON syntax error, schema mismatch…). */
  reason: string;
}

/** Receives rows a read skipped because they do not decode. Must not throw. */
export type CorruptRowHandler = (report: CorruptRowReport) => void;

/**
 * Default {@link CorruptRowHandler}: a process warning (code `CRICKET_CORRUPT_ROW`), so a skipped row is
 * never silent. Servers pass their logger instead.
 */
export const warnCorruptRow: CorruptRowHandler = (report) => {
  process.emitWarning(`skipped corrupt ${report.table} row ${report.key}: ${report.reason}`, {
    code: 'CRICKET_CORRUPT_ROW',
  });
};

/** The message of a decoding failure, short enough for a log line. */
export function describeDecodeError(error: unknown): string {
  const message =
    error instanceof z.ZodError
      ? z.prettifyError(error).replace(/\s*\n\s*/g, ' ')
      : error instanceof Error
        ? error.message
        : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
