/**
 * The prompts this tab sent and has not seen come back from the server yet: shown at once as the
 * user's message (optimistic), with their fate (sending, failed with the HTTP error, queued), until the
 * server's own user message replaces them. A pure reducer, so the rules are unit-tested without React.
 */

/**
 * Where a sent prompt is:
 * - `sending`: `POST /chat` in flight (the client retries it with the same idempotency key);
 * - `started`: the server started it; its user message is on its way over the socket;
 * - `queued`: the server queued it behind the running inference (the client's `pending` list shows it);
 * - `failed`: the request failed; `error` says why, and the prompt can be sent again.
 */
export type OutboxStatus = 'sending' | 'started' | 'queued' | 'failed';

/** One prompt of the outbox. */
export interface OutboxItem {
  /** The idempotency key: retries of this prompt reuse it, so the server runs it once at most. */
  readonly key: string;
  readonly convId: string;
  readonly prompt: string;
  readonly status: OutboxStatus;
  /**
   * The conversation's `lastSeq` when the prompt was sent: only a user message created after it can
   * be this prompt's (an identical older prompt must not settle it).
   */
  readonly afterSeq: number;
  readonly sentAtMs: number;
  readonly error?: string;
}

/** Changes to the outbox. */
export type OutboxAction =
  | { type: 'add'; item: OutboxItem }
  | { type: 'accepted'; key: string; queued: boolean }
  | { type: 'failed'; key: string; error: string }
  | { type: 'retry'; key: string; afterSeq: number; atMs: number }
  | { type: 'remove'; keys: readonly string[] };

/** Applies one action; returns the same array when nothing changed (cheap for React to skip). */
export function outboxReducer(items: readonly OutboxItem[], action: OutboxAction): readonly OutboxItem[] {
  switch (action.type) {
    case 'add':
      return items.some((item) => item.key === action.item.key) ? items : [...items, action.item];
    case 'accepted':
      return update(items, action.key, (item) =>
        // A late answer must not resurrect an item the timeline already settled and removed.
        item.status === 'sending' || item.status === 'failed'
          ? { ...item, status: action.queued ? 'queued' : 'started', error: undefined }
          : item,
      );
    case 'failed':
      return update(items, action.key, (item) => ({ ...item, status: 'failed', error: action.error }));
    case 'retry':
      return update(items, action.key, (item) =>
        item.status === 'failed'
          ? { ...item, status: 'sending', error: undefined, afterSeq: action.afterSeq, sentAtMs: action.atMs }
          : item,
      );
    case 'remove': {
      if (action.keys.length === 0) return items;
      const keys = new Set(action.keys);
      const remaining = items.filter((item) => !keys.has(item.key));
      return remaining.length === items.length ? items : remaining;
    }
  }
}

function update(
  items: readonly OutboxItem[],
  key: string,
  change: (item: OutboxItem) => OutboxItem,
): readonly OutboxItem[] {
  let isChanged = false;
  const next = items.map((item) => {
    if (item.key !== key) return item;
    const changed = change(item);
    if (changed !== item) isChanged = true;
    return changed;
  });
  return isChanged ? next : items;
}
