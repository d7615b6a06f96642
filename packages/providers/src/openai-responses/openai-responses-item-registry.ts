import type { OpenAIResponsesItemState } from './openai-responses-output.js';

/** How a streamed event points at its output item. */
export interface OpenAIResponsesItemRef {
  item_id?: string | null | undefined;
  output_index?: number | null | undefined;
}

/**
 * The output items of one streamed response, found by `output_index` (every OpenAI event carries
 * it) or by item id, and created on first sight so that events arriving before their
 * `output_item.added` (or servers that never send it) still land somewhere sensible.
 */
export class OpenAIResponsesItemRegistry {
  readonly #byIndex = new Map<number, OpenAIResponsesItemState>();
  readonly #byId = new Map<string, OpenAIResponsesItemState>();

  /** Every item seen, in arrival order. */
  values(): IterableIterator<OpenAIResponsesItemState> {
    return this.#byIndex.values();
  }

  /**
   * The item `ref` points at. A ref with neither index nor id (a minimal compatible server) means
   * the latest item of `type`. Unknown refs create an item of `type` at the given index, or after
   * the last one.
   */
  find(ref: OpenAIResponsesItemRef, type: string): OpenAIResponsesItemState {
    const { output_index: outputIndex, item_id: itemId } = ref;
    const hasIndex = outputIndex !== null && outputIndex !== undefined;
    let item = hasIndex ? this.#byIndex.get(outputIndex) : undefined;
    if (!item && itemId) item = this.#byId.get(itemId);
    if (!item && !hasIndex && !itemId) {
      item = [...this.#byIndex.values()].reverse().find((candidate) => candidate.type === type);
    }
    if (item) return item;
    const index = hasIndex ? outputIndex : Math.max(-1, ...this.#byIndex.keys()) + 1;
    const created: OpenAIResponsesItemState = {
      outputIndex: index,
      order: this.#byIndex.size,
      id: '',
      type,
      text: '',
      lastPart: undefined,
      streamed: false,
      done: false,
      status: undefined,
      encryptedContent: undefined,
      callId: undefined,
      name: undefined,
      arguments: '',
    };
    this.#byIndex.set(index, created);
    if (itemId) this.setId(created, itemId);
    return created;
  }

  /** Records the provider id of an item, so later events that name only the id find it. */
  setId(item: OpenAIResponsesItemState, id: string): void {
    item.id = id;
    this.#byId.set(id, item);
  }
}
