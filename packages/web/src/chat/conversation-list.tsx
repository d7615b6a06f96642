import type { ConversationSummary } from '@cricket/protocol';
import type { JSX } from 'react';
import { formatRelativeTime } from '../shared/format.js';
import { useNow } from '../shared/use-now.js';

/**
 * The server's conversations, most recent first; the current one is marked with `aria-current`, a
 * running one with a pulsing dot. A conversation without a prompt yet is "Untitled".
 */
export function ConversationList({
  items,
  error,
  currentId,
  onOpen,
}: {
  items: readonly ConversationSummary[] | undefined;
  error: string | undefined;
  currentId: string;
  onOpen(convId: string): void;
}): JSX.Element {
  const now = useNow(30_000);
  if (!items) {
    return (
      <p className="sidebar-note">{error ? `Could not load conversations: ${error}` : 'Loading conversations…'}</p>
    );
  }
  if (items.length === 0) return <p className="sidebar-note">No conversations yet.</p>;
  return (
    <nav aria-label="Conversations">
      <ul className="conversation-list">
        {items.map((item) => (
          <li key={item.conv_id}>
            <a
              className="conversation-link"
              href={`?conv=${encodeURIComponent(item.conv_id)}`}
              aria-current={item.conv_id === currentId ? 'page' : undefined}
              onClick={(event) => {
                // Plain clicks switch in place; modified clicks (new tab) keep the browser's behaviour.
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onOpen(item.conv_id);
              }}
            >
              <span className="conversation-title">{item.title || 'Untitled'}</span>
              <span className="conversation-meta">
                {item.running ? <span className="pulse-dot" title="Answering" /> : null}
                {formatRelativeTime(item.last_activity_ms, now)}
                {item.profile !== 'default' ? ` · ${item.profile}` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
