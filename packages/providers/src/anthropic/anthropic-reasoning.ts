import type { Block, BlockPayloads } from '@cricket/core';
import type { AnthropicRedactedThinkingBlock, AnthropicThinkingBlock } from './anthropic-request-types.js';

/**
 * Value of the `provider` field that marks a reasoning block as Anthropic thinking. Only marked
 * blocks are replayed: a `signature` or `encrypted_content` written by another provider (Gemini
 * thought signatures, OpenAI Responses reasoning items) would be rejected by the Messages API, and a
 * conversation may switch providers between turns.
 */
export const anthropicReasoningProvider = 'anthropic';

/** One thinking content block of a streamed response, in the order the model produced it. */
export type AnthropicThinkingPart =
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'redacted'; data: string };

type ReasoningPayload = BlockPayloads['reasoning'];

/**
 * The reasoning-block payload of one thinking part: `thinking` → `{text, signature}`,
 * `redacted_thinking` → `{encrypted_content: data}`; both carry `provider: 'anthropic'`. An empty
 * text or signature is left out. The stream decoder lists one such block per thinking part, in
 * order (`StreamOutcome.output`): Anthropic rejects a replayed sequence of thinking blocks that
 * differs from what the model produced, so parts are never merged.
 */
export function reasoningPayloadOf(part: AnthropicThinkingPart): ReasoningPayload {
  if (part.kind === 'redacted') return { encrypted_content: part.data, provider: anthropicReasoningProvider };
  const payload: ReasoningPayload = { provider: anthropicReasoningProvider };
  if (part.text) payload.text = part.text;
  // A block cut off before its signature_delta has none; without one it cannot be replayed.
  if (part.signature) payload.signature = part.signature;
  return payload;
}

/**
 * The thinking content block to replay for a reasoning block, or `undefined` when it is not
 * replayable: not marked as Anthropic's, or neither signed thinking nor redacted data (e.g. the
 * partial thinking of a cancelled call, which has no signature yet).
 */
export function thinkingBlockOf(
  block: Extract<Block, { kind: 'reasoning' }>,
): AnthropicThinkingBlock | AnthropicRedactedThinkingBlock | undefined {
  const payload = block.payload;
  if (payload.provider !== anthropicReasoningProvider) return undefined;
  if (typeof payload.signature === 'string' && payload.signature) {
    return {
      type: 'thinking',
      thinking: typeof payload.text === 'string' ? payload.text : '',
      signature: payload.signature,
    };
  }
  if (typeof payload.encrypted_content === 'string' && payload.encrypted_content) {
    return { type: 'redacted_thinking', data: payload.encrypted_content };
  }
  return undefined;
}
