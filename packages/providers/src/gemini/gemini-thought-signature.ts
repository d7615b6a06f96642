import type { BlockPayloads } from '@cricket/core';

/**
 * Where a Gemini thought signature lives between two requests: on the `reasoning` block of the
 * engine call that produced it, as `signature`, with two extra payload keys:
 * - `provider: "gemini"` — signatures are only valid for the provider that issued them, so a
 *   reasoning block from another provider (an Anthropic thinking signature) is never sent to Gemini;
 * - `signature_call_id` — when the signature arrived on a `functionCall` part, the id of that call,
 *   so the replay puts it back on exactly that part (Google requires the signature "in the part it
 *   was received in"; for parallel calls that is the first call only).
 *
 * A signature that arrived on a text or thought part has no call id and is replayed on the last
 * text part of the model turn, which is where Google documents it for responses without calls.
 */
export interface GeminiThoughtSignature {
  signature: string;
  /** The function call whose part carried the signature. */
  callId?: string;
}

/** Provider tag written next to the signature. */
export const geminiSignatureProvider = 'gemini';

/** The reasoning-block payload fields (besides `text`) that record a signature. */
export function geminiSignaturePayload(signature: GeminiThoughtSignature): Omit<BlockPayloads['reasoning'], 'text'> {
  return {
    signature: signature.signature,
    provider: geminiSignatureProvider,
    ...(signature.callId ? { signature_call_id: signature.callId } : {}),
  };
}

/**
 * The Gemini signature recorded on a reasoning block's payload, or `undefined` when it carries
 * none or one from another provider.
 */
export function readGeminiSignature(payload: BlockPayloads['reasoning']): GeminiThoughtSignature | undefined {
  if (payload.provider !== geminiSignatureProvider) return undefined;
  if (typeof payload.signature !== 'string' || payload.signature === '') return undefined;
  const callId = payload.signature_call_id;
  return typeof callId === 'string' && callId !== ''
    ? { signature: payload.signature, callId }
    : { signature: payload.signature };
}
