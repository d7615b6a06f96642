import type { JSX } from 'react';
import type { PendingPrompt } from '../../client/index.js';
import { Icon } from '../../shared/icon.js';
import { UserMessage } from './user-message.js';

/** A prompt waiting behind the running inference, with its place in the conversation's queue. */
export function QueuedPrompt({ prompt }: { prompt: PendingPrompt }): JSX.Element {
  return (
    <UserMessage
      text={prompt.prompt}
      state="queued"
      footer={
        <span className="queue-badge" data-testid="queue-position">
          <Icon name="clock" size={13} />
          Queued · #{prompt.position} in line
        </span>
      }
    />
  );
}
