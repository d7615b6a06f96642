import type { JSX } from 'react';
import { JsonView } from './json-view.js';

/**
 * A neutral card for what the page cannot show otherwise: an entity kind it does not know (a newer
 * server may send more), or an entry whose renderer failed. Shows the raw data on demand.
 */
export function FallbackEntry({
  title,
  detail,
  data,
}: {
  title: string;
  detail?: string;
  data?: unknown;
}): JSX.Element {
  return (
    <article className="entry entry-fallback card" aria-label={title}>
      <div className="entry-fallback-title">{title}</div>
      {detail ? <p className="muted-note">{detail}</p> : null}
      {data !== undefined ? (
        <details>
          <summary>Show data</summary>
          <JsonView value={data} label="Entry data" />
        </details>
      ) : null}
    </article>
  );
}
