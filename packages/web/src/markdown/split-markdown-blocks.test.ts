import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from './split-markdown-blocks.js';

describe('splitMarkdownBlocks', () => {
  it('splits at blank lines', () => {
    expect(splitMarkdownBlocks('# Title\n\nFirst paragraph\nstill first\n\n- a\n- b')).toEqual([
      '# Title',
      'First paragraph\nstill first',
      '- a\n- b',
    ]);
  });

  it('returns nothing for an empty text and ignores trailing blank lines', () => {
    expect(splitMarkdownBlocks('')).toEqual([]);
    expect(splitMarkdownBlocks('one\n\n\n')).toEqual(['one']);
  });

  it('keeps blank lines inside a fenced code block', () => {
    const text = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(splitMarkdownBlocks(text)).toEqual(['Intro', '```ts\nconst a = 1;\n\nconst b = 2;\n```', 'After']);
  });

  it('keeps an unclosed fence (still streaming) as one tail block', () => {
    expect(splitMarkdownBlocks('Intro\n\n~~~\ncode\n\nmore code')).toEqual(['Intro', '~~~\ncode\n\nmore code']);
  });

  it('does not close a fence with a shorter or different marker', () => {
    const text = '````\n```\n\nstill code\n````\n\nAfter';
    expect(splitMarkdownBlocks(text)).toEqual(['````\n```\n\nstill code\n````', 'After']);
  });

  it('treats a backtick run followed by backticks on the line as inline code, not a fence', () => {
    expect(splitMarkdownBlocks('```inline``` text\n\nnext')).toEqual(['```inline``` text', 'next']);
  });

  it('keeps indented continuations with the block above', () => {
    const text = '1. item\n\n   continued paragraph\n2. next\n\nAfter';
    expect(splitMarkdownBlocks(text)).toEqual(['1. item\n\n   continued paragraph\n2. next', 'After']);
  });

  it('keeps a document with reference definitions whole (they apply across blocks)', () => {
    const text = 'See [the docs][d].\n\n[d]: https://example.com';
    expect(splitMarkdownBlocks(text)).toEqual([text]);
  });

  it('only changes the last block when text is appended', () => {
    const before = splitMarkdownBlocks('# A\n\nPara one\n\nPara tw');
    const after = splitMarkdownBlocks('# A\n\nPara one\n\nPara two and more');
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
  });
});
