import { readInt64, type TimelineEntity } from '@cricket/protocol';
import type { PendingPrompt } from '../client/index.js';
import type { OutboxItem } from './outbox.js';

/**
 * What the timeline shows, in order:
 * - `entity`: a server entity; a tool call carries its result (`result`) so both render as one card;
 * - `outbox`: a prompt this tab sent whose user message has not arrived yet (optimistic);
 * - `queued`: a prompt waiting behind the running inference, with its place in the queue.
 */
export type TimelineItem =
  | { type: 'entity'; key: string; entity: TimelineEntity; result?: TimelineEntity }
  | { type: 'outbox'; key: string; item: OutboxItem }
  | { type: 'queued'; key: string; prompt: PendingPrompt };

/** The items and the outbox entries that the timeline now holds (the caller drops them from the outbox). */
export interface TimelineItems {
  items: TimelineItem[];
  settledKeys: string[];
}

/** The tool call a result belongs to: its `toolCallId`, else the id minus the `:result`/`:custom` suffix. */
export function toolCallIdOf(result: TimelineEntity): string {
  return result.toolResult?.toolCallId || result.id.replace(/:(result|custom)$/, '');
}

/**
 * Builds the timeline's items from the client's entities (display order), this tab's outbox for the
 * conversation, and the client's queued prompts. An outbox entry is settled by the first unclaimed
 * user message with the same text created after the entry was sent (the server's user message carries
 * no idempotency key; the server starts a conversation's prompts in FIFO order, so text + order match).
 */
export function buildTimelineItems(
  entities: readonly TimelineEntity[],
  outbox: readonly OutboxItem[],
  pending: readonly PendingPrompt[],
): TimelineItems {
  const calls = new Set<string>();
  const results = new Map<string, TimelineEntity>();
  for (const entity of entities) {
    if (entity.kind === 'tool_call') calls.add(entity.id);
    else if (entity.kind === 'tool_result') results.set(toolCallIdOf(entity), entity);
  }

  const items: TimelineItem[] = [];
  for (const entity of entities) {
    if (entity.kind === 'tool_result' && calls.has(toolCallIdOf(entity))) continue;
    const result = entity.kind === 'tool_call' ? results.get(entity.id) : undefined;
    items.push(
      result ? { type: 'entity', key: entity.id, entity, result } : { type: 'entity', key: entity.id, entity },
    );
  }

  const claimed = new Set<string>();
  const settledKeys: string[] = [];
  for (const item of outbox) {
    const match = entities.find(
      (entity) =>
        entity.kind === 'message' &&
        entity.message?.role === 'user' &&
        !claimed.has(entity.id) &&
        readInt64(entity.createdVersion) > item.afterSeq &&
        (entity.message.content ?? '').trim() === item.prompt.trim(),
    );
    if (match) {
      claimed.add(match.id);
      settledKeys.push(item.key);
    } else if (item.status !== 'queued') {
      // Queued prompts are shown from the client's pending list, which knows their position.
      items.push({ type: 'outbox', key: `outbox:${item.key}`, item });
    }
  }
  for (const prompt of pending) items.push({ type: 'queued', key: `queued:${prompt.idempotencyKey}`, prompt });
  return { items, settledKeys };
}

/** Token usage and the latest model, summed over the conversation's messages. */
export interface UsageSummary {
  inputTokens: number;
  outputTokens: number;
  /** Model of the latest answer, from its metadata. */
  model: string | undefined;
}

/** Sums the token counts that messages carry in their metadata. */
export function summarizeUsage(entities: readonly TimelineEntity[]): UsageSummary {
  let inputTokens = 0;
  let outputTokens = 0;
  let model: string | undefined;
  for (const entity of entities) {
    const metadata = entity.message?.metadata;
    if (!metadata) continue;
    inputTokens += toCount(metadata.inputTokens);
    outputTokens += toCount(metadata.outputTokens);
    if (metadata.model) model = metadata.model;
  }
  return { inputTokens, outputTokens, model };
}

function toCount(value: string | undefined): number {
  const number = Number(value ?? 0);
  return Number.isFinite(number) && number > 0 ? number : 0;
}

/** A conversation's title: its first user message, shortened. */
export function conversationTitle(entities: readonly TimelineEntity[]): string | undefined {
  const first = entities.find((entity) => entity.kind === 'message' && entity.message?.role === 'user');
  const text = first?.message?.content?.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
