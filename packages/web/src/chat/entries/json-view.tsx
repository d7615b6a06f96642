import type { JSX } from 'react';

/** Pretty JSON of `value` (a string that is JSON is parsed first; any other string shows as is). */
export function formatJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A scrollable block of pretty-printed JSON (or plain text), focusable so keyboard users can scroll
 * it; `label` names it in a tooltip (the visible section label above it names it for everyone).
 */
export function JsonView({ value, label }: { value: unknown; label: string }): JSX.Element {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1).
    <pre className="json-view" tabIndex={0} title={label}>
      {formatJson(value)}
    </pre>
  );
}
