import type { TimelineEntity } from '@cricket/protocol';

/** A prompt the server accepted but has not started yet (`/chat` answered 202 `queued`). */
export interface PendingPrompt {
  readonly idempotencyKey: string;
  readonly prompt: string;
  /**
   * 1-based place in the conversation's queue: the server's `queue_position` at enqueue time, minus the
   * prompts seen starting since (each start shows up as a new user message). Never below the entry's
   * place among this client's own pending prompts.
   */
  readonly position: number;
  /** When the server answered, in ms since the epoch. */
  readonly queuedAtMs: number;
}

interface ObservedUserMessage {
  order: number;
  content: string;
  isClaimed: boolean;
}

/** How many recently started user messages are remembered for late `/chat` answers. */
const recentLimit = 100;

/**
 * The queued prompts of one client, for the UI. A prompt leaves the queue when its user message appears
 * in the timeline. The server's user message carries no idempotency key, so the match is by text, in
 * FIFO order, which is exactly the server's start order for one conversation.
 *
 * A `/chat` answer can arrive after the prompt already started (the socket is faster than the HTTP
 * response): {@link mark} before sending and pass the mark to {@link add}, and a user message seen since
 * the mark with the same text settles the prompt at once.
 */
export class PendingQueue {
  #items: readonly PendingPrompt[] = Object.freeze([]);
  readonly #seenIds = new Set<string>();
  #recent: ObservedUserMessage[] = [];
  #observedCount = 0;

  /** The pending prompts, oldest first (a new frozen array after every change). */
  get items(): readonly PendingPrompt[] {
    return this.#items;
  }

  /** A mark to take before a `/chat` request and pass to {@link add} with its answer. */
  mark(): number {
    return this.#observedCount;
  }

  /**
   * Records a queued prompt, unless a matching user message appeared since `mark` or its key is already
   * pending. Returns true when the queue changed.
   */
  add(prompt: PendingPrompt, mark: number): boolean {
    if (this.#items.some((item) => item.idempotencyKey === prompt.idempotencyKey)) return false;
    const started = this.#recent.find(
      (entry) => entry.order >= mark && !entry.isClaimed && entry.content === prompt.prompt,
    );
    if (started) {
      started.isClaimed = true;
      return false;
    }
    const floor = this.#items.length + 1;
    this.#items = Object.freeze([
      ...this.#items,
      Object.freeze({ ...prompt, position: Math.max(prompt.position, floor) }),
    ]);
    return true;
  }

  /**
   * Looks at entities that appeared or changed; every user message not seen before counts as a start:
   * it settles the oldest pending prompt with the same text and moves the others up. Returns true when
   * the queue changed.
   */
  observe(entities: Iterable<TimelineEntity>): boolean {
    let isChanged = false;
    for (const entity of entities) {
      if (entity.kind !== 'message' || entity.message?.role !== 'user' || this.#seenIds.has(entity.id)) continue;
      this.#seenIds.add(entity.id);
      const observed: ObservedUserMessage = {
        order: this.#observedCount++,
        content: entity.message.content ?? '',
        isClaimed: false,
      };
      this.#recent.push(observed);
      if (this.#recent.length > recentLimit) this.#recent = this.#recent.slice(-recentLimit);
      if (this.#items.length === 0) continue;
      const index = this.#items.findIndex((item) => item.prompt === observed.content);
      if (index >= 0) observed.isClaimed = true;
      const remaining = this.#items.filter((_, at) => at !== index);
      this.#items = Object.freeze(
        remaining.map((item, at) => Object.freeze({ ...item, position: Math.max(at + 1, item.position - 1) })),
      );
      isChanged = true;
    }
    return isChanged;
  }

  /** Forgets a pending prompt (e.g. the user dismissed it). Returns true when it was there. */
  remove(idempotencyKey: string): boolean {
    const remaining = this.#items.filter((item) => item.idempotencyKey !== idempotencyKey);
    if (remaining.length === this.#items.length) return false;
    this.#items = Object.freeze(
      remaining.map((item, at) => Object.freeze({ ...item, position: Math.max(at + 1, item.position) })),
    );
    return true;
  }
}
