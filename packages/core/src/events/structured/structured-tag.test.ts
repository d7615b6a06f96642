import { describe, expect, it } from 'vitest';
import { classifyOpenTag, formatCloseTag, formatOpenTag, isValidTagPart, parseOpenTag } from './structured-tag.js';

describe('structured tags', () => {
  it('classifies complete open tags, prefixes and everything else', () => {
    for (const complete of ['<a:b:c>', '<acme.io:cite_list:v1.2-rc>', '<A:B:C>']) {
      expect(classifyOpenTag(complete), complete).toBe('complete');
    }
    for (const prefix of ['<', '<a', '<acme', '<a:', '<a:b', '<a:b:', '<a:b:c']) {
      expect(classifyOpenTag(prefix), prefix).toBe('prefix');
    }
    for (const invalid of [
      '<<',
      '< ',
      '<:',
      '<a::',
      '<a:b:>',
      '<a:b:c:',
      '<a:b:c:d>',
      '</a:b:c>',
      '<a b',
      '<a:b:c>x',
      '<é',
    ]) {
      expect(classifyOpenTag(invalid), invalid).toBe('invalid');
    }
  });

  it('parses and formats tags', () => {
    expect(parseOpenTag('<acme:cite:v1>')).toEqual({ package: 'acme', type: 'cite', version: 'v1' });
    expect(parseOpenTag('<acme:cite>')).toBeUndefined();
    expect(parseOpenTag('<acme:cite:v1')).toBeUndefined();
    const tag = { package: 'acme', type: 'cite', version: 'v1' };
    expect(formatOpenTag(tag)).toBe('<acme:cite:v1>');
    expect(formatCloseTag(tag)).toBe('</acme:cite:v1>');
  });

  it('validates tag parts', () => {
    expect(isValidTagPart('v1.0-beta_2')).toBe(true);
    expect(isValidTagPart('')).toBe(false);
    expect(isValidTagPart('a:b')).toBe(false);
    expect(isValidTagPart('a b')).toBe(false);
  });
});
