import { describe, expect, it } from 'vitest';
import { formatCount, formatRelativeTime } from './format.js';

describe('format', () => {
  it('formats counts compactly', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1000)).toBe('1k');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(999_999)).toBe('1M');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });

  it('formats relative times', () => {
    const now = 10_000_000_000;
    expect(formatRelativeTime(now - 5_000, now)).toBe('just now');
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatRelativeTime(now - 24 * 3_600_000, now)).toBe('yesterday');
    expect(formatRelativeTime(now + 60_000, now)).toBe('just now');
  });
});
