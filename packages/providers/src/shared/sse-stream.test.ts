import { InferenceError } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { createSeededRandom, splitIntoChunks } from '../testing/seeded-chunks.js';
import { isProviderError } from './provider-error.js';
import { readSseStream, type SseMessage } from './sse-stream.js';

const encoder = new TextEncoder();

/** A body that serves `chunks`, then ends (or errors / hangs), recording whether it was cancelled. */
function body(chunks: (string | Uint8Array)[], end: 'close' | 'error' | 'hang' = 'close') {
  const state = { cancelled: false };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      else if (end === 'close') controller.close();
      else if (end === 'error') controller.error(new TypeError('terminated'));
      else return new Promise(() => {});
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function collect(iterable: AsyncIterable<SseMessage>): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of iterable) out.push(message);
  return out;
}

async function failure(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of iterable) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

const transcript =
  ': keep-alive comment\n\n' +
  'event: message_start\ndata: {"a":1}\n\n' +
  'data: first line\ndata: second line\n\n' +
  'id: 7\r\ndata: crlf é ✓ 😀\r\n\r\n' +
  'data: [DONE]\n\n';
const expected: SseMessage[] = [
  { event: 'message_start', data: '{"a":1}' },
  { data: 'first line\nsecond line' },
  { data: 'crlf é ✓ 😀', id: '7' },
  { data: '[DONE]' },
];

describe('readSseStream', () => {
  it('parses events, multi-line data, comments, CRLF and UTF-8 split at any byte', async () => {
    const bytes = encoder.encode(transcript);
    for (let seed = 1; seed <= 25; seed++) {
      const chunks = splitIntoChunks(bytes, createSeededRandom(seed), { min: 1, max: 7 });
      expect(await collect(readSseStream(body(chunks).stream, { provider: 'test' }))).toEqual(expected);
    }
  });

  it('drops an event cut off by the end of the body', async () => {
    const { stream } = body(['data: complete\n\n', 'data: {"cut": tr']);
    expect(await collect(readSseStream(stream, { provider: 'test' }))).toEqual([{ data: 'complete' }]);
  });

  it('fails with line-too-long when a line outgrows the cap, and cancels the body', async () => {
    const { stream, state } = body(['data: ', 'x'.repeat(600), 'x'.repeat(600)], 'hang');
    const error = await failure(readSseStream(stream, { provider: 'test', maxLineLength: 1000 }));
    expect(isProviderError(error) && error.code).toBe('line-too-long');
    expect(state.cancelled).toBe(true);
  });

  it('fails with stream-idle-timeout when no chunk arrives in time', async () => {
    const { stream, state } = body(['data: one\n\n'], 'hang');
    const seen: string[] = [];
    const startedAt = Date.now();
    let error: unknown;
    try {
      for await (const message of readSseStream(stream, { provider: 'test', idleTimeoutMs: 50 }))
        seen.push(message.data);
    } catch (caught) {
      error = caught;
    }
    expect(seen).toEqual(['one']);
    expect(isProviderError(error) && error.code).toBe('stream-idle-timeout');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(state.cancelled).toBe(true);
  });

  it('reports a read failure as stream-truncated', async () => {
    const { stream } = body(['data: one\n\n'], 'error');
    const error = await failure(readSseStream(stream, { provider: 'test' }));
    expect(isProviderError(error) && error.code).toBe('stream-truncated');
  });

  it('rejects promptly with a cancellation when the signal fires mid-read', async () => {
    const { stream, state } = body(['data: one\n\n'], 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(readSseStream(stream, { provider: 'test', signal: controller.signal }));
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('cancelled');
    expect(state.cancelled).toBe(true);
  });

  it('cancels the body when the consumer stops early', async () => {
    const { stream, state } = body(['data: one\n\ndata: two\n\n'], 'hang');
    for await (const message of readSseStream(stream, { provider: 'test' })) {
      if (message.data === 'one') break;
    }
    expect(state.cancelled).toBe(true);
  });

  it('does not cancel a body that was read to its end', async () => {
    const { stream, state } = body(['data: one\n\n']);
    await collect(readSseStream(stream, { provider: 'test' }));
    expect(state.cancelled).toBe(false);
  });
});
