import { describe, expect, it } from 'vitest';
import { added, done, recordedMeta, recorder } from './openai-responses-test-kit.js';

describe('OpenAIResponsesStreamDecoder notices', () => {
  it('publishes info markers, web search progress and citations', () => {
    const { push, events } = recorder();
    push(
      added(0, { id: 'rs_0', type: 'reasoning', summary: [] }),
      done(0, { id: 'rs_0', type: 'reasoning', summary: [] }),
      added(1, { id: 'ws_1', type: 'web_search_call', status: 'in_progress' }),
      { type: 'response.web_search_call.in_progress', item_id: 'ws_1', output_index: 1 },
      { type: 'response.web_search_call.searching', item_id: 'ws_1', output_index: 1 },
      { type: 'response.web_search_call.completed', item_id: 'ws_1', output_index: 1 },
      done(1, { id: 'ws_1', type: 'web_search_call', action: { type: 'open_page', url: 'https://example.com/a' } }),
      added(2, { id: 'msg_2', type: 'message', content: [] }),
      {
        type: 'response.output_text.annotation.added',
        item_id: 'msg_2',
        output_index: 2,
        content_index: 0,
        annotation_index: 0,
        annotation: { type: 'url_citation', url: 'https://example.com/a', title: 'A', start_index: 3, end_index: 9 },
      },
      {
        type: 'response.output_text.annotation.added',
        item_id: 'msg_2',
        output_index: 2,
        annotation: { type: 'file_citation', file_id: 'file_1', index: 2 },
      },
      done(2, { id: 'msg_2', type: 'message', content: [] }),
    );
    const meta = recordedMeta;
    expect(events).toEqual([
      { type: 'info', meta, message: 'thinking-started', data: { item_id: 'rs_0' } },
      { type: 'info', meta, message: 'thinking-ended', data: { item_id: 'rs_0' } },
      { type: 'web-search-started', meta, item_id: 'ws_1' },
      { type: 'web-search-searching', meta, item_id: 'ws_1' },
      { type: 'web-search-done', meta, item_id: 'ws_1' },
      { type: 'web-search-open-page', meta, item_id: 'ws_1', url: 'https://example.com/a' },
      { type: 'info', meta, message: 'output-started', data: { item_id: 'msg_2' } },
      {
        type: 'citation',
        meta,
        title: 'A',
        url: 'https://example.com/a',
        start_index: 3,
        end_index: 9,
        output_index: 2,
        content_index: 0,
        annotation_index: 0,
      },
      { type: 'info', meta, message: 'output-ended', data: { item_id: 'msg_2' } },
    ]);
  });
});
