import { describe, expect, it } from 'vitest';
import { cutToBytes, formatQueryResult, formatValue } from './sql-result-format.js';

const limits = { maxOutputLines: 50, maxOutputBytes: 4096 };

describe('formatValue', () => {
  it.each([
    [null, 'NULL'],
    [42, '42'],
    [1.5, '1.5'],
    [9007199254740993n, '9007199254740993'],
    ['a\nb\\c', 'a\\nb\\\\c'],
    [new Uint8Array([0, 255]), "x'00ff'"],
    [new Uint8Array(40).fill(1), `x'${'01'.repeat(32)}'… (40 bytes)`],
  ])('value %# → %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

describe('formatQueryResult', () => {
  it('prints a header and one line per row, without a notice when nothing was left out', () => {
    expect(
      formatQueryResult(
        {
          columns: ['id', 'name'],
          rows: [
            [1, 'Ada'],
            [2, null],
          ],
          more: false,
        },
        limits,
      ),
    ).toBe('id | name\n1 | Ada\n2 | NULL');
    expect(formatQueryResult({ columns: ['n'], rows: [], more: false }, limits)).toBe('n');
  });

  it('adds the cutoff notice when rows were left unread', () => {
    expect(formatQueryResult({ columns: ['n'], rows: [[1]], more: true }, limits)).toBe(
      'n\n1\n... additional data cutoff (1 kB)',
    );
  });

  it('stops at the line cap, the header counting as a line', () => {
    const rows = Array.from({ length: 10 }, (_, index) => [index]);
    const text = formatQueryResult({ columns: ['n'], rows, more: false }, { ...limits, maxOutputLines: 4 });
    expect(text).toBe('n\n0\n1\n2\n... additional data cutoff (1 kB)');
  });

  it('stops at the byte cap without splitting a character, and reports the kept size in kB', () => {
    const rows = Array.from({ length: 400 }, () => ['é'.repeat(10)]);
    const text = formatQueryResult(
      { columns: ['word'], rows, more: false },
      { maxOutputLines: 1000, maxOutputBytes: 2000 },
    );
    const [kept, notice] = text.split('\n... ');
    expect(Buffer.byteLength(kept ?? '')).toBeLessThanOrEqual(2000);
    expect(kept?.endsWith('\uFFFD')).toBe(false);
    expect(notice).toBe('additional data cutoff (2 kB)');
  });

  it('cuts to a byte budget at character boundaries', () => {
    expect(cutToBytes('aé€😀', 1)).toBe('a');
    expect(cutToBytes('aé€😀', 2)).toBe('a');
    expect(cutToBytes('aé€😀', 6)).toBe('aé€');
    expect(cutToBytes('aé€😀', 10)).toBe('aé€😀');
  });
});
