import { describe, expect, it } from 'vitest';
// The reference implementation: what the server writes with, used here only to check the reader.
import { parse, stringify } from 'yaml';
import { parseYamlSubset, YamlSubsetError } from './parse-yaml-subset.js';

const awkwardStrings = [
  '',
  ' ',
  'plain',
  'x: y',
  ' leading space',
  'trailing space ',
  'multi\nline\n',
  'multi\nline',
  'multi\nline\n\n\n',
  '\nstarts with a break',
  'a\n\n b',
  '   \nx',
  'tab\there',
  '#hash',
  'value # not a comment?',
  '- dash',
  "it's",
  '"quoted"',
  "'single'",
  '123',
  '1.5',
  'true',
  'null',
  '~',
  '0x1F',
  '\u0001 control',
  'é ✓ 🦗',
  '{"expression":"12 * (3 + 4)","result":84}',
  '[not, a, list]',
  'key: value\nother: thing',
  '```ts\nconst x = 1;\n```',
  '  indented first line\nsecond',
  'back\\slash',
  '@at',
  '`tick`',
  '%percent',
  '&amp',
  '*star',
  '!bang',
  '? question',
  'line with trailing spaces   \nnext',
  '# Heading\n---\n...\n- item\n  key: value',
];

/** Deterministic pseudo-random strings over characters YAML cares about. */
function* randomStrings(count: number): Generator<string> {
  const alphabet = [
    'a',
    'b',
    ' ',
    '  ',
    '\n',
    '\n\n',
    ':',
    '#',
    '-',
    "'",
    '"',
    '\\',
    '\t',
    '{',
    ']',
    ',',
    '|',
    '>',
    '&',
    '*',
    '!',
    '%',
    '@',
    '`',
    '?',
    'é',
    '1',
    '.',
    '\r',
    '\u2028',
    '\u0000',
    '---',
    '...',
    '~',
  ];
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let index = 0; index < count; index += 1) {
    let text = '';
    const length = next() % 12;
    for (let part = 0; part < length; part += 1) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe('parseYamlSubset', () => {
  it('reads every awkward string the way the yaml package wrote it', () => {
    for (const text of awkwardStrings) {
      const document = stringify({ text, list: [text], nested: { [text || 'empty']: text } }, { lineWidth: 0 });
      expect(parseYamlSubset(document), JSON.stringify(text)).toEqual({
        text,
        list: [text],
        nested: { [text || 'empty']: text },
      });
    }
  });

  it('reads random strings over YAML-significant characters as the yaml package does', () => {
    // Compared with the yaml package's reading, not the input: a few of its outputs do not round-trip.
    for (const text of randomStrings(1000)) {
      const document = stringify({ blocks: [{ payload: { text } }], [`k${text}`]: [text] }, { lineWidth: 0 });
      expect(parseYamlSubset(document), JSON.stringify(document)).toEqual(parse(document));
    }
  });

  it('reads a turn snapshot as the turn store writes it', () => {
    const turn = {
      version: 1,
      id: 'turn-1',
      blocks: [
        { id: 'b1', kind: 'system', role: 'system', payload: { text: 'You are helpful.' }, metadata: { 'x@v1': 'y' } },
        { id: 'call_1', kind: 'tool_call', payload: { id: 'call_1', name: 'calculator', args: { expression: '2+2' } } },
        { id: 'u1', kind: 'tool_use', payload: { id: 'call_1', error: '', result: '{"result":4}' } },
        { id: 'l1', kind: 'llm_text', role: 'assistant', payload: { text: 'Line one\n\nLine *two*' } },
      ],
      metadata: { 'geppetto.inference_id@v1': 'inf-1', 'geppetto.usage@v1': { input_tokens: 10, output_tokens: 2 } },
      data: { config: { enabled: true, allowed: null, ratio: 0.25, tools: [], options: {}, nested: [[1, 2], [3]] } },
    };
    expect(parseYamlSubset(stringify(turn, { lineWidth: 0 }))).toEqual(turn);
  });

  it('reads numbers, booleans, nulls and nested sequences', () => {
    const value = {
      integers: [0, -3, 42, 9007199254740991],
      floats: [1.5, -0.25, 1e-7],
      flags: [true, false],
      nothing: null,
      deep: [[[1]], [{ a: [{ b: null }] }]],
      emptyList: [],
      emptyMap: {},
    };
    expect(parseYamlSubset(stringify(value, { lineWidth: 0 }))).toEqual(value);
  });

  it('reads hand-written YAML: comments, flow collections, anchors, folded scalars, document markers', () => {
    const source = [
      '%YAML 1.2',
      '--- # start',
      'list: [a, "b c", 3, {k: v, n: null}]',
      'map: {x: 1, "y": [true]}',
      'base: &shared',
      '  name: calc',
      'copy: *shared',
      'folded: >',
      '  one',
      '  two',
      '',
      '  three',
      'keep: |+',
      '  text',
      '',
      'str: !!str 123',
      'plain: some words # a comment',
      'continued: first',
      '  second',
      '"quoted key": yes',
      "'single': 'it''s'",
      'multi: "a',
      '  b"',
      '...',
    ].join('\n');
    expect(parseYamlSubset(source)).toEqual({
      list: ['a', 'b c', 3, { k: 'v', n: null }],
      map: { x: 1, y: [true] },
      base: { name: 'calc' },
      copy: { name: 'calc' },
      folded: 'one two\nthree\n',
      keep: 'text\n\n',
      str: '123',
      plain: 'some words',
      continued: 'first second',
      'quoted key': 'yes',
      single: "it's",
      multi: 'a b',
    });
  });

  it('reads top-level sequences, scalars and empty documents', () => {
    expect(parseYamlSubset('- 1\n- two\n-\n  - 3\n')).toEqual([1, 'two', [3]]);
    expect(parseYamlSubset('hello')).toBe('hello');
    expect(parseYamlSubset('')).toBeNull();
    expect(parseYamlSubset('# only a comment\n')).toBeNull();
  });

  it('rejects what it cannot read, with the line', () => {
    expect(() => parseYamlSubset('a: "unterminated')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: 1\nb: *missing')).toThrow(/unknown alias \*missing \(line 2\)/);
    expect(() => parseYamlSubset('? complex\n: value')).toThrow(/complex mapping keys/);
    expect(() => parseYamlSubset('a: 1\n  b: 2\n c')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: [1, 2')).toThrow(/unterminated flow/);
  });
});
