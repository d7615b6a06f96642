import type { JSX } from 'react';

/** JSON text of a value, pretty-printed; strings that hold JSON are shown parsed. */
export function formatJson(value: unknown): string {
  if (typeof value === 'string') {
    const parsed = parseJsonText(value);
    return parsed === undefined ? value : JSON.stringify(parsed, null, 2);
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** The parsed value when `text` is a JSON object or array, else `undefined`. */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** A pre-formatted JSON value. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }): JSX.Element {
  return (
    <pre className="debug-json" title={label}>
      {formatJson(value)}
    </pre>
  );
}

/** An inline rendering of a short value: strings as they are, everything else as compact JSON. */
export function inlineValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value) ?? String(value);
}

/** Keys and values of a JSON object; long or structured values get their own block. */
export function KeyValueList({
  values,
  empty = 'None',
}: {
  values: Record<string, unknown>;
  empty?: string;
}): JSX.Element {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="debug-empty-note">{empty}</p>;
  return (
    <dl className="debug-kv">
      {entries.map(([key, value]) => {
        const isBlock = (typeof value === 'object' && value !== null) || inlineValue(value).length > 80;
        return (
          <div key={key} className="debug-kv-row">
            <dt>{key}</dt>
            <dd>{isBlock ? <JsonBlock value={value} label={key} /> : <code>{inlineValue(value)}</code>}</dd>
          </div>
        );
      })}
    </dl>
  );
}
