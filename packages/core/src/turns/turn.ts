import type { Block, BlockKind, BlockOfKind } from './block.js';
import { cloneBlock, systemBlock, userBlock } from './block.js';
import { createTurnData, createTurnMetadata, type TurnData, type TurnMetadata } from './typed-store.js';

/**
 * One inference cycle's full context: ordered blocks plus two typed stores. Engines and the tool
 * loop mutate a Turn in place (appending blocks); a Session keeps one Turn per snapshot.
 */
export interface Turn {
  /** The turn id (a UUID once stamped by a session or runner; may be empty before). */
  id: string;
  blocks: Block[];
  metadata: TurnMetadata;
  data: TurnData;
}

/** A new, empty Turn (or one with the given parts). */
export function createTurn(init: Partial<Turn> = {}): Turn {
  return {
    id: init.id ?? '',
    blocks: init.blocks ?? [],
    metadata: init.metadata ?? createTurnMetadata(),
    data: init.data ?? createTurnData(),
  };
}

/**
 * Copies a Turn: same id, a new block list of copied blocks (new payload objects, nested values
 * shared), and shallow clones of both stores. Mutating the copy's blocks list or a block's payload
 * keys never affects the original.
 */
export function cloneTurn(turn: Turn): Turn {
  return {
    id: turn.id,
    blocks: turn.blocks.map(cloneBlock),
    metadata: turn.metadata.clone(),
    data: turn.data.clone(),
  };
}

/** Appends blocks at the end. */
export function appendBlocks(turn: Turn, ...blocks: Block[]): void {
  turn.blocks.push(...blocks);
}

/** Inserts a block at the front. */
export function prependBlock(turn: Turn, block: Block): void {
  turn.blocks.unshift(block);
}

/** Inserts a block just before the last block (or appends to an empty turn). */
export function insertBlockBeforeLast(turn: Turn, block: Block): void {
  if (turn.blocks.length === 0) turn.blocks.push(block);
  else turn.blocks.splice(turn.blocks.length - 1, 0, block);
}

/** Blocks of the given kinds, in order. */
export function filterBlocks<K extends BlockKind>(turn: Turn, kinds: readonly K[]): BlockOfKind<K>[] {
  const wanted = new Set<BlockKind>(kinds);
  return turn.blocks.filter((block): block is BlockOfKind<K> => wanted.has(block.kind));
}

/** The last block of a kind, if any. */
export function lastBlockOfKind<K extends BlockKind>(turn: Turn, kind: K): BlockOfKind<K> | undefined {
  for (let index = turn.blocks.length - 1; index >= 0; index--) {
    const block = turn.blocks[index];
    if (block?.kind === kind) return block as BlockOfKind<K>;
  }
  return undefined;
}

/** Fluent builder for a seed Turn; empty prompts are skipped. */
export class TurnBuilder {
  readonly #turn = createTurn();

  /** Adds a system block (skipped when empty). */
  withSystemPrompt(text: string): this {
    if (text) this.#turn.blocks.push(systemBlock(text));
    return this;
  }

  /** Adds a user block (skipped when empty). */
  withUserPrompt(text: string): this {
    if (text) this.#turn.blocks.push(userBlock(text));
    return this;
  }

  /** Adds any block. */
  withBlock(block: Block): this {
    this.#turn.blocks.push(block);
    return this;
  }

  /** The built Turn (no id). */
  build(): Turn {
    return this.#turn;
  }
}
