import type { InferenceContext } from '../engine/inference-context.js';
import type { Turn } from '../turns/turn.js';

/** One engine call as seen by middleware: takes a turn, resolves to the (usually same, mutated) turn. */
export type InferenceHandler = (turn: Turn, context: InferenceContext) => Promise<Turn>;

/** Wraps a handler. Runs around **every** engine call of the tool loop, not once per prompt. */
export type Middleware = (next: InferenceHandler) => InferenceHandler;

/**
 * Composes middlewares around a handler. The first middleware is the outermost: it sees the turn
 * first on the way in and the result last on the way out (`compose(h, a, b)` = `a(b(h))`).
 */
export function compose(handler: InferenceHandler, ...middlewares: readonly Middleware[]): InferenceHandler {
  return middlewares.reduceRight<InferenceHandler>((next, middleware) => middleware(next), handler);
}

/** Ids of all blocks currently in the turn (blocks without ids are skipped). */
export function blockIdSet(turn: Turn): Set<string> {
  return new Set(turn.blocks.map((block) => block.id).filter((id) => id !== ''));
}

/** Blocks whose ids were not in `baseline` (every block with an id when `baseline` is undefined). */
export function blocksAddedSince(turn: Turn, baseline: ReadonlySet<string> | undefined) {
  return turn.blocks.filter((block) => block.id !== '' && !baseline?.has(block.id));
}
