// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MarkdownView, markdownPieces } from './markdown-view.js';

afterEach(cleanup);

describe('MarkdownView', () => {
  it('renders GFM: tables, strikethrough and task lists', () => {
    const { container } = render(
      <MarkdownView text={'| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo'} />,
    );
    expect(container.querySelector('table td')?.textContent).toBe('1');
    expect(container.querySelector('del')?.textContent).toBe('old');
    expect(container.querySelectorAll('input[type="checkbox"]')).toHaveLength(2);
  });

  it('shows raw HTML and script tags as inert text', () => {
    const { container } = render(
      <MarkdownView text={'<script>window.pwned = true</script>\n\n<img src=x onerror="alert(1)">\n\nhello'} />,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<script>window.pwned = true</script>');
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('drops javascript: links and opens other links in a new tab', () => {
    const { container } = render(<MarkdownView text={'[bad](javascript:alert(1)) and [good](https://example.com)'} />);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['', 'https://example.com']);
    expect(links[1]?.getAttribute('target')).toBe('_blank');
    expect(links[1]?.getAttribute('rel')).toContain('noopener');
  });

  it('renders code fences as code blocks with the language and a copy button', () => {
    render(<MarkdownView text={'```python\nprint("hi")\n```'} />);
    expect(screen.getByText('python')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy();
    expect(screen.getByText('print("hi")')).toBeTruthy();
  });

  it('re-renders only the tail block while streaming (settled blocks keep their DOM nodes)', () => {
    const { container, rerender } = render(<MarkdownView text={'# Title\n\nFirst para\n\nSecond pa'} streaming />);
    const heading = container.querySelector('h1');
    const first = container.querySelectorAll('p')[0];
    rerender(<MarkdownView text={'# Title\n\nFirst para\n\nSecond paragraph, longer'} streaming />);
    expect(container.querySelector('h1')).toBe(heading);
    expect(container.querySelectorAll('p')[0]).toBe(first);
    expect(container.querySelectorAll('p')[1]?.textContent).toBe('Second paragraph, longer');
  });

  it('groups settled blocks into pieces and keeps the block being written apart', () => {
    const text = Array.from({ length: 20 }, (_, index) => `Paragraph ${index}`).join('\n\n');
    const streaming = markdownPieces(text, true);
    expect(streaming.map((piece) => [piece.key, piece.settled])).toEqual([
      ['piece-0', true],
      ['piece-16', true],
      ['tail', false],
    ]);
    expect(streaming[1]?.source).toBe('Paragraph 16\n\nParagraph 17\n\nParagraph 18');
    expect(streaming[2]?.source).toBe('Paragraph 19');
    expect(markdownPieces(text, false).map((piece) => piece.key)).toEqual(['piece-0', 'piece-16']);
    expect(markdownPieces('', true)).toEqual([]);
  });
});
