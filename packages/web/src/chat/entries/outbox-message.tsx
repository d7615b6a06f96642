import type { JSX } from 'react';
import { Icon } from '../../shared/icon.js';
import type { OutboxItem } from '../outbox.js';
import { UserMessage } from './user-message.js';

/**
 * A prompt this tab sent, shown before the server's copy arrives: "Sending…", or the HTTP error of
 * `/chat` inline with Retry and Discard.
 */
export function OutboxMessage({
  item,
  onRetry,
  onDiscard,
}: {
  item: OutboxItem;
  onRetry(key: string): void;
  onDiscard(key: string): void;
}): JSX.Element {
  if (item.status === 'failed') {
    return (
      <UserMessage
        text={item.prompt}
        state="failed"
        footer={
          <div className="send-error" role="alert">
            <Icon name="alert" size={14} />
            <span className="send-error-text">
              Not sent: <span className="send-error-message">{item.error ?? 'unknown error'}</span>
            </span>
            <button type="button" className="link-button" onClick={() => onRetry(item.key)}>
              Retry
            </button>
            <button type="button" className="link-button" onClick={() => onDiscard(item.key)}>
              Discard
            </button>
          </div>
        }
      />
    );
  }
  return (
    <UserMessage
      text={item.prompt}
      state={item.status === 'sending' ? 'sending' : 'sent'}
      footer={item.status === 'sending' ? <span className="muted-note">Sending…</span> : undefined}
    />
  );
}
