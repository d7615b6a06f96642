import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { Icon } from '../../shared/icon.js';

/** Titles by error code, then by who is to blame; the message always shows below. */
const codeTitles: Record<string, string> = {
  interrupted: 'The answer was interrupted',
  cancelled: 'The answer was stopped',
};
const blameTitles: Record<string, string> = {
  provider: 'The model could not answer',
  tool: 'A tool failed',
  server: 'The server hit an error',
  user: 'The request was refused',
};

/** An error the server reported in the conversation (provider, tool loop, server, interruption). */
export function ErrorEntry({ entity }: { entity: TimelineEntity }): JSX.Element {
  const error = entity.error ?? {};
  const title =
    (error.code && codeTitles[error.code]) || (error.blame && blameTitles[error.blame]) || 'Something went wrong';
  const isMild = error.code === 'interrupted' || error.code === 'cancelled';
  return (
    <article className="entry entry-error" data-severity={isMild ? 'warning' : 'error'} aria-label={title}>
      <Icon name="alert" size={18} className="entry-error-icon" />
      <div className="entry-error-body">
        <div className="entry-error-title">{title}</div>
        <p className="entry-error-message">{error.message || 'No details were given.'}</p>
        {error.code || error.blame ? (
          <div className="entry-error-meta">
            {error.code ? <code>{error.code}</code> : null}
            {error.blame ? <span>source: {error.blame}</span> : null}
          </div>
        ) : null}
      </div>
    </article>
  );
}
