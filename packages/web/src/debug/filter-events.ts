import type { DebugEntity, DebugEvent } from './debug-api.js';

/** Filters of the event log; empty values match everything. */
export interface EventFilter {
  /** Event types to show (none = all). */
  types: readonly string[];
  /** Inference id to show; `''` = all, {@link noInference} = events outside any inference. */
  inferenceId: string;
  /** Case-insensitive text searched in the type, the ids and the frame. */
  text: string;
}

/** The {@link EventFilter.inferenceId} value selecting events that belong to no inference. */
export const noInference = '(none)';

/** A filter that keeps everything. */
export const emptyEventFilter: EventFilter = { types: [], inferenceId: '', text: '' };

/** Whether the filter keeps every event. */
export function isFilterEmpty(filter: EventFilter): boolean {
  return filter.types.length === 0 && filter.inferenceId === '' && filter.text.trim() === '';
}

/** The events that pass the filter, in their original order. */
export function filterEvents(events: readonly DebugEvent[], filter: EventFilter): DebugEvent[] {
  const types = new Set(filter.types);
  const needle = filter.text.trim().toLowerCase();
  return events.filter((event) => {
    if (types.size > 0 && !types.has(event.type)) return false;
    if (
      filter.inferenceId === noInference
        ? event.inferenceId !== ''
        : filter.inferenceId && event.inferenceId !== filter.inferenceId
    )
      return false;
    if (needle && !searchableText(event).includes(needle)) return false;
    return true;
  });
}

const searchCache = new WeakMap<DebugEvent, string>();

function searchableText(event: DebugEvent): string {
  let text = searchCache.get(event);
  if (text === undefined) {
    const parts = [event.type, event.id, String(event.seq), event.sessionId, event.inferenceId, event.turnId];
    collectText(event.envelope?.event.data ?? event.frame, parts);
    text = parts.join('\n').toLowerCase();
    searchCache.set(event, text);
  }
  return text;
}

/** Collects the keys and scalar values of a JSON value as plain text (strings unescaped, so quotes match). */
function collectText(value: unknown, parts: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!Array.isArray(value)) parts.push(key);
      collectText(item, parts);
    }
    return;
  }
  parts.push(String(value));
}

/** Each distinct value with how many events have it, most frequent first (ties by name). */
export interface FacetCount {
  value: string;
  count: number;
}

/** Distinct event types with counts. */
export function countTypes(events: readonly DebugEvent[]): FacetCount[] {
  return countBy(events, (event) => event.type);
}

/** Distinct inference ids with counts, in order of first appearance; events outside inferences count as {@link noInference}. */
export function countInferences(events: readonly DebugEvent[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = event.inferenceId || noInference;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count }));
}

function countBy(events: readonly DebugEvent[], key: (event: DebugEvent) => string): FacetCount[] {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * Whether an event contributed to an entity: the event wrote its latest version or created it
 * (`seq` = `version` or `createdVersion`), or it is about the same id with a seq within the entity's
 * lifetime. The timeline stores a tool's result as its own entity (`<call id>:result`) while the
 * frames carry the call id, so a tool-result entity relates to the `tool.result` frames of its call.
 */
export function isEventOfEntity(event: DebugEvent, entity: DebugEntity): boolean {
  if (event.seq === entity.version || (entity.createdVersion > 0 && event.seq === entity.createdVersion)) return true;
  if (event.seq > entity.version) return false;
  if (event.id === entity.id) return true;
  const toolCallId = entity.entity?.toolResult?.toolCallId;
  return toolCallId !== undefined && event.id === toolCallId && event.type === 'tool.result';
}

/** Seqs of the events that produced an entity. */
export function eventSeqsOfEntity(entity: DebugEntity, events: readonly DebugEvent[]): Set<number> {
  const seqs = new Set<number>();
  for (const event of events) if (isEventOfEntity(event, entity)) seqs.add(event.seq);
  return seqs;
}

/** Ids of the entities an event contributed to. */
export function entityIdsOfEvent(event: DebugEvent, entities: readonly DebugEntity[]): Set<string> {
  const ids = new Set<string>();
  for (const entity of entities) if (isEventOfEntity(event, entity)) ids.add(entity.id);
  return ids;
}

/** A one-line summary of an event's payload for the log. */
export function describeEvent(event: DebugEvent): string {
  if (!event.envelope) return `malformed frame: ${event.frameError ?? 'unreadable'}`;
  const data = event.envelope.event.data ?? {};
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  switch (event.type) {
    case 'llm.start':
    case 'llm.thinking.start':
      return `${text('role') || 'assistant'} started`;
    case 'llm.delta':
    case 'llm.thinking.delta':
      return text('delta');
    case 'llm.final':
      return text('text');
    case 'tool.start':
      return `${text('name')}(${JSON.stringify(data.input ?? {})})`;
    case 'tool.delta':
      return JSON.stringify(data.patch ?? {});
    case 'tool.result':
      return text('error') ? `error: ${text('error')}` : text('result');
    case 'timeline.upsert': {
      const entity = data.entity as { kind?: unknown; id?: unknown } | undefined;
      return `${String(entity?.kind ?? 'entity')} ${String(entity?.id ?? '')}`;
    }
    case 'debugger.pause':
      return `${text('phase')}: ${text('summary')}`;
    case 'error':
    case 'log':
      return text('message');
    case 'agent.mode':
      return text('title');
    case 'tool.done':
    case 'llm.thinking.final':
      return 'done';
    default: {
      // The payload's own `id` repeats the event id shown beside it.
      const rest = Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'id'));
      return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
    }
  }
}
