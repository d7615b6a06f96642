import type { JSX, ReactNode } from 'react';
import { Icon } from '../shared/icon.js';

/** A message above the conversation about something that went wrong outside it, with an optional action. */
export function NoticeBanner({
  tone = 'error',
  children,
  action,
}: {
  tone?: 'error' | 'warning';
  children: ReactNode;
  action?: { label: string; onClick(): void };
}): JSX.Element {
  return (
    <div className="notice-banner" data-tone={tone} role="alert">
      <Icon name="alert" size={16} />
      <span className="notice-text">{children}</span>
      {action ? (
        <button type="button" className="link-button" onClick={action.onClick}>
          {action.label}
        </button>
      ) : null}
    </div>
  );
}
