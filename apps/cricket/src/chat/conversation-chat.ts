import type { ChatRequestStatus, ChatResponse, TimelineEntity } from '@cricket/protocol';
import { type ChatCall, type ChatClient, createIdempotencyKey, isInferenceRunning } from '@cricket/web/client';
import type { TimelinePrinter } from '../terminal/timeline-printer.js';

/** How one prompt ended. */
export interface PromptOutcome {
  status: ChatRequestStatus;
  response: ChatResponse;
}

/** Settings of {@link ConversationChat}. */
export interface ConversationChatOptions {
  client: ChatClient;
  printer: TimelinePrinter;
  /** Profile each prompt is sent with (default: the server decides). */
  profile?: string;
  /** Called when the server queued the prompt behind the answer in progress. */
  onQueued?: (response: ChatResponse) => void;
  /** How often the request's status is re-read while nothing changes, in ms (default 1,000). */
  pollIntervalMs?: number;
  /**
   * How long to wait, after the server reports the request finished, for the timeline to show the end
   * (its last frames may still be on their way), in ms (default 3,000).
   */
  settleGraceMs?: number;
}

const finishedStatuses = new Set<ChatRequestStatus>(['completed', 'error', 'interrupted']);

/**
 * One conversation of a Cricket server, prompt after prompt: sends each prompt with an idempotency key,
 * prints the entities of its answer as they stream (from the client's converging timeline, so a
 * reconnection loses nothing), and returns when the answer has ended.
 *
 * The end is decided by the server, not guessed: when the timeline looks settled after the prompt's
 * user message (`isInferenceRunning`), or at every poll interval, the same request is repeated with
 * the same key, which returns the stored response with its current status without starting anything.
 */
export class ConversationChat {
  readonly #options: ConversationChatOptions;

  constructor(options: ConversationChatOptions) {
    this.#options = options;
  }

  /** Sends `prompt` and waits for its answer to end. Throws a `ChatClientError` when the server refuses it. */
  async ask(prompt: string): Promise<PromptOutcome> {
    const { client, profile } = this.#options;
    const call: ChatCall = {
      convId: client.convId,
      prompt,
      idempotencyKey: createIdempotencyKey(),
      ...(profile ? { profile } : {}),
    };
    const accepted = await client.send(prompt, {
      idempotencyKey: call.idempotencyKey,
      ...(profile ? { profile } : {}),
    });
    if (accepted.status === 'queued') this.#options.onQueued?.(accepted);
    const response = await this.#waitForEnd(call, accepted);
    this.#options.printer.finish();
    return { status: response.status, response };
  }

  #waitForEnd(call: ChatCall, first: ChatResponse): Promise<ChatResponse> {
    const { client, printer } = this.#options;
    const pollIntervalMs = this.#options.pollIntervalMs ?? 1_000;
    const settleGraceMs = this.#options.settleGraceMs ?? 3_000;
    return new Promise<ChatResponse>((resolve, reject) => {
      let response = first;
      let finishedAt: number | undefined;
      let checking = false;
      let recheck = false;
      let ended = false;

      const answerOf = (entities: readonly TimelineEntity[]): readonly TimelineEntity[] | undefined => {
        if (!response.turn_id) return undefined;
        const userId = `user-${response.turn_id}`;
        const index = entities.findIndex((entity) => entity.id === userId);
        return index < 0 ? undefined : entities.slice(index);
      };
      const end = (error?: unknown) => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        unsubscribe();
        if (error === undefined) resolve(response);
        else reject(error);
      };
      const check = async (poll: boolean) => {
        if (ended) return;
        if (checking) {
          recheck = true;
          return;
        }
        const answer = answerOf(client.getSnapshot().entities);
        if (answer) printer.update(answer.slice(1));
        const settled = answer !== undefined && !isInferenceRunning(answer);
        if (finishedAt !== undefined) {
          if (settled || Date.now() - finishedAt >= settleGraceMs) end();
          return;
        }
        // A queued prompt leaves the client's pending list when its user message appears: it started.
        const started =
          !response.turn_id && !client.pending.some((entry) => entry.idempotencyKey === call.idempotencyKey);
        if (!settled && !started && !poll) return;
        checking = true;
        try {
          // The same call with the same key: the stored response, with the request's current status.
          response = await client.api.chat(call);
          if (finishedStatuses.has(response.status)) {
            finishedAt = Date.now();
            const latest = answerOf(client.getSnapshot().entities);
            if (latest) printer.update(latest.slice(1));
            if (latest && !isInferenceRunning(latest)) end();
          }
        } catch (error) {
          end(error);
        } finally {
          checking = false;
        }
        if (recheck) {
          recheck = false;
          void check(false);
        }
      };
      const unsubscribe = client.subscribe(() => void check(false));
      const timer = setInterval(() => void check(true), pollIntervalMs);
      void check(false);
    });
  }
}
