import { type JSX, memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeFence } from './code-fence.js';

const shared: Components = {
  a: ({ node: _node, children, ...props }) => (
    <a {...props} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  table: ({ node: _node, ...props }) => (
    <div className="table-scroll">
      <table {...props} />
    </div>
  ),
  img: ({ node: _node, alt, ...props }) => (
    <img {...props} alt={alt ?? ''} loading="lazy" referrerPolicy="no-referrer" />
  ),
};

// Two fixed maps: a new `components` object per render would defeat react-markdown's own work reuse.
const settledComponents: Components = { ...shared, pre: ({ node }) => <CodeFence node={node} settled /> };
const streamingComponents: Components = { ...shared, pre: ({ node }) => <CodeFence node={node} settled={false} /> };
const remarkPlugins = [remarkGfm];

/**
 * One top-level markdown block, memoized on its source: while an answer streams, only the last block's
 * source changes, so only it is parsed again. Raw HTML in the source is shown as text (no `rehype-raw`),
 * and react-markdown drops `javascript:` URLs, so model output cannot run code in the page.
 */
export const MarkdownBlock = memo(function MarkdownBlock({
  source,
  settled,
}: {
  source: string;
  /** False for the block still being written: its code fence is not highlighted yet. */
  settled: boolean;
}): JSX.Element {
  return (
    <Markdown remarkPlugins={remarkPlugins} components={settled ? settledComponents : streamingComponents}>
      {source}
    </Markdown>
  );
});
