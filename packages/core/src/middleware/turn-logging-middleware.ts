import { errorMessage } from '../errors/cricket-error.js';
import { type BlockKind, blockKinds } from '../turns/block.js';
import type { Turn } from '../turns/turn.js';
import type { Middleware } from './middleware.js';

/** A structured log line written by {@link turnLoggingMiddleware}. */
export interface TurnLogRecord {
  message: 'inference started' | 'inference finished' | 'inference failed';
  session_id: string;
  inference_id: string;
  turn_id: string;
  block_count: number;
  block_kinds?: Record<BlockKind, number>;
  duration_ms?: number;
  error?: string;
}

/** Receives log records (e.g. pino's `logger.info.bind(logger)`). */
export type TurnLogger = (record: TurnLogRecord) => void;

/** Counts blocks per kind (every kind present, zero when absent). */
export function countBlockKinds(turn: Turn): Record<BlockKind, number> {
  const counts = Object.fromEntries(blockKinds.map((kind) => [kind, 0])) as Record<BlockKind, number>;
  for (const block of turn.blocks) counts[block.kind]++;
  return counts;
}

/**
 * Logs each engine call: a start record (ids, block count), then either a finish record with the
 * per-kind block counts and duration, or a failure record with the error (which is re-thrown).
 */
export function turnLoggingMiddleware(log: TurnLogger): Middleware {
  return (next) => async (turn, context) => {
    const base = {
      session_id: context.sessionId,
      inference_id: context.inferenceId,
      turn_id: turn.id,
    };
    const started = performance.now();
    log({ message: 'inference started', ...base, block_count: turn.blocks.length });
    try {
      const result = await next(turn, context);
      log({
        message: 'inference finished',
        ...base,
        block_count: result.blocks.length,
        block_kinds: countBlockKinds(result),
        duration_ms: Math.round(performance.now() - started),
      });
      return result;
    } catch (error) {
      log({
        message: 'inference failed',
        ...base,
        block_count: turn.blocks.length,
        duration_ms: Math.round(performance.now() - started),
        error: errorMessage(error),
      });
      throw error;
    }
  };
}
