import type { TimelineEntity } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import type { PendingPrompt } from '../client/index.js';
import { assistantMessage, userMessage } from '../client/testing/message-entities.js';
import type { OutboxItem } from './outbox.js';
import { buildTimelineItems, conversationTitle, summarizeUsage } from './timeline-items.js';

const user = userMessage;
const assistant = (id: string, content: string, seq: number) =>
  assistantMessage(id, content, seq, { metadata: { model: 'm1', inputTokens: '10', outputTokens: '5' } });
const outboxItem = (key: string, prompt: string, afterSeq: number, status: OutboxItem['status'] = 'started') => ({
  key,
  convId: 'c1',
  prompt,
  status,
  afterSeq,
  sentAtMs: 0,
});

describe('buildTimelineItems', () => {
  it('puts a tool result inside its call card', () => {
    const call: TimelineEntity = { id: 't1', kind: 'tool_call', toolCall: { name: 'calculator', status: 'completed' } };
    const result: TimelineEntity = { id: 't1:result', kind: 'tool_result', toolResult: { toolCallId: 't1' } };
    const orphan: TimelineEntity = { id: 'x:result', kind: 'tool_result', toolResult: { toolCallId: 'x' } };
    const { items } = buildTimelineItems([call, result, orphan], [], []);
    expect(items).toEqual([
      { type: 'entity', key: 't1', entity: call, result },
      { type: 'entity', key: 'x:result', entity: orphan },
    ]);
  });

  it('shows an unsettled prompt optimistically and settles it with the server message', () => {
    const item = outboxItem('k1', 'hello', 3);
    const before = buildTimelineItems([user('u0', 'hello', 2)], [item], []);
    expect(before.settledKeys).toEqual([]);
    expect(before.items.at(-1)).toEqual({ type: 'outbox', key: 'outbox:k1', item });

    const after = buildTimelineItems([user('u0', 'hello', 2), user('u1', 'hello', 4)], [item], []);
    expect(after.settledKeys).toEqual(['k1']);
    expect(after.items.filter((entry) => entry.type === 'outbox')).toEqual([]);
  });

  it('settles two identical prompts with two different messages, in order', () => {
    const first = outboxItem('k1', 'again', 0);
    const second = outboxItem('k2', 'again', 0);
    const { settledKeys, items } = buildTimelineItems([user('u1', 'again', 1)], [first, second], []);
    expect(settledKeys).toEqual(['k1']);
    expect(items.filter((entry) => entry.type === 'outbox').map((entry) => entry.key)).toEqual(['outbox:k2']);
  });

  it('leaves queued prompts to the pending list, which knows their position', () => {
    const pending: PendingPrompt = { idempotencyKey: 'k1', prompt: 'later', position: 2, queuedAtMs: 0 };
    const { items } = buildTimelineItems([], [outboxItem('k1', 'later', 0, 'queued')], [pending]);
    expect(items).toEqual([{ type: 'queued', key: 'queued:k1', prompt: pending }]);
  });
});

describe('summaries', () => {
  it('sums token usage and keeps the latest model', () => {
    const later = assistant('a2', 'b', 4);
    if (later.message) later.message.metadata = { model: 'm2', inputTokens: '7', outputTokens: 'garbage' };
    expect(summarizeUsage([assistant('a1', 'a', 2), later])).toEqual({ inputTokens: 17, outputTokens: 5, model: 'm2' });
  });

  it('titles a conversation with its first prompt, shortened', () => {
    expect(conversationTitle([assistant('a', 'x', 1), user('u', '  what   is\nthis ', 2)])).toBe('what is this');
    expect(conversationTitle([user('u', 'x'.repeat(100), 1)])).toHaveLength(80);
    expect(conversationTitle([])).toBeUndefined();
  });
});
