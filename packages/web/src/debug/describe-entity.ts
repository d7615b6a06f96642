import type { DebugEntity } from './debug-api.js';

/** A short label for an entity's kind: messages by role (`user message`, `assistant message`, ...). */
export function entityLabel(entity: DebugEntity): string {
  const role = entity.entity?.message?.role;
  if (entity.kind === 'message' && role) return `${role} message`;
  return entity.kind.replaceAll('_', ' ');
}

/** A one-line summary of an entity's content. */
export function describeEntity(entity: DebugEntity): string {
  const value = entity.entity;
  if (!value) return `invalid entity: ${entity.error ?? 'unreadable'}`;
  if (value.message) {
    const streaming = value.message.streaming ? ' (streaming)' : '';
    return `${value.message.content ?? ''}${streaming}`;
  }
  if (value.toolCall) {
    const status = value.toolCall.status ?? (value.toolCall.done ? 'completed' : 'running');
    return `${value.toolCall.name ?? 'tool'}(${JSON.stringify(value.toolCall.input ?? {})}) · ${status}`;
  }
  if (value.toolResult) {
    if (value.toolResult.error) return `error: ${value.toolResult.error}`;
    return value.toolResult.resultRaw ?? JSON.stringify(value.toolResult.result ?? {});
  }
  if (value.error) return value.error.message ?? value.error.code ?? 'error';
  if (value.log) return `${value.log.level ?? 'log'}: ${value.log.message ?? ''}`;
  if (value.agentMode) return value.agentMode.title ?? `${value.agentMode.from ?? '?'} → ${value.agentMode.to ?? '?'}`;
  if (value.thinkingMode)
    return [value.thinkingMode.mode, value.thinkingMode.phase, value.thinkingMode.status].filter(Boolean).join(' · ');
  if (value.status) return value.status.text ?? '';
  const {
    id: _id,
    kind: _kind,
    createdAtMs: _created,
    updatedAtMs: _updated,
    createdVersion: _version,
    ...rest
  } = value;
  return JSON.stringify(rest);
}

/** Entities in the order they were created (by the seq that created them, then by last write). */
export function sortEntities(entities: readonly DebugEntity[]): DebugEntity[] {
  return [...entities].sort(
    (a, b) => (a.createdVersion || a.version) - (b.createdVersion || b.version) || a.version - b.version,
  );
}
