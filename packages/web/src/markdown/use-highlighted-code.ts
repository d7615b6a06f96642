import { useEffect, useState } from 'react';
import { requestHighlight } from './highlight-client.js';
import type { HighlightedToken } from './highlighter.js';

/** Highlighted blocks kept across re-mounts (a block's position can change while an answer streams). */
const cache = new Map<string, HighlightedToken[][]>();
const cacheLimit = 200;

function remember(key: string, lines: HighlightedToken[][]): void {
  cache.set(key, lines);
  if (cache.size > cacheLimit) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

/**
 * The highlighted lines of `code`, or undefined while the highlighter loads, when `language` is not
 * supported, or while `enabled` is false (an open fence still streaming: highlighting it on every token
 * would waste the main thread on text about to change).
 */
export function useHighlightedCode(
  code: string,
  language: string | undefined,
  enabled: boolean,
): HighlightedToken[][] | undefined {
  const key = language ? `${language}\u0000${code}` : '';
  const [result, setResult] = useState<{ key: string; lines: HighlightedToken[][] } | undefined>(() => {
    const cached = key ? cache.get(key) : undefined;
    return cached ? { key, lines: cached } : undefined;
  });

  useEffect(() => {
    if (!enabled || !language || !key) return;
    const cached = cache.get(key);
    if (cached) {
      setResult({ key, lines: cached });
      return;
    }
    let isCurrent = true;
    requestHighlight(code, language).then(
      (lines) => {
        remember(key, lines);
        if (isCurrent) setResult({ key, lines });
      },
      () => {
        // A grammar that fails to load leaves the block as plain text, which is still correct.
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [code, language, enabled, key]);

  return result?.key === key ? result.lines : undefined;
}
