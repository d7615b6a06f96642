import type { JSX } from 'react';
import type { ConnectionState } from '../client/index.js';
import { useNow } from '../shared/use-now.js';

/** Failed attempts after which "reconnecting" is reported as "offline" (still retrying). */
const offlineAfterAttempts = 3;

/** The label and tone of a connection state, with the reconnection countdown in whole seconds. */
export function describeConnection(
  state: ConnectionState,
  options: { isNew: boolean; reconnectAttempt: number; nextReconnectAtMs: number | undefined; nowMs: number },
): { label: string; tone: 'idle' | 'pending' | 'live' | 'warning' | 'offline' } {
  if (options.isNew && state === 'idle') return { label: 'New conversation', tone: 'idle' };
  switch (state) {
    case 'idle':
    case 'connecting':
      return { label: 'Connecting…', tone: 'pending' };
    case 'hydrating':
      return { label: 'Syncing…', tone: 'pending' };
    case 'live':
      return { label: 'Live', tone: 'live' };
    case 'closed':
      return { label: 'Offline', tone: 'offline' };
    case 'reconnecting': {
      const isOffline = options.reconnectAttempt >= offlineAfterAttempts;
      if (options.nextReconnectAtMs === undefined) {
        return { label: isOffline ? 'Offline · retrying…' : 'Reconnecting…', tone: isOffline ? 'offline' : 'warning' };
      }
      const seconds = Math.max(0, Math.ceil((options.nextReconnectAtMs - options.nowMs) / 1000));
      return {
        label: isOffline ? `Offline · retrying in ${seconds} s` : `Reconnecting in ${seconds} s`,
        tone: isOffline ? 'offline' : 'warning',
      };
    }
  }
}

/**
 * The socket's state as a coloured dot and a label (Live, Reconnecting in 3 s, Offline …), announced
 * politely to screen readers, with a button to retry at once while waiting.
 */
export function ConnectionStatus({
  state,
  isNew,
  reconnectAttempt,
  nextReconnectAtMs,
  onRetryNow,
}: {
  state: ConnectionState;
  isNew: boolean;
  reconnectAttempt: number;
  nextReconnectAtMs: number | undefined;
  onRetryNow(): void;
}): JSX.Element {
  const isWaiting = state === 'reconnecting' || state === 'closed';
  const nowMs = useNow(250, state === 'reconnecting');
  const { label, tone } = describeConnection(state, { isNew, reconnectAttempt, nextReconnectAtMs, nowMs });
  return (
    <span className="connection-status" data-tone={tone} data-state={state}>
      <span className="status-dot" aria-hidden="true" />
      <span aria-live="polite" data-testid="connection-label">
        {label}
      </span>
      {isWaiting ? (
        <button type="button" className="link-button" onClick={onRetryNow}>
          {state === 'closed' ? 'Reconnect' : 'Retry now'}
        </button>
      ) : null}
    </span>
  );
}
