import type { Block } from '../turns/block.js';
import type { Turn } from '../turns/turn.js';
import type { Middleware } from './middleware.js';

/**
 * Providers require each tool result right after the assistant message that requested it. Before each
 * engine call this middleware moves the `tool_use` blocks answering a contiguous group of `tool_call`
 * blocks so they follow that group (in call order; several results per id allowed). Other blocks keep
 * their relative order.
 */
export function toolResultReorderMiddleware(): Middleware {
  return (next) => async (turn, context) => {
    reorderToolResults(turn);
    return next(turn, context);
  };
}

/** Applies the reordering in place (exported for tests and for callers outside a middleware chain). */
export function reorderToolResults(turn: Turn): void {
  const blocks = turn.blocks;
  const placed = new Set<Block>();
  const ordered: Block[] = [];
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index] as Block;
    if (placed.has(block)) continue;
    if (block.kind !== 'tool_call') {
      ordered.push(block);
      placed.add(block);
      continue;
    }
    const group: Block[] = [];
    while (index < blocks.length && blocks[index]?.kind === 'tool_call') {
      group.push(blocks[index] as Block);
      index++;
    }
    index--;
    ordered.push(...group);
    for (const call of group) placed.add(call);
    for (const call of group) {
      for (const candidate of blocks) {
        if (
          !placed.has(candidate) &&
          candidate.kind === 'tool_use' &&
          call.kind === 'tool_call' &&
          candidate.payload.id === call.payload.id
        ) {
          ordered.push(candidate);
          placed.add(candidate);
        }
      }
    }
  }
  turn.blocks = ordered;
}
