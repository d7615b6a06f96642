import { useCallback, useEffect, useState } from 'react';
import { type ChatApi, createIdempotencyKey } from '../client/index.js';
import { readConversationId, withConversationId } from './conversation-url.js';

/**
 * Whether the page's conversation exists on the server:
 * - `new`: a fresh id not sent to yet (the page does not connect: there is nothing to join, and servers
 *   before the join fix created a conversation on every WebSocket join);
 * - `checking`: an id from the URL, being looked up (`/timeline` with `limit=1` creates nothing);
 * - `exists`: connect and show it.
 */
export type ConversationExistence = 'new' | 'checking' | 'exists';

/** The page's current conversation and how to move between conversations. */
export interface ConversationRoute {
  convId: string;
  existence: ConversationExistence;
  /** Opens a conversation from the list (a history entry, so Back returns). */
  open(convId: string): void;
  /** Starts a new conversation with a fresh id; the URL gets it on the first send. */
  startNew(): void;
  /** The first prompt of `convId` was sent: the id goes into the URL and the page connects. */
  markSent(convId: string): void;
}

interface RouteState {
  convId: string;
  existence: ConversationExistence;
}

function fromLocation(): RouteState {
  const convId = readConversationId(new URL(window.location.href));
  return convId ? { convId, existence: 'checking' } : { convId: createIdempotencyKey(), existence: 'new' };
}

/**
 * The conversation id in the URL (`?conv=`), kept in sync with history navigation. An id that the
 * server has no entities for is treated as new, so opening a stale or mistyped link creates nothing.
 */
export function useConversationRoute(api: ChatApi): ConversationRoute {
  const [state, setState] = useState<RouteState>(fromLocation);

  useEffect(() => {
    const onPopState = () => setState(fromLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  useEffect(() => {
    if (state.existence !== 'checking') return;
    let isCurrent = true;
    const settle = (existence: ConversationExistence) => {
      if (isCurrent) setState((current) => (current.convId === state.convId ? { ...current, existence } : current));
    };
    api.timeline(state.convId, { limit: 1 }).then(
      (snapshot) => settle((snapshot.entities?.length ?? 0) > 0 ? 'exists' : 'new'),
      // Server unreachable: connect anyway, so the client's reconnect loop and status show the outage.
      () => settle('exists'),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, state.convId, state.existence]);

  const open = useCallback((convId: string) => {
    const url = withConversationId(new URL(window.location.href), convId);
    if (url.href !== window.location.href) window.history.pushState(null, '', url);
    setState({ convId, existence: 'exists' });
  }, []);

  const startNew = useCallback(() => {
    const url = withConversationId(new URL(window.location.href), undefined);
    if (url.href !== window.location.href) window.history.pushState(null, '', url);
    setState({ convId: createIdempotencyKey(), existence: 'new' });
  }, []);

  const markSent = useCallback((convId: string) => {
    const url = withConversationId(new URL(window.location.href), convId);
    // Replace, not push: Back should not return to the empty draft of this same conversation.
    if (url.href !== window.location.href) window.history.replaceState(null, '', url);
    setState((current) =>
      current.convId === convId && current.existence !== 'exists' ? { ...current, existence: 'exists' } : current,
    );
  }, []);

  return { convId: state.convId, existence: state.existence, open, startNew, markSent };
}
