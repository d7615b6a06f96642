import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { type ChatClient, type ChatClientSnapshot, createIdempotencyKey, isInferenceRunning } from '../client/index.js';
import type { ChatEnvironment } from './chat-environment.js';
import { type OutboxItem, outboxReducer } from './outbox.js';
import { buildTimelineItems, type TimelineItem } from './timeline-items.js';
import { useChatClient } from './use-chat-client.js';
import { useClientSnapshot } from './use-client-snapshot.js';
import type { ConversationRoute } from './use-conversation-route.js';

/** Everything the chat page shows of one conversation, and what it can do with it. */
export interface ChatSession {
  client: ChatClient;
  snapshot: ChatClientSnapshot;
  items: readonly TimelineItem[];
  /** An inference is running (or this tab's prompt is on its way): the stop button shows. */
  isRunning: boolean;
  /** Whether a stop request is in flight. */
  isStopping: boolean;
  /** Why the last stop request failed, if it did. */
  stopError: string | undefined;
  /** Sends a prompt with `profile` (`POST /chat/{profile}`). */
  send(prompt: string, profile: string | undefined): void;
  /** Sends a failed prompt again with its idempotency key. */
  retry(key: string, profile: string | undefined): void;
  /** Forgets a failed prompt. */
  discard(key: string): void;
  /** Cancels the running inference. */
  stop(): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One conversation's client, its snapshot (one render per animation frame at most), this tab's outbox
 * (optimistic user messages, inline send errors) and the send/stop actions. `onSent` runs after each
 * accepted prompt (the conversation list refreshes then).
 */
export function useChatSession(
  environment: ChatEnvironment,
  route: ConversationRoute,
  onSent: () => void,
): ChatSession {
  const { convId, existence, markSent } = route;
  const client = useChatClient(environment, convId, existence === 'exists');
  const snapshot = useClientSnapshot(client);
  const [outbox, dispatch] = useReducer(outboxReducer, [] as readonly OutboxItem[]);
  const [isStopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<string | undefined>(undefined);

  const conversationOutbox = useMemo(() => outbox.filter((item) => item.convId === convId), [outbox, convId]);
  const timeline = useMemo(
    () => buildTimelineItems(snapshot.entities, conversationOutbox, snapshot.pending),
    [snapshot.entities, conversationOutbox, snapshot.pending],
  );
  useEffect(() => {
    if (timeline.settledKeys.length > 0) dispatch({ type: 'remove', keys: timeline.settledKeys });
  }, [timeline.settledKeys]);

  const deliver = useCallback(
    (key: string, prompt: string, profile: string | undefined) => {
      client.send(prompt, { idempotencyKey: key, ...(profile ? { profile } : {}) }).then(
        (response) => {
          dispatch({ type: 'accepted', key, queued: response.status === 'queued' });
          onSent();
        },
        (error: unknown) => dispatch({ type: 'failed', key, error: messageOf(error) }),
      );
    },
    [client, onSent],
  );

  const send = useCallback(
    (prompt: string, profile: string | undefined) => {
      const key = createIdempotencyKey();
      const current = client.getSnapshot();
      dispatch({
        type: 'add',
        item: { key, convId, prompt, status: 'sending', afterSeq: current.lastSeq, sentAtMs: Date.now() },
      });
      if (existence !== 'exists') markSent(convId);
      // Join now (not after the POST): the answer's first frames then arrive over a socket already open.
      client.connect();
      deliver(key, prompt, profile);
    },
    [client, convId, existence, markSent, deliver],
  );

  const retry = useCallback(
    (key: string, profile: string | undefined) => {
      const item = outbox.find((entry) => entry.key === key);
      if (!item) return;
      dispatch({ type: 'retry', key, afterSeq: client.getSnapshot().lastSeq, atMs: Date.now() });
      client.connect();
      deliver(key, item.prompt, profile);
    },
    [client, outbox, deliver],
  );

  const discard = useCallback((key: string) => dispatch({ type: 'remove', keys: [key] }), []);

  const stop = useCallback(() => {
    setStopping(true);
    setStopError(undefined);
    client
      .stop()
      .catch((error: unknown) => setStopError(`Could not stop: ${messageOf(error)}`))
      .finally(() => setStopping(false));
  }, [client]);

  const isRunning =
    isInferenceRunning(snapshot.entities) ||
    conversationOutbox.some((item) => item.status === 'sending' || item.status === 'started');

  return {
    client,
    snapshot,
    items: timeline.items,
    isRunning,
    isStopping,
    stopError,
    send,
    retry,
    discard,
    stop,
  };
}
