import { randomUUID } from 'node:crypto';
import { type BlockMetadata, createBlockMetadata } from './typed-store.js';

/** The seven block kinds, as serialised. */
export const blockKinds = ['system', 'user', 'llm_text', 'tool_call', 'tool_use', 'reasoning', 'other'] as const;
/** One of {@link blockKinds}. */
export type BlockKind = (typeof blockKinds)[number];

/** Roles written by the block builders. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** An image attached to a user block: by URL, or inline as base64 `content`. */
export type ImageRef =
  | { media_type: string; url: string; detail?: 'auto' | 'low' | 'high' }
  | { media_type: string; content: string; detail?: 'auto' | 'low' | 'high' };

/** Payload shapes per kind. Extra keys are kept on round-trips (providers may add their own). */
export interface BlockPayloads {
  system: { text: string; [extra: string]: unknown };
  user: { text: string; images?: ImageRef[]; [extra: string]: unknown };
  /** `item_id`: the provider's output item id (OpenAI Responses), replayed on the next request. */
  llm_text: { text: string; item_id?: string; [extra: string]: unknown };
  /** `args` holds the decoded arguments object. The block id equals the call id. */
  tool_call: { id: string; name: string; args: unknown; item_id?: string; [extra: string]: unknown };
  /**
   * `result` is the tool output encoded as JSON text, absent when the tool failed;
   * `error` is always present and empty on success.
   */
  tool_use: { id: string; result?: string; error: string; [extra: string]: unknown };
  /**
   * `text`: visible reasoning / thinking summary; `encrypted_content` and `item_id`: opaque provider state
   * (Responses reasoning items, Anthropic thinking `signature`) sent back on the next request.
   */
  reasoning: {
    text?: string;
    encrypted_content?: string;
    item_id?: string;
    signature?: string;
    [extra: string]: unknown;
  };
  other: { text?: string; [extra: string]: unknown };
}

interface BlockOf<K extends BlockKind> {
  /** Unique id (a UUID for most builders; the call id for tool calls). */
  id: string;
  kind: K;
  role?: string;
  payload: BlockPayloads[K];
  metadata: BlockMetadata;
}

/** System instructions. */
export type SystemBlock = BlockOf<'system'>;
/** A user message. */
export type UserBlock = BlockOf<'user'>;
/** Assistant text produced by a model. */
export type LlmTextBlock = BlockOf<'llm_text'>;
/** A tool call requested by a model. */
export type ToolCallBlock = BlockOf<'tool_call'>;
/** The result (or error) of executing one tool call. */
export type ToolUseBlock = BlockOf<'tool_use'>;
/** Model reasoning / thinking. */
export type ReasoningBlock = BlockOf<'reasoning'>;
/** Anything else; engines honour a `text` payload. */
export type OtherBlock = BlockOf<'other'>;

/** One atomic unit of a Turn, discriminated on `kind`. */
export type Block = SystemBlock | UserBlock | LlmTextBlock | ToolCallBlock | ToolUseBlock | ReasoningBlock | OtherBlock;

/** Narrows a block union to one kind. */
export type BlockOfKind<K extends BlockKind> = Extract<Block, { kind: K }>;

/** True when `value` is one of the seven kind strings. */
export function isBlockKind(value: unknown): value is BlockKind {
  return typeof value === 'string' && (blockKinds as readonly string[]).includes(value);
}

/** Type guard for one kind, usable with `Array.prototype.filter`. */
export function isBlockOfKind<K extends BlockKind>(kind: K): (block: Block) => block is BlockOfKind<K> {
  return (block): block is BlockOfKind<K> => block.kind === kind;
}

/** Options shared by the block builders. */
export interface BlockOptions {
  id?: string;
  metadata?: BlockMetadata;
}

function build<K extends BlockKind>(
  kind: K,
  role: Role | undefined,
  payload: BlockPayloads[K],
  options: BlockOptions = {},
): BlockOfKind<K> {
  const block = {
    id: options.id ?? randomUUID(),
    kind,
    payload,
    metadata: options.metadata ?? createBlockMetadata(),
    ...(role ? { role } : {}),
  };
  return block as unknown as BlockOfKind<K>;
}

/** A system block (role `system`). */
export function systemBlock(text: string, options?: BlockOptions): SystemBlock {
  return build('system', 'system', { text }, options);
}

/** A user block (role `user`); images are attached only when the list is non-empty. */
export function userBlock(text: string, images?: ImageRef[], options?: BlockOptions): UserBlock {
  return build('user', 'user', images && images.length > 0 ? { text, images } : { text }, options);
}

/** An assistant text block (role `assistant`). */
export function llmTextBlock(text: string, options?: BlockOptions & { itemId?: string }): LlmTextBlock {
  const payload: BlockPayloads['llm_text'] = { text };
  if (options?.itemId) payload.item_id = options.itemId;
  return build('llm_text', 'assistant', payload, options);
}

/** A tool-call block. Its id is the call id, so results can be matched to it. */
export function toolCallBlock(
  callId: string,
  name: string,
  args: unknown,
  options?: Omit<BlockOptions, 'id'> & { itemId?: string },
): ToolCallBlock {
  const payload: BlockPayloads['tool_call'] = { id: callId, name, args };
  if (options?.itemId) payload.item_id = options.itemId;
  return build('tool_call', undefined, payload, { ...options, id: callId });
}

/**
 * A tool-use (result) block for call `callId`. `result` is the tool output as JSON text;
 * pass `error` (non-empty) for a failed call, in which case `result` is normally omitted.
 */
export function toolUseBlock(
  callId: string,
  result: string | undefined,
  error = '',
  options?: BlockOptions,
): ToolUseBlock {
  const payload: BlockPayloads['tool_use'] = { id: callId, error };
  if (result !== undefined && result !== '') payload.result = result;
  return build('tool_use', undefined, payload, options);
}

/** A reasoning block. */
export function reasoningBlock(payload: BlockPayloads['reasoning'], options?: BlockOptions): ReasoningBlock {
  return build('reasoning', undefined, payload, options);
}

/** An `other` block with a free payload. */
export function otherBlock(payload: BlockPayloads['other'], options?: BlockOptions): OtherBlock {
  return build('other', undefined, payload, options);
}

/**
 * Copies a block: same id, kind and role, a new payload object (nested values shared) and a shallow
 * clone of its metadata store.
 */
export function cloneBlock<B extends Block>(block: B): B {
  return { ...block, payload: { ...block.payload }, metadata: block.metadata.clone() };
}
