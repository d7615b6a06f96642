import { ProviderError } from './provider-error.js';
import { readByteChunks, type StreamReadOptions } from './read-byte-chunks.js';
import { defaultMaxLineLength } from './sse-stream.js';

/** Options of {@link readNdjsonStream}. */
export interface NdjsonReadOptions extends StreamReadOptions {
  /** Cap on one line in characters (default 1 MiB); beyond it → `line-too-long`. */
  maxLineLength?: number;
}

/**
 * Iterates the JSON values of a newline-delimited JSON body (Ollama's `/api/chat` stream), one per
 * non-blank line (`\n` or `\r\n`). Inherits the idle timeout, abort and connection-closing behaviour
 * of {@link readByteChunks}. Failures are {@link ProviderError}s:
 * - a line that is not JSON → `stream-malformed`;
 * - a line longer than `maxLineLength` → `line-too-long` (memory stays bounded);
 * - a final line without its newline that does not parse → `stream-truncated` (the connection was
 *   cut mid-line); one that parses is yielded.
 *
 * Values are yielded unvalidated (`unknown`): the engine parses them with its own schemas.
 */
export async function* readNdjsonStream(
  body: ReadableStream<Uint8Array>,
  options: NdjsonReadOptions,
): AsyncGenerator<unknown, void, undefined> {
  const { provider } = options;
  const maxLineLength = options.maxLineLength ?? defaultMaxLineLength;
  const decoder = new TextDecoder();
  // The unterminated tail, kept as fragments and joined once when its newline arrives, so a long
  // line spread over many small chunks costs linear rather than quadratic time.
  const fragments: string[] = [];
  let fragmentsLength = 0;
  let lineNumber = 0;

  const parseLine = (line: string): unknown => {
    lineNumber++;
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new ProviderError('stream-malformed', `${provider}: stream line ${lineNumber} is not valid JSON`, {
        provider,
        body: line.length > 500 ? `${line.slice(0, 500)}…` : line,
        cause: error,
      });
    }
  };
  const tooLong = () =>
    new ProviderError(
      'line-too-long',
      `${provider}: a stream line exceeded ${maxLineLength} characters; stream aborted`,
      {
        provider,
      },
    );

  for await (const chunk of readByteChunks(body, options)) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      let line = text.slice(start, newline);
      if (fragments.length > 0) {
        fragments.push(line);
        line = fragments.join('');
        fragments.length = 0;
        fragmentsLength = 0;
      }
      if (line.length > maxLineLength) throw tooLong();
      if (line.trim() !== '') yield parseLine(line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      const tail = text.slice(start);
      fragments.push(tail);
      fragmentsLength += tail.length;
      if (fragmentsLength > maxLineLength) throw tooLong();
    }
  }
  const last = fragments.join('') + decoder.decode();
  if (last.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(last) as unknown;
  } catch (error) {
    throw new ProviderError('stream-truncated', `${provider}: stream ended in the middle of a line`, {
      provider,
      cause: error,
    });
  }
  yield value;
}
