import { describe, expect, it } from 'vitest';
import { added, expectProviderError, recorder, response, text } from './openai-responses-test-kit.js';

describe('OpenAIResponsesStreamDecoder on failing and malformed streams', () => {
  it('turns error events (flat and nested shapes) and response.failed into stream-error', () => {
    const flat = recorder();
    const failure = expectProviderError(
      () =>
        flat.push({
          type: 'error',
          code: 'server_error',
          message: 'Upstream failed.',
          param: null,
          sequence_number: 3,
        }),
      'stream-error',
    );
    expect(failure.message).toBe('openai-responses: Upstream failed.');
    expect(failure.providerCode).toBe('server_error');

    const nested = recorder();
    const quota = expectProviderError(
      () =>
        nested.push({ type: 'error', error: { type: 'insufficient_quota', code: null, message: 'Quota exceeded.' } }),
      'stream-error',
    );
    expect(quota.message).toBe('openai-responses: Quota exceeded.');
    expect(quota.providerCode).toBe('insufficient_quota');

    const failed = recorder();
    const rate = expectProviderError(
      () =>
        failed.push({
          type: 'response.failed',
          response: response('failed', { error: { code: 'rate_limit_exceeded', message: 'Slow down.' } }),
        }),
      'stream-error',
    );
    expect(rate.message).toBe('openai-responses: Slow down.');
    expect(rate.providerCode).toBe('rate_limit_exceeded');
    expect(rate.body).toMatchObject({ type: 'response.failed' });
    expect(
      expectProviderError(
        () => recorder().push({ type: 'response.failed', response: { status: 'failed' } }),
        'stream-error',
      ).message,
    ).toBe('openai-responses: the response failed');
  });
  it('skips unknown event types and [DONE], and reads the type from the SSE event name when missing', () => {
    const { decoder, push, calls } = recorder();
    push(
      { type: 'response.content_part.added', item_id: 'msg_0', output_index: 0, part: { type: 'output_text' } },
      { type: 'response.output_text.done', item_id: 'msg_0', output_index: 0, text: 'ignored' },
      { type: 'response.mcp_call.in_progress', whatever: [1, 2, 3] },
      { type: 'response.some_future_event', delta: 42 },
    );
    expect(decoder.push({ data: '[DONE]' })).toBe(false);
    expect(decoder.push({ event: 'response.output_text.delta', data: '{"output_index":0,"delta":"Hi"}' })).toBe(false);
    expect(calls).toEqual(['text:Hi']);
    expect(decoder.push({ event: 'response.completed', data: '{"response":{"status":"completed"}}' })).toBe(true);
    expect(decoder.done).toBe(true);
    // After the terminal event nothing more is decoded.
    expect(decoder.push({ data: 'not json' })).toBe(true);
  });
  it('rejects payloads that are not the documented JSON shape with stream-malformed', () => {
    expect(
      expectProviderError(() => recorder().decoder.push({ data: '{"type":' }), 'stream-malformed').message,
    ).toContain('not valid JSON');
    expectProviderError(() => recorder().decoder.push({ data: '[1,2]' }), 'stream-malformed');
    expect(
      expectProviderError(() => recorder().decoder.push({ data: '{"delta":"x"}' }), 'stream-malformed').message,
    ).toContain('no type');
    const wrong = expectProviderError(
      () => recorder().push(text(0, 'x'), { type: 'response.output_text.delta', delta: 7 }),
      'stream-malformed',
    );
    expect(wrong.message).toContain('response.output_text.delta');
    expect(wrong.message).toContain('delta');
  });
  it('requires a terminal event: a stream that just stops is stream-truncated', () => {
    const { decoder, push } = recorder();
    push(added(0, { id: 'msg_0', type: 'message', content: [] }), text(0, 'Hel'));
    expect(expectProviderError(() => decoder.finish(), 'stream-truncated').retryable).toBe(true);
  });
});
