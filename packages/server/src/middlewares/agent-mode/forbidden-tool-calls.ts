import { appendToolResults, type Block, pendingToolCalls, type Turn } from '@cricket/core';
import type { UnstampedEvent } from './unstamped-event.js';

/**
 * Closes the gap the tool loop leaves in agent-mode enforcement, and only that gap.
 *
 * The loop hands its executor the `geppetto.agent_mode_allowed_tools@v1` list it read from the turn
 * BEFORE calling the middleware chain (`executorList`). On the first engine call of a session, or after
 * the configured list changed, that is not the active mode's list (`allowed`), and the executor would run
 * a tool the mode forbids. For every NEW, unanswered `tool_call` naming a tool outside `allowed` that
 * `executorList` would let through, this appends a `tool not allowed: NAME` error result (the executor's
 * own wording) and publishes a `tool-call-execution-result` event, so the call never runs. Calls that
 * `executorList` already refuses are left to the executor. `allowed` undefined = no restriction.
 *
 * Returns the ids of the calls it refused.
 */
export function refuseForbiddenToolCalls(
  turn: Turn,
  added: readonly Block[],
  allowed: readonly string[] | undefined,
  executorList: readonly string[] | undefined,
  publish: (event: UnstampedEvent) => void,
): string[] {
  if (!allowed) return [];
  const fresh = new Set(added.flatMap((block) => (block.kind === 'tool_call' ? [block.payload.id] : [])));
  const refused = pendingToolCalls(turn).filter(
    (call) => fresh.has(call.id) && !allowed.includes(call.name) && (!executorList || executorList.includes(call.name)),
  );
  if (refused.length === 0) return [];
  const error = (name: string) => `tool not allowed: ${name}`;
  appendToolResults(
    turn,
    refused.map((call) => ({ id: call.id, error: error(call.name) })),
  );
  for (const call of refused) {
    publish({
      type: 'tool-call-execution-result',
      tool_result: { id: call.id, name: call.name, result: `Error: ${error(call.name)}`, error: error(call.name) },
    });
  }
  return refused.map((call) => call.id);
}
