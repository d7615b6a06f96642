import { toolUseBlock } from './block.js';
import type { Turn } from './turn.js';

/** A tool call that has no matching `tool_use` result yet. */
export interface PendingToolCall {
  id: string;
  name: string;
  /** Arguments as an object (decoded from JSON text when stored as a string; `{}` when undecodable). */
  args: Record<string, unknown>;
}

/** Normalises stored tool arguments into an object. */
export function normalizeToolArguments(args: unknown): Record<string, unknown> {
  let value = args;
  if (typeof value === 'string') {
    try {
      value = value.trim() === '' ? {} : JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return {};
}

/**
 * Every `tool_call` block (with a non-empty id) whose id has no `tool_use` block in the turn, in
 * block order.
 */
export function pendingToolCalls(turn: Turn): PendingToolCall[] {
  const answered = new Set<string>();
  for (const block of turn.blocks) if (block.kind === 'tool_use') answered.add(block.payload.id);
  const pending: PendingToolCall[] = [];
  for (const block of turn.blocks) {
    if (block.kind !== 'tool_call' || !block.payload.id || answered.has(block.payload.id)) continue;
    pending.push({ id: block.payload.id, name: block.payload.name, args: normalizeToolArguments(block.payload.args) });
  }
  return pending;
}

/** One executed call's outcome, as appended to a turn. */
export interface ToolResultEntry {
  id: string;
  /** Tool output as JSON text; empty or absent when the call failed. */
  result?: string;
  error?: string;
}

/** Appends one `tool_use` block per entry, in order. */
export function appendToolResults(turn: Turn, results: readonly ToolResultEntry[]): void {
  for (const entry of results) turn.blocks.push(toolUseBlock(entry.id, entry.result, entry.error ?? ''));
}
