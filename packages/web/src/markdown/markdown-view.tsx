import { type JSX, useMemo } from 'react';
import { MarkdownBlock } from './markdown-block.js';
import { splitMarkdownBlocks } from './split-markdown-blocks.js';

/**
 * Settled blocks rendered per markdown parser run. Each run has a fixed cost (building the
 * remark/rehype pipeline) besides parsing, so a long finished answer renders fastest in a few large
 * pieces; a piece re-renders only when a block settles into it, never on a token.
 */
const blocksPerPiece = 16;

/** The sources to render: settled blocks joined in fixed groups, then the block being written. */
export function markdownPieces(text: string, streaming: boolean): { key: string; source: string; settled: boolean }[] {
  const blocks = splitMarkdownBlocks(text);
  const settledCount = streaming ? Math.max(0, blocks.length - 1) : blocks.length;
  const pieces: { key: string; source: string; settled: boolean }[] = [];
  for (let start = 0; start < settledCount; start += blocksPerPiece) {
    const source = blocks.slice(start, Math.min(start + blocksPerPiece, settledCount)).join('\n\n');
    pieces.push({ key: `piece-${start}`, source, settled: true });
  }
  const tail = streaming ? blocks.at(-1) : undefined;
  if (tail !== undefined) pieces.push({ key: 'tail', source: tail, settled: false });
  return pieces;
}

/**
 * Markdown of a message (GFM: tables, task lists, strikethrough, autolinks) with highlighted,
 * copyable code. While `streaming`, only the block being written is parsed again per update; the
 * settled blocks before it are memoized in fixed groups, which keeps long answers smooth.
 */
export function MarkdownView({ text, streaming = false }: { text: string; streaming?: boolean }): JSX.Element {
  const pieces = useMemo(() => markdownPieces(text, streaming), [text, streaming]);
  return (
    <div className="markdown">
      {pieces.map((piece) => (
        <MarkdownBlock key={piece.key} source={piece.source} settled={piece.settled} />
      ))}
    </div>
  );
}
