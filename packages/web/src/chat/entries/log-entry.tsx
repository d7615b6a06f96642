import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';

/** A warning or error log line the server meant for the user. */
export function LogEntry({ entity }: { entity: TimelineEntity }): JSX.Element {
  const log = entity.log ?? {};
  const level = (log.level || 'info').toLowerCase();
  return (
    <article className="entry entry-log" data-level={level} aria-label={`Log ${level}`}>
      <span className="badge" data-level={level}>
        {level}
      </span>
      <span className="entry-log-message">{log.message || '(no message)'}</span>
    </article>
  );
}
