import type { ConversationSummary } from '@cricket/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatApi } from '../client/index.js';

/** How often the list refreshes while the page is visible. */
const pollMs = 15_000;

/** The conversation list and its loading state. */
export interface ConversationsState {
  items: readonly ConversationSummary[] | undefined;
  error: string | undefined;
  /** Fetches the list now (after a send, or when the user asks). */
  refresh(): void;
}

/**
 * `GET /api/conversations`, refreshed on demand, every 15 s while the page is visible, and when the
 * page becomes visible again. Overlapping refreshes collapse into one.
 */
export function useConversations(api: ChatApi): ConversationsState {
  const [items, setItems] = useState<readonly ConversationSummary[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const inFlight = useRef(false);
  const isMounted = useRef(true);

  const refresh = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    api
      .conversations({ limit: 100 })
      .then(
        (list) => {
          if (!isMounted.current) return;
          setItems(list.items);
          setError(undefined);
        },
        (failure: unknown) => {
          if (isMounted.current) setError(failure instanceof Error ? failure.message : String(failure));
        },
      )
      .finally(() => {
        inFlight.current = false;
      });
  }, [api]);

  useEffect(() => {
    isMounted.current = true;
    refresh();
    const timer = setInterval(() => {
      if (!document.hidden) refresh();
    }, pollMs);
    const onVisible = () => {
      if (!document.hidden) refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      isMounted.current = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh]);

  return { items, error, refresh };
}
