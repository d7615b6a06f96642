import { randomUUID } from 'node:crypto';
import { SessionError } from '../errors/session-error.js';
import type { EngineBuilder } from '../tool-loop/engine-builder.js';
import { type ImageRef, userBlock } from '../turns/block.js';
import { cloneTurn, createTurn, type Turn } from '../turns/turn.js';
import { inferenceIdKey, sessionIdKey } from '../turns/well-known-keys.js';
import { InferenceHandle } from './inference-handle.js';

/** Options of {@link Session}. */
export interface SessionOptions {
  /** Session id (default: a new UUID). */
  id?: string;
  builder?: EngineBuilder;
  /** Existing history, oldest first (e.g. restored from a store). */
  turns?: Turn[];
}

/** Options of {@link Session.startInference}. */
export interface StartInferenceOptions {
  /** An outer signal that also cancels the inference. */
  signal?: AbortSignal;
  /** Use this inference id instead of a new UUID. */
  inferenceId?: string;
}

/**
 * The inference history of a conversation: an append-only list of Turn snapshots, with at most one
 * active inference. A new prompt clones the latest turn and appends user blocks; an inference then
 * mutates that latest turn in place. Earlier turns are never touched again.
 */
export class Session {
  /** The session id, stamped on every turn and event. */
  id: string;
  builder: EngineBuilder | undefined;
  readonly #turns: Turn[];
  #active: InferenceHandle | undefined;

  constructor(options: SessionOptions = {}) {
    this.id = options.id ?? randomUUID();
    this.builder = options.builder;
    this.#turns = [...(options.turns ?? [])];
  }

  /** The history, oldest first (a copy of the list; the turns themselves are live). */
  get turns(): readonly Turn[] {
    return [...this.#turns];
  }

  /** The latest turn, if any. */
  latest(): Turn | undefined {
    return this.#turns.at(-1);
  }

  /** True while an inference is running. */
  isRunning(): boolean {
    return this.#active?.isRunning() ?? false;
  }

  /** The running inference, if any. */
  activeInference(): InferenceHandle | undefined {
    return this.isRunning() ? this.#active : undefined;
  }

  /** Appends a turn, stamping the session id when it is missing. Refused while an inference runs. */
  append(turn: Turn): void {
    this.#checkIdle();
    if (!readString(turn, sessionIdKey)) turn.metadata.set(sessionIdKey, this.id);
    this.#turns.push(turn);
  }

  /** See {@link appendNewTurnFromUserPrompts}. */
  appendNewTurnFromUserPrompt(prompt: string, images?: ImageRef[]): Turn {
    return this.#appendPrompts([{ text: prompt, images }]);
  }

  /**
   * Appends a new turn: a clone of the latest turn (or an empty turn) with a fresh id and one user block
   * per non-empty prompt. Throws `SessionError` (`session-id-empty`, `session-already-active`).
   */
  appendNewTurnFromUserPrompts(...prompts: string[]): Turn {
    return this.#appendPrompts(prompts.map((text) => ({ text })));
  }

  #appendPrompts(prompts: { text: string; images?: ImageRef[] | undefined }[]): Turn {
    this.#checkIdle();
    const base = this.latest();
    const turn = base ? cloneTurn(base) : createTurn();
    turn.id = randomUUID();
    for (const prompt of prompts) {
      if (prompt.text || (prompt.images && prompt.images.length > 0))
        turn.blocks.push(userBlock(prompt.text, prompt.images));
    }
    this.append(turn);
    return turn;
  }

  /**
   * Starts an inference on the latest turn and returns its handle at once. The turn is mutated in
   * place; when it settles, the latest history entry holds the result. Throws `SessionError`:
   * `session-id-empty`, `session-builder-missing`, `session-already-active`, `session-empty-turn` (in
   * that order of checks).
   */
  startInference(options: StartInferenceOptions = {}): InferenceHandle {
    if (!this.id) throw new SessionError('session-id-empty');
    if (!this.builder) throw new SessionError('session-builder-missing');
    if (this.isRunning()) throw new SessionError('session-already-active');
    const input = this.latest();
    if (!input || input.blocks.length === 0) throw new SessionError('session-empty-turn');

    const inferenceId = options.inferenceId ?? randomUUID();
    if (!input.id) input.id = randomUUID();
    input.metadata.set(sessionIdKey, this.id);
    input.metadata.set(inferenceIdKey, inferenceId);
    const runner = this.builder.build(this.id);

    const controller = new AbortController();
    if (options.signal) {
      const outer = options.signal;
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    }
    const work = (async () => {
      const output = await runner.infer(input, { signal: controller.signal, sessionId: this.id, inferenceId });
      if (output !== input) adoptInto(input, output);
      input.metadata.set(sessionIdKey, this.id);
      input.metadata.set(inferenceIdKey, inferenceId);
      return input;
    })();
    const handle = new InferenceHandle(this.id, inferenceId, input, controller, work);
    this.#active = handle;
    return handle;
  }

  /** Cancels the running inference. Throws `SessionError('session-no-active')` when none runs. */
  cancelActive(reason?: unknown): InferenceHandle {
    const active = this.activeInference();
    if (!active) throw new SessionError('session-no-active');
    active.cancel(reason);
    return active;
  }

  #checkIdle(): void {
    if (!this.id) throw new SessionError('session-id-empty');
    if (this.isRunning()) throw new SessionError('session-already-active');
  }
}

/** Copies a foreign result turn into the canonical history turn object. */
function adoptInto(target: Turn, source: Turn): void {
  target.id = source.id || target.id;
  target.blocks = source.blocks;
  target.metadata = source.metadata;
  target.data = source.data;
}

function readString(turn: Turn, key: typeof sessionIdKey): string | undefined {
  try {
    return turn.metadata.get(key);
  } catch {
    return undefined;
  }
}
