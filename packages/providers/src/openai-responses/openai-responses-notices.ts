import type { InferenceStream } from '../shared/inference-stream.js';
import type { OpenAIResponsesEvent, OpenAIResponsesOutputItem } from './openai-responses-event-schema.js';

/** Where notices go: the engine's {@link InferenceStream} (a fake in unit tests). */
export type OpenAIResponsesNoticeSink = Pick<InferenceStream, 'publish' | 'meta'>;

type AnnotationEvent = Extract<OpenAIResponsesEvent, { type: 'response.output_text.annotation.added' }>;
type WebSearchEvent = Extract<
  OpenAIResponsesEvent,
  { type: 'response.web_search_call.searching' | 'response.web_search_call.completed' }
>;

/**
 * Publishes the `info` marker the reference's UIs key on when an item starts or ends:
 * `thinking-started` / `thinking-ended` for reasoning items, `output-started` / `output-ended` for
 * messages (data `{item_id}`); other item types publish nothing.
 */
export function publishItemMarker(
  sink: OpenAIResponsesNoticeSink,
  item: OpenAIResponsesOutputItem,
  itemId: string,
  phase: 'started' | 'ended',
): void {
  const subject = item.type === 'reasoning' ? 'thinking' : item.type === 'message' ? 'output' : undefined;
  if (subject)
    sink.publish({ type: 'info', meta: sink.meta(), message: `${subject}-${phase}`, data: { item_id: itemId } });
}

/**
 * Web search items of the hosted `web_search` tool: `web-search-started` when the item is added
 * (with the query when the item already names it), `web-search-open-page` when a finished item
 * opened a page. Other item types publish nothing.
 */
export function publishWebSearchItem(
  sink: OpenAIResponsesNoticeSink,
  item: OpenAIResponsesOutputItem,
  itemId: string,
  phase: 'started' | 'ended',
): void {
  if (item.type !== 'web_search_call') return;
  const action = item.action;
  if (phase === 'started') {
    const query = action?.query;
    sink.publish({ type: 'web-search-started', meta: sink.meta(), item_id: itemId, ...(query ? { query } : {}) });
  } else if (action?.type === 'open_page' && action.url) {
    sink.publish({ type: 'web-search-open-page', meta: sink.meta(), item_id: itemId, url: action.url });
  }
}

/** `response.web_search_call.searching` / `.completed` → `web-search-searching` / `web-search-done`. */
export function publishWebSearchProgress(sink: OpenAIResponsesNoticeSink, event: WebSearchEvent): void {
  sink.publish({
    type: event.type === 'response.web_search_call.searching' ? 'web-search-searching' : 'web-search-done',
    meta: sink.meta(),
    item_id: event.item_id ?? '',
  });
}

/** A `url_citation` annotation → a `citation` event (title falls back to the URL); others are ignored. */
export function publishCitation(sink: OpenAIResponsesNoticeSink, event: AnnotationEvent): void {
  const { annotation } = event;
  if (annotation.type !== 'url_citation' || !annotation.url) return;
  sink.publish({
    type: 'citation',
    meta: sink.meta(),
    title: annotation.title || annotation.url,
    url: annotation.url,
    ...optional('start_index', annotation.start_index),
    ...optional('end_index', annotation.end_index),
    ...optional('output_index', event.output_index),
    ...optional('content_index', event.content_index),
    ...optional('annotation_index', event.annotation_index),
  });
}

/** `{[key]: value}` when the value is a number, else `{}` (the event omits absent indexes). */
function optional<K extends string>(key: K, value: number | null | undefined): { [P in K]?: number } {
  return typeof value === 'number' ? ({ [key]: value } as { [P in K]?: number }) : {};
}
