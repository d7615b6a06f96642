import type { TimelineEntity } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import { type PendingPrompt, PendingQueue } from './pending-queue.js';

function user(id: string, content: string): TimelineEntity {
  return { id, kind: 'message', message: { role: 'user', content } };
}

function queued(idempotencyKey: string, prompt: string, position: number): PendingPrompt {
  return { idempotencyKey, prompt, position, queuedAtMs: 0 };
}

function summary(queue: PendingQueue): [string, number][] {
  return queue.items.map((item) => [item.prompt, item.position]);
}

describe('PendingQueue', () => {
  it('settles prompts in FIFO order as their user messages appear, moving the rest up', () => {
    const queue = new PendingQueue();
    expect(queue.add(queued('k1', 'first', 1), queue.mark())).toBe(true);
    expect(queue.add(queued('k2', 'same', 2), queue.mark())).toBe(true);
    expect(queue.add(queued('k3', 'same', 3), queue.mark())).toBe(true);
    const before = queue.items;
    expect(Object.isFrozen(before)).toBe(true);
    expect(queue.observe([user('user-t1', 'first')])).toBe(true);
    expect(summary(queue)).toEqual([
      ['same', 1],
      ['same', 2],
    ]);
    expect(before).toHaveLength(3);
    expect(queue.observe([user('user-t2', 'same')])).toBe(true);
    expect(queue.items.map((item) => item.idempotencyKey)).toEqual(['k3']);
    // Seeing the same message again (a re-hydration) changes nothing.
    expect(queue.observe([user('user-t1', 'first'), user('user-t2', 'same')])).toBe(false);
    expect(queue.observe([user('user-t3', 'same')])).toBe(true);
    expect(queue.items).toEqual([]);
  });

  it("moves its prompts up when someone else's prompt starts, never past its own earlier ones", () => {
    const queue = new PendingQueue();
    queue.add(queued('k1', 'mine', 3), queue.mark());
    queue.add(queued('k2', 'mine too', 4), queue.mark());
    queue.observe([user('user-a', 'from another tab')]);
    expect(summary(queue)).toEqual([
      ['mine', 2],
      ['mine too', 3],
    ]);
    queue.observe([user('user-b', 'another'), user('user-c', 'and another')]);
    expect(summary(queue)).toEqual([
      ['mine', 1],
      ['mine too', 2],
    ]);
  });

  it('ignores assistant messages and other kinds', () => {
    const queue = new PendingQueue();
    queue.add(queued('k1', 'hello', 1), queue.mark());
    const assistant: TimelineEntity = { id: 'm1', kind: 'message', message: { role: 'assistant', content: 'hello' } };
    expect(queue.observe([assistant, { id: 't1', kind: 'tool_call' }])).toBe(false);
    expect(queue.items).toHaveLength(1);
  });

  it('does not record a prompt whose user message appeared before the /chat answer arrived', () => {
    const queue = new PendingQueue();
    queue.observe([user('user-old', 'late')]);
    const mark = queue.mark();
    queue.observe([user('user-new', 'late')]);
    expect(queue.add(queued('k1', 'late', 1), mark)).toBe(false);
    expect(queue.items).toEqual([]);
    // That message is now claimed: another identical prompt stays pending.
    expect(queue.add(queued('k2', 'late', 1), mark)).toBe(true);
  });

  it('keeps one entry per idempotency key and can forget one', () => {
    const queue = new PendingQueue();
    queue.add(queued('k1', 'a', 1), queue.mark());
    expect(queue.add(queued('k1', 'a', 1), queue.mark())).toBe(false);
    queue.add(queued('k2', 'b', 2), queue.mark());
    expect(queue.remove('k1')).toBe(true);
    expect(queue.remove('k1')).toBe(false);
    expect(summary(queue)).toEqual([['b', 2]]);
  });
});
