import { printJson, printTable } from '../cli-support.js';

/** Rows as JSON (an array) or as an aligned table. */
export function printRows(rows: readonly Record<string, unknown>[], columns: readonly string[], json: boolean): void {
  if (json) printJson(rows);
  else printTable(rows, columns);
}

/**
 * One row as a JSON object, or as `column  value` lines (a one-row table of long JSON cells would be
 * unreadable). Columns without a value are left out of the text form.
 */
export function printRecord(row: Record<string, unknown>, columns: readonly string[], json: boolean): void {
  if (json) {
    printJson(row);
    return;
  }
  const shown = columns.filter((column) => row[column] !== undefined);
  const width = Math.max(...shown.map((column) => column.length));
  const text = (value: unknown) =>
    value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const lines = shown.map((column) => `${column.padEnd(width)}  ${text(row[column])}`.trimEnd());
  process.stdout.write(`${lines.join('\n')}\n`);
}
