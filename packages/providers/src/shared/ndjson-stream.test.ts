import { InferenceError } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { createSeededRandom, splitIntoChunks } from '../testing/seeded-chunks.js';
import { readNdjsonStream } from './ndjson-stream.js';
import { isProviderError } from './provider-error.js';

const encoder = new TextEncoder();

function body(chunks: (string | Uint8Array)[], end: 'close' | 'hang' = 'close') {
  const state = { cancelled: false };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      else if (end === 'close') controller.close();
      else return new Promise(() => {});
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function collect(iterable: AsyncIterable<unknown>): Promise<{ values: unknown[]; error?: unknown }> {
  const values: unknown[] = [];
  try {
    for await (const value of iterable) values.push(value);
  } catch (error) {
    return { values, error };
  }
  return { values };
}

const lines = [
  { model: 'llama3.2', message: { role: 'assistant', content: 'Hé' }, done: false },
  { model: 'llama3.2', message: { role: 'assistant', content: ' 😀' }, done: false },
  { model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, eval_count: 2 },
];

describe('readNdjsonStream', () => {
  it('yields one value per line, whatever the chunking, with blank lines and CRLF', async () => {
    const text = `${JSON.stringify(lines[0])}\r\n\n${JSON.stringify(lines[1])}\n${JSON.stringify(lines[2])}\n`;
    const bytes = encoder.encode(text);
    for (let seed = 1; seed <= 20; seed++) {
      const chunks = splitIntoChunks(bytes, createSeededRandom(seed), { min: 1, max: 9 });
      expect(await collect(readNdjsonStream(body(chunks).stream, { provider: 'ollama' }))).toEqual({ values: lines });
    }
  });

  it('accepts a final complete line without its newline', async () => {
    const { values } = await collect(readNdjsonStream(body(['{"a":1}\n{"b":2}']).stream, { provider: 'ollama' }));
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reports an unterminated partial final line as stream-truncated', async () => {
    const { values, error } = await collect(readNdjsonStream(body(['{"a":1}\n{"b":']).stream, { provider: 'ollama' }));
    expect(values).toEqual([{ a: 1 }]);
    expect(isProviderError(error) && error.code).toBe('stream-truncated');
  });

  it('reports an invalid line as stream-malformed with the line number', async () => {
    const { error } = await collect(readNdjsonStream(body(['{"a":1}\nnot json\n']).stream, { provider: 'ollama' }));
    expect(isProviderError(error) && error.code).toBe('stream-malformed');
    expect((error as Error).message).toContain('line 2');
  });

  it('fails with line-too-long on a runaway line (split or whole) and cancels the body', async () => {
    const split = body(['{"a":"', 'x'.repeat(700), 'x'.repeat(700)], 'hang');
    const first = await collect(readNdjsonStream(split.stream, { provider: 'ollama', maxLineLength: 1000 }));
    expect(isProviderError(first.error) && first.error.code).toBe('line-too-long');
    expect(split.state.cancelled).toBe(true);
    const whole = body([`{"a":"${'x'.repeat(2000)}"}\n`]);
    const second = await collect(readNdjsonStream(whole.stream, { provider: 'ollama', maxLineLength: 1000 }));
    expect(isProviderError(second.error) && second.error.code).toBe('line-too-long');
  });

  it('times out on silence and honours abort', async () => {
    const idle = await collect(
      readNdjsonStream(body(['{"a":1}\n'], 'hang').stream, { provider: 'ollama', idleTimeoutMs: 30 }),
    );
    expect(isProviderError(idle.error) && idle.error.code).toBe('stream-idle-timeout');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = await collect(
      readNdjsonStream(body([], 'hang').stream, { provider: 'ollama', signal: controller.signal }),
    );
    expect(aborted.error).toBeInstanceOf(InferenceError);
  });
});
