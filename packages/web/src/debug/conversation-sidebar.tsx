import type { ConversationSummary } from '@cricket/protocol';
import type { JSX } from 'react';
import { formatRelativeTime } from '../shared/format.js';
import { Icon } from '../shared/icon.js';
import { shortId } from './id-chip.js';

/** The conversations the server knows, most recently active first; the selected one is marked. */
export function ConversationSidebar({
  conversations,
  isLoading,
  error,
  selectedId,
  onSelect,
  now,
}: {
  conversations: readonly ConversationSummary[] | undefined;
  isLoading: boolean;
  error: string | undefined;
  selectedId: string | undefined;
  onSelect(convId: string): void;
  now: number;
}): JSX.Element {
  return (
    <nav className="debug-sidebar" aria-label="Conversations">
      <div className="sidebar-heading debug-sidebar-heading">
        <span>Conversations</span>
        {conversations ? <span className="debug-count">{conversations.length}</span> : null}
      </div>
      {error ? (
        <p className="debug-alert" role="alert">
          {error}
        </p>
      ) : null}
      {!conversations ? (
        isLoading ? (
          <p className="sidebar-note" role="status">
            <span className="spinner" aria-hidden="true" /> Loading conversations…
          </p>
        ) : null
      ) : conversations.length === 0 ? (
        <p className="sidebar-note">No conversations yet. Send a message from the chat page first.</p>
      ) : (
        <ul className="debug-conversations">
          {conversations.map((conversation) => (
            <li key={conversation.conv_id}>
              <button
                type="button"
                className="debug-conversation"
                aria-current={conversation.conv_id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(conversation.conv_id)}
              >
                <span className="debug-conversation-title">
                  {conversation.running ? (
                    <span className="pulse-dot" role="img" aria-label="running" />
                  ) : (
                    <Icon name="chat" size={14} />
                  )}
                  <span>{conversation.title || shortId(conversation.conv_id)}</span>
                </span>
                <span className="debug-conversation-meta">
                  <code>{shortId(conversation.conv_id, 6)}</code>
                  <span className="debug-dot" aria-hidden="true">
                    ·
                  </span>
                  <span>{conversation.profile}</span>
                  <span className="debug-dot" aria-hidden="true">
                    ·
                  </span>
                  <span>seq {conversation.last_seq}</span>
                  <span className="debug-conversation-time">
                    {formatRelativeTime(conversation.last_activity_ms, now)}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
