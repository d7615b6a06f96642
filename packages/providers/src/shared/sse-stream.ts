import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { ProviderError } from './provider-error.js';
import { readByteChunks, type StreamReadOptions } from './read-byte-chunks.js';

/** Default cap on one buffered SSE line / event: 1 MiB of characters. */
export const defaultMaxLineLength = 1024 * 1024;

/** One server-sent event: `event` is the `event:` field (absent when the server sent none). */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

/** Options of {@link readSseStream}. */
export interface SseReadOptions extends StreamReadOptions {
  /**
   * Cap on buffered characters (a partial line plus the event being assembled); beyond it the
   * stream fails with `line-too-long` instead of growing memory without bound. Default 1 MiB.
   */
  maxLineLength?: number;
}

/**
 * Iterates the events of a `text/event-stream` body (WHATWG parsing via eventsource-parser: `event:`,
 * multi-line `data:`, comments and `retry:` handled; an event cut off by the end of the body is
 * dropped, as the spec requires). Inherits the idle timeout, abort and connection-closing behaviour
 * of {@link readByteChunks}; a runaway line → {@link ProviderError} `line-too-long`.
 *
 * The reader does not interpret `data`: end markers such as OpenAI's `[DONE]` are the engine's job,
 * and an engine that stops iterating early closes the connection.
 */
export async function* readSseStream(
  body: ReadableStream<Uint8Array>,
  options: SseReadOptions,
): AsyncGenerator<SseMessage, void, undefined> {
  const { provider } = options;
  const maxLineLength = options.maxLineLength ?? defaultMaxLineLength;
  const pending: SseMessage[] = [];
  let overflow: ParseError | undefined;
  const parser = createParser({
    maxBufferSize: maxLineLength,
    onEvent: (message: EventSourceMessage) => {
      const event: SseMessage = { data: message.data };
      if (message.event !== undefined) event.event = message.event;
      if (message.id !== undefined) event.id = message.id;
      pending.push(event);
    },
    // Unknown fields and bad `retry:` values are ignored, as the SSE spec says; only the buffer
    // overflow is fatal.
    onError: (error: ParseError) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = error;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of readByteChunks(body, options)) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (overflow) {
      throw new ProviderError(
        'line-too-long',
        `${provider}: a stream event exceeded ${maxLineLength} characters without ending; stream aborted`,
        { provider, cause: overflow },
      );
    }
    // Index loop + reset rather than shift(): a chunk usually completes one or two events.
    for (let index = 0; index < pending.length; index++) {
      const event = pending[index];
      if (event) yield event;
    }
    pending.length = 0;
  }
  // A trailing multi-byte sequence cut by the end of the body decodes to U+FFFD; any incomplete
  // event is discarded (parser not flushed), so the engine sees the missing end marker.
  parser.feed(decoder.decode());
  for (const event of pending) yield event;
}
