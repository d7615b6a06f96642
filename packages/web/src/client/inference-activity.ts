import type { TimelineEntity } from '@cricket/protocol';

/**
 * Whether an inference seems to be running, judged from the timeline: something is streaming or a
 * tool is running, or the last user message has not been answered yet. An answer ends with a finished
 * assistant message or an error entity; a finished thinking message or tool call does not end it (the
 * engine goes on after them).
 */
export function isInferenceRunning(entities: readonly TimelineEntity[]): boolean {
  let sinceLastUser: TimelineEntity[] | undefined;
  for (const entity of entities) {
    if (entity.message?.streaming === true) return true;
    if (entity.kind === 'tool_call' && entity.toolCall?.status === 'running') return true;
    if (entity.kind === 'message' && entity.message?.role === 'user') sinceLastUser = [];
    else sinceLastUser?.push(entity);
  }
  if (!sinceLastUser) return false;
  const last = sinceLastUser.findLast((entity) => entity.kind !== 'log' && entity.kind !== 'agent_mode');
  if (!last) return true;
  if (last.kind === 'error') return false;
  if (last.kind === 'message' && last.message?.role === 'assistant') return false;
  // A tool card that ended without a later answer was ended by an interruption or a failure.
  if (last.kind === 'tool_call' && last.toolCall?.status === 'interrupted') return false;
  return true;
}
