import type { JSX, ReactNode } from 'react';
import { formatClock } from '../../shared/format.js';

/**
 * A prompt the user wrote, as a right-aligned bubble of plain text (a prompt is not rendered as
 * markdown: what was typed is what shows). `state` dims prompts not yet started; `footer` carries
 * their status line.
 */
export function UserMessage({
  text,
  createdAtMs,
  state = 'sent',
  footer,
}: {
  text: string;
  createdAtMs?: number;
  state?: 'sent' | 'sending' | 'queued' | 'failed';
  footer?: ReactNode;
}): JSX.Element {
  return (
    <article className="entry entry-user" data-state={state} aria-label="Your message">
      <div className="user-bubble" title={createdAtMs ? `Sent at ${formatClock(createdAtMs)}` : undefined}>
        {text}
      </div>
      {footer ? <div className="user-footer">{footer}</div> : null}
    </article>
  );
}
