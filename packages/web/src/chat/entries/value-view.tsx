import type { JSX } from 'react';
import { JsonView } from './json-view.js';

type Primitive = string | number | boolean | null;

/** The value as an object of at most 8 primitive fields (JSON text is parsed first), else undefined. */
export function asFlatRecord(value: unknown): Record<string, Primitive> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.length > 8) return undefined;
  const flat: Record<string, Primitive> = {};
  for (const [key, field] of entries) {
    if (field !== null && typeof field === 'object') return undefined;
    if (typeof field === 'string' && field.length > 200) return undefined;
    flat[key] = field as Primitive;
  }
  return flat;
}

/**
 * Tool arguments or results: a small flat object reads best as labelled fields; anything else
 * (nested data, long text, non-JSON output) shows as pretty JSON or raw text.
 */
export function ValueView({ value, label }: { value: unknown; label: string }): JSX.Element {
  const flat = asFlatRecord(value);
  if (!flat) return <JsonView value={value} label={label} />;
  return (
    <dl className="kv" aria-label={label}>
      {Object.entries(flat).map(([key, field]) => (
        <div className="kv-row" key={key}>
          <dt>{key}</dt>
          <dd data-type={field === null ? 'null' : typeof field}>{field === null ? 'null' : String(field)}</dd>
        </div>
      ))}
    </dl>
  );
}
