import { describe, expect, it } from 'vitest';
import { stripCodeFence } from './code-fence.js';

describe('stripCodeFence', () => {
  it('returns the whole input when there is no fence', () => {
    expect(stripCodeFence('a: 1\nb: 2\n')).toEqual({ body: 'a: 1\nb: 2\n' });
    expect(stripCodeFence('text ```yaml\na: 1\n```')).toEqual({ body: 'text ```yaml\na: 1\n```' });
    expect(stripCodeFence('```inline```')).toEqual({ body: '```inline```' });
  });

  it('strips a fence with and without a language', () => {
    expect(stripCodeFence('\n  ```yaml\na: 1\nb: 2\n```\n')).toEqual({ language: 'yaml', body: 'a: 1\nb: 2' });
    expect(stripCodeFence('```\nx\n```')).toEqual({ body: 'x' });
    expect(stripCodeFence('```json title="x"\n{}\n```')).toEqual({ language: 'json', body: '{}' });
    expect(stripCodeFence('~~~yaml\na: "```"\n~~~')).toEqual({ language: 'yaml', body: 'a: "```"' });
  });

  it('handles CRLF line ends, longer closing fences and text after the fence', () => {
    expect(stripCodeFence('```yaml\r\na: 1\r\n````\r\nignored')).toEqual({ language: 'yaml', body: 'a: 1' });
    // A shorter run of backticks inside a four-backtick fence is body text.
    expect(stripCodeFence('````md\n```\ncode\n```\n````')).toEqual({ language: 'md', body: '```\ncode\n```' });
  });

  it('tolerates a fence that is still streaming', () => {
    expect(stripCodeFence('```yam')).toEqual({ language: 'yam', body: '' });
    expect(stripCodeFence('```yaml\na: 1\nb:')).toEqual({ language: 'yaml', body: 'a: 1\nb:' });
    expect(stripCodeFence('```yaml\na: 1\n``')).toEqual({ language: 'yaml', body: 'a: 1' });
  });
});
