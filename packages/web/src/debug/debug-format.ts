/** Milliseconds as `850 ms` or `2.4 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A local 24-hour clock time with milliseconds, for ordering events by eye: `14:05:09.231`. */
export function formatPreciseClock(atMs: number): string {
  const date = new Date(atMs);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
