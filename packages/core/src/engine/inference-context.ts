import type { EventMetadata } from '../events/event-metadata.js';
import type { EventSink } from '../events/event-sink.js';
import type { InferenceEvent } from '../events/inference-event.js';
import type { ToolConfig } from '../tools/tool-config.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import type { Turn } from '../turns/turn.js';
import { inferenceIdKey, sessionIdKey } from '../turns/well-known-keys.js';

/** The four points at which the tool loop hands a turn snapshot to the snapshot hook. */
export type SnapshotPhase = 'pre_inference' | 'post_inference' | 'post_tools' | 'final';

/** Receives turn snapshots. Errors it throws are reported as events and otherwise ignored. */
export type SnapshotHook = (turn: Turn, phase: SnapshotPhase) => void | Promise<void>;

/**
 * Everything an engine, middleware or tool needs for one inference, passed explicitly (never hidden in
 * globals): cancellation, where events go, which tools may be advertised, and the tool policy.
 */
export interface InferenceContext {
  /** Aborts the inference: engines close their streams, running tools receive it too. */
  readonly signal: AbortSignal;
  readonly sessionId: string;
  readonly inferenceId: string;
  /** Delivers an event to the inference's sinks (failing sinks are reported, never fatal). */
  readonly sink: EventSink;
  /**
   * Tools the engine should advertise, already filtered by `allowed_tools` and the agent mode.
   * Empty when tools are disabled.
   */
  readonly tools: readonly ToolDefinition[];
  readonly toolConfig: ToolConfig;
}

/**
 * Correlation metadata for an event about `turn`: session, inference and turn ids from the turn
 * (falling back to the context), plus the given message id and extras.
 */
export function eventMetadataFor(
  turn: Turn,
  context: Pick<InferenceContext, 'sessionId' | 'inferenceId'>,
  messageId: string,
  fields: Omit<EventMetadata, 'message_id'> = {},
): EventMetadata {
  const sessionId = safeGet(() => turn.metadata.get(sessionIdKey)) || context.sessionId;
  const inferenceId = safeGet(() => turn.metadata.get(inferenceIdKey)) || context.inferenceId;
  const metadata: EventMetadata = { message_id: messageId, ...fields };
  if (sessionId) metadata.session_id = sessionId;
  if (inferenceId) metadata.inference_id = inferenceId;
  if (turn.id) metadata.turn_id = turn.id;
  return metadata;
}

function safeGet(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Publishes an event through the context's sink. */
export function publishEvent(context: Pick<InferenceContext, 'sink'>, event: InferenceEvent): void {
  context.sink.publish(event);
}
