import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { createSeededRandom } from './seeded-random.js';

describe('Backoff', () => {
  it('doubles from 250 ms up to the 10 s cap without jitter', () => {
    const backoff = new Backoff({ random: () => 0 });
    const delays = Array.from({ length: 9 }, () => backoff.next());
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(backoff.attempt).toBe(9);
  });

  it('takes off at most `jitter` of each delay', () => {
    const lowest = new Backoff({ random: () => 0.999999 });
    expect([lowest.next(), lowest.next(), lowest.next()]).toEqual([125, 250, 500]);
    const quarter = new Backoff({ jitter: 0.2, random: () => 0.5 });
    expect([quarter.next(), quarter.next()]).toEqual([225, 450]);
    const seeded = new Backoff({ random: createSeededRandom(7) });
    for (let attempt = 0; attempt < 20; attempt++) {
      const cap = Math.min(10_000, 250 * 2 ** attempt);
      const delay = seeded.next();
      expect(delay).toBeGreaterThanOrEqual(cap / 2);
      expect(delay).toBeLessThanOrEqual(cap);
    }
  });

  it('starts over after reset and stays finite after many attempts', () => {
    const backoff = new Backoff({ initialDelayMs: 10, multiplier: 3, maxDelayMs: 1000, random: () => 0 });
    for (let attempt = 0; attempt < 5000; attempt++) backoff.next();
    expect(backoff.next()).toBe(1000);
    backoff.reset();
    expect([backoff.next(), backoff.next()]).toEqual([10, 30]);
    const zero = new Backoff({ initialDelayMs: 0, maxDelayMs: 0 });
    expect(zero.next()).toBe(0);
  });

  it('rejects settings that make no sense', () => {
    expect(() => new Backoff({ initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => new Backoff({ multiplier: 0.5 })).toThrow(RangeError);
    expect(() => new Backoff({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(RangeError);
    expect(() => new Backoff({ jitter: 1.5 })).toThrow(RangeError);
    expect(() => new Backoff({ initialDelayMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('createSeededRandom', () => {
  it('replays the same sequence for a seed, within [0, 1)', () => {
    const first = createSeededRandom(42);
    const second = createSeededRandom(42);
    const values = Array.from({ length: 1000 }, () => first());
    expect(Array.from({ length: 1000 }, () => second())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
    expect(createSeededRandom(43)()).not.toBe(values[0]);
  });
});
