import { type CSSProperties, type JSX, memo } from 'react';
import { CopyButton } from '../shared/copy-button.js';
import { resolveLanguage } from './languages.js';
import { useHighlightedCode } from './use-highlighted-code.js';

/**
 * A fenced code block: a header with the language and a copy button, and the code, highlighted once
 * the fence is closed (`settled`).
 */
export const CodeBlock = memo(function CodeBlock({
  code,
  info,
  settled,
}: {
  code: string;
  /** The fence's info string (`ts`, `python` …). */
  info: string | undefined;
  settled: boolean;
}): JSX.Element {
  const language = resolveLanguage(info);
  const lines = useHighlightedCode(code, language, settled);
  const label = (info ?? '').trim().split(/\s+/)[0] || 'text';
  return (
    <figure className="code-block" aria-label={`${label} code`}>
      <figcaption className="code-block-header">
        <span className="code-block-language">{label}</span>
        <CopyButton text={code} label="Copy code" />
      </figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a horizontally scrolling region must be reachable by keyboard (WCAG 2.1.1). */}
      <pre className="code-block-body" tabIndex={0}>
        <code data-highlighted={lines ? 'true' : 'false'}>
          {lines
            ? lines.map((line, lineIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines of a settled block never reorder.
                <span className="code-line" key={lineIndex}>
                  {line.map((token, tokenIndex) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: tokens of a settled line never reorder.
                    <span key={tokenIndex} style={token.style as CSSProperties}>
                      {token.content}
                    </span>
                  ))}
                  {lineIndex < lines.length - 1 ? '\n' : null}
                </span>
              ))
            : code}
        </code>
      </pre>
    </figure>
  );
});
