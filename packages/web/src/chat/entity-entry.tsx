import { readInt64, type TimelineEntity } from '@cricket/protocol';
import { type JSX, memo } from 'react';
import { AgentModeEntry } from './entries/agent-mode-entry.js';
import { AssistantMessage } from './entries/assistant-message.js';
import { ErrorEntry } from './entries/error-entry.js';
import { FallbackEntry } from './entries/fallback-entry.js';
import { LogEntry } from './entries/log-entry.js';
import { ThinkingCard } from './entries/thinking-card.js';
import { ToolCallCard } from './entries/tool-call-card.js';
import { ToolResultCard } from './entries/tool-result-card.js';
import { UserMessage } from './entries/user-message.js';
import { EntryBoundary } from './entry-boundary.js';

function renderEntity(entity: TimelineEntity, result: TimelineEntity | undefined): JSX.Element {
  switch (entity.kind) {
    case 'message': {
      const role = entity.message?.role;
      if (role === 'user') {
        return <UserMessage text={entity.message?.content ?? ''} createdAtMs={readInt64(entity.createdAtMs)} />;
      }
      if (role === 'thinking') return <ThinkingCard entity={entity} />;
      return <AssistantMessage entity={entity} />;
    }
    case 'tool_call':
      return <ToolCallCard entity={entity} {...(result ? { result } : {})} />;
    case 'tool_result':
      return <ToolResultCard entity={entity} />;
    case 'agent_mode':
      return <AgentModeEntry entity={entity} />;
    case 'error':
      return <ErrorEntry entity={entity} />;
    case 'log':
      return <LogEntry entity={entity} />;
    default:
      return (
        <FallbackEntry
          title={`Unsupported entry: ${entity.kind}`}
          detail="This page does not know how to show this kind of entry yet."
          data={entity}
        />
      );
  }
}

/**
 * One server entity of the timeline, chosen by kind, inside an error boundary. Memoized on the entity
 * object: the client keeps unchanged entities identical between snapshots, so while an answer streams
 * only that answer re-renders.
 */
export const EntityEntry = memo(function EntityEntry({
  entity,
  result,
}: {
  entity: TimelineEntity;
  result?: TimelineEntity;
}): JSX.Element {
  return (
    <EntryBoundary label={entity.kind.replace(/_/g, ' ')} data={result ? [entity, result] : entity}>
      {renderEntity(entity, result)}
    </EntryBoundary>
  );
});
