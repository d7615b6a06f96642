import { errorMessage } from '@cricket/core';
import { ChatClient } from '@cricket/web/client';
import WebSocket from 'ws';
import type { Spinner } from '../terminal/spinner.js';
import { TimelinePrinter } from '../terminal/timeline-printer.js';
import { ConversationChat } from './conversation-chat.js';
import type { PromptTarget } from './prompt-target.js';

/** Settings of {@link ConversationTarget}. */
export interface ConversationTargetOptions {
  /** The server's base URL, including its mount root. */
  baseUrl: string;
  convId: string;
  profile?: string;
  authToken?: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  color: boolean;
  /** NDJSON: one line per new or changed entity and one `done` line per prompt. */
  json: boolean;
  /** Shown while an answer has printed nothing yet. */
  spinner: Spinner;
  /** Called by `close` after the client is closed (e.g. to stop a local server). */
  onClose?: () => Promise<void>;
}

/**
 * Prompts sent to one conversation of a Cricket server over its HTTP + WebSocket API, through the same
 * `ChatClient` the web UI uses: the answer streams from the conversation's timeline, so every tab open
 * on the conversation sees the same thing, and everything is stored by the server.
 */
export class ConversationTarget implements PromptTarget {
  readonly client: ChatClient;
  readonly #options: ConversationTargetOptions;
  readonly #chat: ConversationChat;

  constructor(options: ConversationTargetOptions) {
    this.#options = options;
    this.client = new ChatClient({
      baseUrl: options.baseUrl,
      convId: options.convId,
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.authToken ? { authToken: options.authToken } : {}),
      WebSocket,
    });
    this.#chat = new ConversationChat({
      client: this.client,
      printer: new TimelinePrinter({
        out: options.out,
        err: options.err,
        color: options.color,
        json: options.json,
        beforeOutput: () => options.spinner.stop(),
      }),
      ...(options.profile ? { profile: options.profile } : {}),
      onQueued: (response) => {
        if (options.json) return;
        options.spinner.stop();
        const place = `position ${response.queue_position ?? 1} of ${response.queue_depth ?? 1}`;
        options.err.write(`queued behind the answer in progress (${place})\n`);
        options.spinner.start('queued');
      },
    });
    this.client.connect();
  }

  async ask(prompt: string): Promise<boolean> {
    this.#options.spinner.start('waiting for the answer');
    try {
      const { status, response } = await this.#chat.ask(prompt);
      if (this.#options.json) this.#options.out.write(`${JSON.stringify({ type: 'done', ...response })}\n`);
      return status !== 'error';
    } catch (error) {
      this.#options.spinner.stop();
      this.#options.err.write(`cricket chat: ${errorMessage(error)}\n`);
      return false;
    } finally {
      this.#options.spinner.stop();
    }
  }

  stop(): void {
    this.client.stop().catch((error: unknown) => {
      this.#options.err.write(`cricket chat: could not stop the answer: ${errorMessage(error)}\n`);
    });
  }

  async close(): Promise<void> {
    this.client.close();
    await this.#options.onClose?.();
  }
}
