import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createProgressiveYamlParser, parseYamlPayload } from './progressive-yaml.js';
import { StructuredConfigError } from './structured-config-error.js';

const citations = z.object({ citations: z.array(z.object({ title: z.string(), url: z.string() })) });

describe('createProgressiveYamlParser', () => {
  it('re-parses on newlines and validates with the schema', () => {
    const parser = createProgressiveYamlParser({ schema: citations });
    expect(parser.push('```yaml\n')).toEqual({ error: 'empty' });
    expect(parser.push('citations:')).toBeUndefined();
    expect(parser.push('\n  - title: A\n')).toMatchObject({ error: expect.stringContaining('citations.0.url') });
    expect(parser.push('    url: https://a.example\n')).toEqual({
      value: { citations: [{ title: 'A', url: 'https://a.example' }] },
    });
    parser.push('  - title: B\n    url: https://b.example\n```\n');
    expect(parser.finish()).toEqual({
      value: {
        citations: [
          { title: 'A', url: 'https://a.example' },
          { title: 'B', url: 'https://b.example' },
        ],
      },
    });
  });

  it('re-parses every N bytes when asked, and only then', () => {
    const parser = createProgressiveYamlParser({ everyBytes: 6, onNewline: false });
    expect(parser.push('a: 1\n')).toBeUndefined();
    expect(parser.push('b: 2')).toEqual({ value: { a: 1, b: 2 } });
    expect(parser.push('\n')).toBeUndefined();
    expect(parser.text).toBe('a: 1\nb: 2\n');
    expect(parser.finish()).toEqual({ value: { a: 1, b: 2 } });
  });

  it('reports payloads over maxBytes for every later push and at finish', () => {
    const parser = createProgressiveYamlParser({ maxBytes: 8 });
    expect(parser.push('a: 1\n')).toEqual({ value: { a: 1 } });
    expect(parser.push('b: 22\n')).toEqual({ error: 'payload too large' });
    expect(parser.push('c')).toEqual({ error: 'payload too large' });
    expect(parser.finish()).toEqual({ error: 'payload too large' });
    expect(parser.text).toBe('');
  });

  it('reports empty payloads, YAML errors and rejects bad options', () => {
    expect(createProgressiveYamlParser().finish()).toEqual({ error: 'empty' });
    expect(parseYamlPayload('```yaml\n   \n```')).toEqual({ error: 'empty' });
    expect(parseYamlPayload('a: [1, 2').error).toMatch(/.+/);
    expect(parseYamlPayload('a: b: c').value).toBeUndefined();
    expect(() => createProgressiveYamlParser({ everyBytes: 0 })).toThrow(StructuredConfigError);
    expect(() => createProgressiveYamlParser({ maxBytes: -1 })).toThrow(/maxBytes/);
  });

  it('parses plain (unfenced) payloads without a schema', () => {
    expect(parseYamlPayload('- 1\n- two\n')).toEqual({ value: [1, 'two'] });
  });
});
