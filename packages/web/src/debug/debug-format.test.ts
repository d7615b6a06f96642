import { describe, expect, it } from 'vitest';
import { formatDuration, formatPreciseClock } from './debug-format.js';

describe('debug formatting', () => {
  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(850.4), formatDuration(2400), formatDuration(61_000)]).toEqual([
      '0 ms',
      '850 ms',
      '2.4 s',
      '61 s',
    ]);
  });

  it('formats a 24-hour clock with milliseconds', () => {
    const atMs = new Date(2026, 0, 2, 14, 5, 9, 31).getTime();
    expect(formatPreciseClock(atMs)).toBe('14:05:09.031');
  });
});
