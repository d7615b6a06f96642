import { randomUUID } from 'node:crypto';
import type { InferenceContext, SnapshotHook, SnapshotPhase } from '../engine/inference-context.js';
import { eventMetadataFor } from '../engine/inference-context.js';
import { errorMessage } from '../errors/cricket-error.js';
import type { Turn } from '../turns/turn.js';

/** Takes a snapshot; never throws. */
export type Snapshotter = (turn: Turn, phase: SnapshotPhase) => Promise<void>;

/**
 * Wraps a snapshot hook so that a failing hook is reported as an `error`-level `log` event instead of
 * failing the inference (a broken debug store must not break a conversation). No hook → no-op.
 */
export function createSnapshotter(
  hook: SnapshotHook | undefined,
  context: Pick<InferenceContext, 'sink' | 'sessionId' | 'inferenceId'>,
): Snapshotter {
  return async (turn, phase) => {
    if (!hook) return;
    try {
      await hook(turn, phase);
    } catch (error) {
      context.sink.publish({
        type: 'log',
        meta: eventMetadataFor(turn, context, randomUUID()),
        level: 'error',
        message: `snapshot hook failed at ${phase}: ${errorMessage(error)}`,
      });
    }
  };
}
