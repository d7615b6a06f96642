import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';

/** What one engine call saw. */
export interface SpyCall {
  /** Names of the tools advertised to the engine (`context.tools`). */
  tools: string[];
  /** Kinds and texts of the turn's blocks when the call started. */
  blocks: { kind: string; text: string }[];
}

/** Wraps an engine and records, per call, the advertised tools and the blocks it was given. Test support. */
export class SpyEngine implements Engine {
  readonly calls: SpyCall[] = [];
  readonly #inner: Engine;

  constructor(inner: Engine) {
    this.#inner = inner;
  }

  get info(): EngineInfo {
    return this.#inner.info;
  }

  infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    this.calls.push({
      tools: context.tools.map((tool) => tool.name),
      blocks: turn.blocks.map((block) => ({
        kind: block.kind,
        text: 'text' in block.payload && typeof block.payload.text === 'string' ? block.payload.text : '',
      })),
    });
    return this.#inner.infer(turn, context);
  }
}
