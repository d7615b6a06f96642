import { omitZero } from '../proto-json.js';
import type { LlmInferenceMetadata } from '../sem/payloads.js';
import type { SemEvent } from '../sem/sem-frame.js';
import type { MessageSnapshot, TimelineEntity } from './timeline-entity.js';

/** Looks up the current state of an entity by id (`undefined` when it does not exist yet). */
export type EntityLookup = (id: string) => TimelineEntity | undefined;

/** Current schema version written into every snapshot. */
export const timelineSchemaVersion = 1;

/** Log levels that become timeline entities (user-visible); others stay in the event log only. */
const visibleLogLevels = new Set(['warn', 'warning', 'error']);

/**
 * The timeline projection: given one SEM event and the current entities, returns the entities it
 * creates or replaces (0..n), without timestamps (stores stamp them). The server persists exactly these
 * results and the clients fold the same function over live frames, so a client that hydrates from
 * `/timeline` and then applies newer frames ends in the server's state by construction.
 *
 * Differences from the reference projection: thinking text is kept at `llm.thinking.final`; `agent.mode`,
 * `error` and warn/error `log` frames become entities; a failed tool call ends with status `error`; llm
 * inference metadata (model, stop reason, usage) is kept on the message.
 */
export function projectFrame(event: SemEvent, lookup: EntityLookup): TimelineEntity[] {
  switch (event.type) {
    case 'llm.start':
    case 'llm.thinking.start': {
      const existing = lookup(event.id)?.message;
      const role =
        event.data.role || existing?.role || (event.type === 'llm.thinking.start' ? 'thinking' : 'assistant');
      return [
        message(event.id, { ...existing, role, content: existing?.content ?? '', streaming: true }, event.metadata),
      ];
    }
    case 'llm.delta':
    case 'llm.thinking.delta': {
      if (!event.data.cumulative) return [];
      const existing = lookup(event.id)?.message;
      const role = existing?.role || (event.type === 'llm.thinking.delta' ? 'thinking' : 'assistant');
      return [
        message(event.id, { ...existing, role, content: event.data.cumulative, streaming: true }, event.metadata),
      ];
    }
    case 'llm.final': {
      const existing = lookup(event.id)?.message;
      const content = event.data.text ?? existing?.content ?? '';
      return [
        message(
          event.id,
          { ...existing, role: existing?.role || 'assistant', content, streaming: false },
          event.metadata,
        ),
      ];
    }
    case 'llm.thinking.final': {
      const existing = lookup(event.id)?.message;
      return [
        message(event.id, {
          ...existing,
          role: existing?.role || 'thinking',
          content: existing?.content ?? '',
          streaming: false,
        }),
      ];
    }
    case 'tool.start':
      return [
        {
          id: event.id,
          kind: 'tool_call',
          toolCall: omitZero({
            schemaVersion: timelineSchemaVersion,
            name: event.data.name,
            input: event.data.input,
            status: 'running',
            progress: 0,
            done: false,
          }),
        },
      ];
    case 'tool.result': {
      const raw = event.data.result ?? '';
      const suffix = event.data.customKind ? 'custom' : 'result';
      return [
        {
          id: `${event.id}:${suffix}`,
          kind: 'tool_result',
          toolResult: omitZero({
            schemaVersion: timelineSchemaVersion,
            toolCallId: event.id,
            result: parseResultObject(raw),
            error: event.data.error,
            resultRaw: raw,
            customKind: event.data.customKind,
          }),
        },
      ];
    }
    case 'tool.done': {
      const call = lookup(event.id)?.toolCall;
      const failed = Boolean(
        lookup(`${event.id}:result`)?.toolResult?.error || lookup(`${event.id}:custom`)?.toolResult?.error,
      );
      return [
        {
          id: event.id,
          kind: 'tool_call',
          toolCall: omitZero({
            schemaVersion: timelineSchemaVersion,
            name: call?.name,
            input: call?.input,
            status: failed ? 'error' : 'completed',
            progress: 1,
            done: true,
          }),
        },
      ];
    }
    case 'agent.mode': {
      const data = event.data.data ?? {};
      return [
        {
          id: event.id,
          kind: 'agent_mode',
          agentMode: omitZero({
            schemaVersion: timelineSchemaVersion,
            title: event.data.title,
            from: stringField(data.from),
            to: stringField(data.to),
            analysis: stringField(data.analysis),
            data: event.data.data,
          }),
        },
      ];
    }
    case 'error':
      return [
        {
          id: event.id,
          kind: 'error',
          error: omitZero({
            schemaVersion: timelineSchemaVersion,
            message: event.data.message,
            code: event.data.code,
            blame: event.data.blame,
            inferenceId: event.data.inferenceId,
          }),
        },
      ];
    case 'log':
      if (!visibleLogLevels.has((event.data.level ?? 'info').toLowerCase())) return [];
      return [
        {
          id: event.id,
          kind: 'log',
          log: omitZero({
            schemaVersion: timelineSchemaVersion,
            level: event.data.level,
            message: event.data.message,
            fields: event.data.fields,
          }),
        },
      ];
    case 'thinking.mode.started':
    case 'thinking.mode.update':
    case 'thinking.mode.completed': {
      const completed = event.type === 'thinking.mode.completed';
      const success = completed ? Boolean(event.data.success) : true;
      const status = event.data.error ? 'error' : completed ? (success ? 'completed' : 'error') : 'active';
      return [
        {
          id: event.data.itemId || event.id,
          kind: 'thinking_mode',
          thinkingMode: omitZero({
            schemaVersion: timelineSchemaVersion,
            status,
            mode: event.data.data?.mode,
            phase: event.data.data?.phase,
            reasoning: event.data.data?.reasoning,
            success,
            error: event.data.error,
          }),
        },
      ];
    }
    case 'timeline.upsert':
      return [event.data.entity];
    case 'tool.delta':
    case 'debugger.pause':
    case 'ws.hello':
    case 'ws.pong':
      return [];
  }
}

function message(id: string, snapshot: MessageSnapshot, metadata?: LlmInferenceMetadata): TimelineEntity {
  const merged = { ...snapshot.metadata, ...metadataMap(metadata) };
  return {
    id,
    kind: 'message',
    message: omitZero({
      schemaVersion: timelineSchemaVersion,
      role: snapshot.role,
      content: snapshot.content,
      streaming: snapshot.streaming,
      metadata: Object.keys(merged).length > 0 ? merged : undefined,
    }),
  };
}

/** Flattens llm metadata into the message's string map. */
function metadataMap(metadata: LlmInferenceMetadata | undefined): Record<string, string> {
  if (!metadata) return {};
  const out: Record<string, string> = {};
  if (metadata.model) out.model = metadata.model;
  if (metadata.stopReason) out.stopReason = metadata.stopReason;
  if (metadata.durationMs) out.durationMs = String(metadata.durationMs);
  const usage = metadata.usage;
  if (usage?.inputTokens) out.inputTokens = String(usage.inputTokens);
  if (usage?.outputTokens) out.outputTokens = String(usage.outputTokens);
  if (usage?.cachedTokens) out.cachedTokens = String(usage.cachedTokens);
  if (usage?.reasoningTokens) out.reasoningTokens = String(usage.reasoningTokens);
  return out;
}

function parseResultObject(raw: string): Record<string, unknown> {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through: not an object
    }
  }
  return { raw };
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
