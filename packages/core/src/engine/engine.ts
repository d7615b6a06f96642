import type { Turn } from '../turns/turn.js';
import type { InferenceContext } from './inference-context.js';

/** Who answers: shown in banners and UIs, and copied into event metadata. */
export interface EngineInfo {
  /** Provider id, e.g. `openai-chat`, `anthropic`, `scripted`. */
  provider: string;
  model: string;
  /** True for engines that never leave the machine (the scripted engine). */
  offline?: boolean;
}

/**
 * The one seam between the framework and a model provider.
 *
 * `infer` streams one model call for `turn`: it publishes events through `context.publish`, appends
 * the resulting blocks (reasoning, assistant text, tool calls) **to the same Turn object**, and returns
 * it. It must honour `context.signal`: on abort it publishes an `interrupt` event carrying the partial
 * text, appends that partial text as an `llm_text` block when non-empty, and rejects with an
 * `InferenceError` of code `cancelled`. Provider failures publish an `error` event and reject.
 */
export interface Engine {
  readonly info: EngineInfo;
  infer(turn: Turn, context: InferenceContext): Promise<Turn>;
}
