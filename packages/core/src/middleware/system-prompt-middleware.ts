import { systemBlock } from '../turns/block.js';
import { middlewareKey } from '../turns/well-known-keys.js';
import type { Middleware } from './middleware.js';

/**
 * Ensures the turn starts with the given system prompt: replaces the text of the first `system` block
 * (tagging it `geppetto.middleware@v1 = systemprompt`) or inserts a tagged system block at index 0.
 * Idempotent; an empty prompt makes it a pass-through.
 */
export function systemPromptMiddleware(prompt: string): Middleware {
  return (next) => async (turn, context) => {
    if (prompt) {
      const existing = turn.blocks.find((block) => block.kind === 'system');
      if (!existing) {
        const block = systemBlock(prompt);
        block.metadata.set(middlewareKey, 'systemprompt');
        turn.blocks.unshift(block);
      } else if (existing.payload.text !== prompt) {
        existing.payload.text = prompt;
        existing.metadata.set(middlewareKey, 'systemprompt');
      }
    }
    return next(turn, context);
  };
}
