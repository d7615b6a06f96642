import type { InferenceEvent } from '@cricket/core';

/**
 * An event sequence with provider noise removed, so different engines compare equal:
 * consecutive `partial` deltas collapse into one `text` entry and `partial-thinking` deltas into one
 * `thinking` entry; tool calls keep their name and **parsed** arguments (ids differ per provider);
 * errors keep their code; `log` and `info` events are dropped.
 */
export type NormalizedEvent =
  | { type: 'start' }
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool-call'; name: string; args: unknown }
  | { type: 'final'; text: string }
  | { type: 'error'; code: string | undefined }
  | { type: 'interrupt'; text: string };

/** Normalises an engine's events (see {@link NormalizedEvent}); unknown event types are dropped. */
export function normalizeEvents(events: readonly InferenceEvent[]): NormalizedEvent[] {
  const normalized: NormalizedEvent[] = [];
  const appendDelta = (type: 'text' | 'thinking', delta: string) => {
    const last = normalized.at(-1);
    if (last && last.type === type) last.text += delta;
    else normalized.push({ type, text: delta });
  };
  for (const event of events) {
    switch (event.type) {
      case 'start':
        normalized.push({ type: 'start' });
        break;
      case 'partial':
        appendDelta('text', event.delta);
        break;
      case 'partial-thinking':
        appendDelta('thinking', event.delta);
        break;
      case 'tool-call':
        normalized.push({ type: 'tool-call', name: event.tool_call.name, args: parseArguments(event.tool_call.input) });
        break;
      case 'final':
        normalized.push({ type: 'final', text: event.text });
        break;
      case 'error':
        normalized.push({ type: 'error', code: event.code });
        break;
      case 'interrupt':
        normalized.push({ type: 'interrupt', text: event.text });
        break;
      default:
        break;
    }
  }
  return normalized;
}

function parseArguments(input: string): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
