import type { JSX } from 'react';
import type { ExtraProps } from 'react-markdown';
import { CodeBlock } from './code-block.js';

/** The part of a hast node the code-fence extraction reads (declared here: `hast` is not a direct dependency). */
interface HastLike {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastLike[];
}

function textOf(node: HastLike | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

/** The fence's info string from `<code class="language-ts">`, the way remark-rehype writes it. */
function languageOf(code: HastLike | undefined): string | undefined {
  const classes = code?.properties?.className;
  const list = Array.isArray(classes) ? classes : [];
  for (const name of list) if (typeof name === 'string' && name.startsWith('language-')) return name.slice(9);
  return undefined;
}

/**
 * Replaces react-markdown's `<pre>`: reads the fence's code and language from the syntax tree and
 * renders a {@link CodeBlock}.
 */
export function CodeFence({ node, settled }: { node: ExtraProps['node']; settled: boolean }): JSX.Element {
  const hast = node as HastLike | undefined;
  const code = hast?.children?.find((child) => child.type === 'element' && child.tagName === 'code');
  // remark keeps the fence's final newline inside the code; the block shows without it.
  const text = textOf(code).replace(/\n$/, '');
  return <CodeBlock code={text} info={languageOf(code)} settled={settled} />;
}
