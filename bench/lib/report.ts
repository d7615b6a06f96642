// Shared reporting for the benchmarks: one figure per SPEC §4 budget, printed as
// `figure: value unit (budget …) PASS|FAIL`, plus unbudgeted breakdown lines. When a benchmark runs
// under `bench/run-all.ts` (a forked child), its figures also go to the parent over IPC.

import { pathToFileURL } from 'node:url';

/** One measured figure. `budget`/`pass` are absent for breakdowns (context, not a SPEC row). */
export interface BenchFigure {
  /** SPEC §4 row this figure answers (short label), or undefined for a breakdown. */
  row?: string;
  name: string;
  value: number;
  unit: string;
  /** Human-readable budget, e.g. `≤ 10 µs`. */
  budget?: string;
  pass?: boolean;
  /** Digits after the decimal point when printed (default: 0 for ≥ 100, else 2). */
  digits?: number;
  /** Short note printed after the verdict (method caveats, what was skipped). */
  note?: string;
}

/** What a benchmark child sends to `run-all.ts`. */
export interface BenchMessage {
  type: 'figures';
  bench: string;
  figures: BenchFigure[];
  notes: string[];
}

/** A budgeted figure: `value` compared with `limit` (`max`: value ≤ limit; `min`: value ≥ limit). */
export function budgeted(
  row: string,
  name: string,
  value: number,
  unit: string,
  kind: 'max' | 'min',
  limit: number,
  extra: Partial<BenchFigure> = {},
): BenchFigure {
  const pass = Number.isFinite(value) && (kind === 'max' ? value <= limit : value >= limit);
  const budget = `${kind === 'max' ? '≤' : '≥'} ${formatNumber(limit, Number.isInteger(limit) ? 0 : undefined)} ${unit}`;
  return { row, name, value, unit, budget, pass, ...extra };
}

/** An unbudgeted breakdown figure. */
export function breakdown(name: string, value: number, unit: string, extra: Partial<BenchFigure> = {}): BenchFigure {
  return { name, value, unit, ...extra };
}

/** `12,345` for large values, `3.21` for small ones, `n/a` for NaN. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

/** The printed line of a figure. */
export function formatFigure(figure: BenchFigure): string {
  const value = `${formatNumber(figure.value, figure.digits)} ${figure.unit}`;
  const note = figure.note ? `  — ${figure.note}` : '';
  if (figure.budget === undefined) return `  · ${figure.name}: ${value}${note}`;
  return `${figure.name}: ${value} (budget ${figure.budget}) ${figure.pass ? 'PASS' : 'FAIL'}${note}`;
}

/** Prints the figures and, under `run-all.ts`, sends them to the parent (resolves once sent). */
export function reportFigures(bench: string, figures: BenchFigure[], notes: string[] = []): Promise<void> {
  for (const figure of figures) console.log(formatFigure(figure));
  for (const note of notes) console.log(`  note: ${note}`);
  const send = process.send?.bind(process);
  if (!send) return Promise.resolve();
  const message: BenchMessage = { type: 'figures', bench, figures, notes };
  return new Promise((resolve) => send(message, undefined, undefined, () => resolve()));
}

/** True when `importMetaUrl` is the script node was started with (the file runs standalone). */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && importMetaUrl === pathToFileURL(entry).href;
}

/** A benchmark's result: its figures and free-form notes (skips, caveats). */
export interface BenchResult {
  figures: BenchFigure[];
  notes?: string[];
}

/**
 * Entry point of a benchmark file run as a script: runs it, prints and reports its figures, and
 * exits 0 (a missed budget is a finding, not a failure) or 1 when the benchmark itself crashed.
 */
export function runAsMain(bench: string, run: () => Promise<BenchResult>): void {
  const started = performance.now();
  console.log(`## ${bench}`);
  run().then(
    async (result) => {
      await reportFigures(bench, result.figures, result.notes ?? []);
      console.log(`  (${bench} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`${bench} crashed:`, error);
      process.exit(1);
    },
  );
}
