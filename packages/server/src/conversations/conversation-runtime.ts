import {
  appendToolResults,
  createEngineBuilder,
  errorMessage,
  type InferenceEvent,
  type InferenceHandle,
  isCancellation,
  isCricketError,
  pendingToolCalls,
  Session,
  systemPromptMiddleware,
  ToolRegistry,
  type Turn,
  toolResultReorderMiddleware,
} from '@cricket/core';
import type { ChatResponse } from '@cricket/protocol';
import { contributedTools } from '../middlewares/index.js';
import { applyOverrides, isStepModeRequested } from '../profiles/apply-overrides.js';
import type { Profile } from '../profiles/profile.js';
import type { ConversationRecord } from '../stores/conversation-store.js';
import type { ChatRequestRecord } from '../stores/request-store.js';
import { EventTranslator } from '../streaming/event-translator.js';
import type { ChatOutcome, ChatSubmission } from './chat-submission.js';
import type { ServerServices } from './server-services.js';
import { encodeTurnPayload } from './turn-payload.js';

const titleLength = 80;

/**
 * One conversation: its session (the inference history), its FIFO of waiting prompts and the events of
 * its inferences flowing into the frame pipeline. At most one inference runs at a time; prompts that
 * arrive meanwhile wait in order and start when the previous inference ends, whatever its outcome.
 * Closing a socket never cancels anything; only `stop()` (and shutdown) does.
 */
export class ConversationRuntime {
  readonly convId: string;
  readonly sessionId: string;
  readonly session: Session;
  readonly createdAtMs: number;
  profileSlug: string;
  lastActivityMs: number;
  readonly #services: ServerServices;
  readonly #translator = new EventTranslator();
  readonly #queue: ChatRequestRecord[];
  readonly #inferencesWithErrorFrame = new Set<string>();
  #active: { record: ChatRequestRecord; handle: InferenceHandle } | undefined;
  #title: string | undefined;
  #idleWaiters: (() => void)[] = [];
  #closing = false;
  #lastSnapshotMs = 0;

  constructor(services: ServerServices, record: ConversationRecord, history: Turn[], queue: ChatRequestRecord[]) {
    this.#services = services;
    this.convId = record.convId;
    this.sessionId = record.sessionId;
    this.profileSlug = record.profile;
    this.createdAtMs = record.createdAtMs;
    this.lastActivityMs = record.lastActivityMs;
    this.#title = record.title;
    this.session = new Session({ id: record.sessionId, turns: history });
    this.#queue = [...queue];
    const latest = this.session.latest();
    if (latest) closeDanglingToolCalls(latest);
  }

  /** True while an inference runs. */
  isBusy(): boolean {
    return this.#active !== undefined || this.session.isRunning();
  }

  /** Number of prompts waiting. */
  queueDepth(): number {
    return this.#queue.length;
  }

  /** The running inference's id, if any. */
  activeInferenceId(): string | undefined {
    return this.#active?.handle.inferenceId;
  }

  /**
   * Handles one `/chat` submission: replays a known idempotency key (422-style conflict when the body
   * differs), queues behind a running inference (or refuses when the queue is full), or starts now.
   */
  submit(submission: ChatSubmission): ChatOutcome {
    if (this.#closing) return { kind: 'unavailable', message: 'the server is shutting down' };
    const existing = this.#services.requests.get(submission.idempotencyKey);
    if (existing) {
      if (existing.requestHash !== submission.requestHash) {
        return {
          kind: 'conflict',
          message: `idempotency key ${JSON.stringify(submission.idempotencyKey)} was already used with a different request`,
        };
      }
      return {
        kind: 'replayed',
        httpStatus: existing.status === 'queued' ? 202 : 200,
        response: { ...existing.response, status: existing.status === 'running' ? 'started' : existing.status },
      };
    }
    const now = this.#services.now();
    this.#touch(now, submission.prompt);
    const base = { conv_id: this.convId, session_id: this.sessionId, idempotency_key: submission.idempotencyKey };
    if (this.isBusy() || this.#queue.length > 0) {
      if (this.#queue.length >= this.#services.limits.maxQueueDepth) {
        return {
          kind: 'queue-full',
          message: `conversation ${this.convId} already has ${this.#queue.length} prompts waiting`,
        };
      }
      const position = this.#queue.length + 1;
      const response: ChatResponse = { status: 'queued', ...base, queue_position: position, queue_depth: position };
      const record = this.#newRecord(submission, 'queued', response, now);
      this.#services.requests.insert(record);
      this.#queue.push(record);
      return { kind: 'queued', response };
    }
    const record = this.#newRecord(submission, 'running', { status: 'running', ...base }, now);
    this.#services.requests.insert(record);
    this.#start(record);
    // Fix: an inference that could not even start (engine or middleware construction failed) was
    // answered 200 with `status: "error"`; it is a server-side failure (reference: 500). The error
    // frame and entity are still emitted, and the record keeps `error` for replays.
    if (record.status === 'error') return { kind: 'failed', message: record.error ?? 'unknown error' };
    return { kind: 'started', response: record.response };
  }

  /** Cancels the running inference (partial text is kept). */
  stop(): { stopped: boolean; inferenceId?: string } {
    const active = this.#active;
    if (!active?.handle.isRunning()) return { stopped: false };
    active.handle.cancel(new Error('stopped by the user'));
    return { stopped: true, inferenceId: active.handle.inferenceId };
  }

  /** Stops starting new inferences (shutdown): submissions are refused, queued prompts stay queued. */
  beginShutdown(): void {
    this.#closing = true;
  }

  /** Resolves when no inference runs and nothing is queued. */
  whenIdle(): Promise<void> {
    if (!this.isBusy() && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts queued prompts (after a restart, or when the active inference ended). */
  drain(): void {
    while (!this.#closing && !this.isBusy() && this.#queue.length > 0) {
      const record = this.#queue.shift() as ChatRequestRecord;
      this.#start(record);
    }
    if (!this.isBusy() && this.#queue.length === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #newRecord(
    submission: ChatSubmission,
    status: 'queued' | 'running',
    response: ChatResponse,
    now: number,
  ): ChatRequestRecord {
    return {
      idempotencyKey: submission.idempotencyKey,
      convId: this.convId,
      requestHash: submission.requestHash,
      status,
      response,
      prompt: submission.prompt,
      profile: submission.profile,
      ...(submission.overrides ? { overrides: submission.overrides } : {}),
      enqueuedAtMs: now,
    };
  }

  #start(record: ChatRequestRecord): void {
    const services = this.#services;
    let handle: InferenceHandle;
    let turn: Turn;
    try {
      const profile = this.#resolveProfile(record);
      this.profileSlug = profile.slug;
      this.session.builder = this.#builderFor(profile);
      turn = this.session.appendNewTurnFromUserPrompt(record.prompt);
      if (record.prompt.trim()) {
        services.pipeline.upsertEntity(
          this.convId,
          {
            id: `user-${turn.id}`,
            kind: 'message',
            message: { schemaVersion: 1, role: 'user', content: record.prompt },
          },
          { sessionId: this.sessionId, turnId: turn.id },
        );
      }
      if (isStepModeRequested(record.overrides))
        services.stepController.enable(this.sessionId, { conversation_id: this.convId });
      handle = this.session.startInference();
    } catch (error) {
      if (!isCancellation(error)) this.#showError(record, error, undefined);
      this.#finish(record, error, undefined);
      return;
    }
    record.status = 'running';
    record.startedAtMs = services.now();
    record.response = {
      status: 'started',
      conv_id: this.convId,
      session_id: this.sessionId,
      idempotency_key: record.idempotencyKey,
      turn_id: turn.id,
      inference_id: handle.inferenceId,
    };
    services.requests.update(record);
    this.#active = { record, handle };
    handle.wait().then(
      () => this.#settle(record, undefined, handle.inferenceId),
      (error: unknown) => this.#settle(record, error, handle.inferenceId),
    );
  }

  /**
   * The inference ended: its error frame (when one is due) is emitted, and the inference stays
   * `running` until the pipeline has committed every frame queued so far. So whoever sees the
   * conversation idle (`/api/conversations`) or the request finished (a `/chat` replay) finds the
   * whole answer — final text, stop reason, error entity — in `/timeline`, not the last throttled write.
   */
  async #settle(record: ChatRequestRecord, error: unknown, inferenceId: string | undefined): Promise<void> {
    if (error !== undefined && !isCancellation(error)) this.#showError(record, error, inferenceId);
    await this.#services.pipeline.flushed();
    this.#finish(record, error, inferenceId);
  }

  /** Emits the error frame of a failed request, unless the engine already reported this inference's failure. */
  #showError(record: ChatRequestRecord, error: unknown, inferenceId: string | undefined): void {
    const alreadyShown = inferenceId !== undefined && this.#inferencesWithErrorFrame.has(inferenceId);
    if (!alreadyShown) this.#emitError(error, inferenceId ?? record.idempotencyKey, inferenceId);
    if (inferenceId) this.#inferencesWithErrorFrame.add(inferenceId);
  }

  #finish(record: ChatRequestRecord, error: unknown, inferenceId: string | undefined): void {
    const services = this.#services;
    if (this.#active?.record === record) this.#active = undefined;
    if (error === undefined) record.status = 'completed';
    else if (isCancellation(error)) record.status = 'interrupted';
    else {
      record.status = 'error';
      record.error = errorMessage(error);
    }
    if (inferenceId) this.#inferencesWithErrorFrame.delete(inferenceId);
    record.completedAtMs = services.now();
    record.response = { ...record.response, status: record.status };
    services.requests.update(record);
    this.#touch(services.now());
    if (error !== undefined && !isCancellation(error)) {
      services.logger.warn(
        { conv_id: this.convId, inference_id: inferenceId, error: errorMessage(error) },
        'inference failed',
      );
    }
    this.drain();
  }

  /**
   * `key` names the error entity; `inferenceId` is set only when an inference exists (a start failure
   * has none — its idempotency key used to be reported as the inference id).
   */
  #emitError(error: unknown, key: string, inferenceId: string | undefined): void {
    const id = `error-${key}`;
    this.#services.pipeline.emit(
      this.convId,
      {
        type: 'error',
        id,
        data: {
          id,
          message: errorMessage(error),
          code: isCricketError(error) ? error.code : 'internal',
          blame: isCricketError(error) ? error.blame : 'system',
          ...(inferenceId ? { inferenceId } : {}),
        },
      },
      { sessionId: this.sessionId, ...(inferenceId ? { inferenceId } : {}) },
    );
  }

  #resolveProfile(record: ChatRequestRecord): Profile {
    const profile = this.#services.profiles.get(record.profile);
    if (!profile) throw new Error(`profile not found: ${record.profile}`);
    return applyOverrides(profile, record.overrides);
  }

  #builderFor(profile: Profile) {
    const services = this.#services;
    const context = { convId: this.convId, sessionId: this.sessionId, profile };
    const middlewares = profile.middlewares.map((spec) => {
      const factory = services.middlewares[spec.name];
      if (!factory) throw new Error(`unknown middleware: ${spec.name}`);
      return factory(spec.config ?? {}, context);
    });
    const offered = services.tools().filter((tool) => profile.tools === null || profile.tools.includes(tool.name));
    // Middlewares may contribute tools (the SQL tool); naming the middleware in the profile opts in.
    const registry = new ToolRegistry(offered).merge(new ToolRegistry(middlewares.flatMap(contributedTools)));
    return createEngineBuilder({
      engine: services.createEngine(profile),
      middlewares: [toolResultReorderMiddleware(), ...middlewares, systemPromptMiddleware(profile.systemPrompt)],
      registry,
      ...(profile.toolConfig ? { toolConfig: profile.toolConfig } : {}),
      ...(profile.maxIterations ? { maxIterations: profile.maxIterations } : {}),
      sinks: [{ publish: (event: InferenceEvent) => this.#onEvent(event) }],
      onSinkError: (error) =>
        services.logger.error({ conv_id: this.convId, error: errorMessage(error) }, 'event sink failed'),
      snapshot: (turn, phase) => {
        // Serialise now (the turn keeps changing); write with the next group commit. Snapshot times
        // strictly increase so two phases in one millisecond never collide on the table's key.
        const record = {
          conv_id: this.convId,
          session_id: this.sessionId,
          turn_id: turn.id || 'turn',
          phase,
          created_at_ms: this.#nextSnapshotTime(),
          payload: encodeTurnPayload(turn),
        };
        services.pipeline.defer(this.convId, () => services.turns.save(record));
      },
      stepController: services.stepController,
    });
  }

  #nextSnapshotTime(): number {
    this.#lastSnapshotMs = Math.max(this.#services.now(), this.#lastSnapshotMs + 1);
    return this.#lastSnapshotMs;
  }

  #onEvent(event: InferenceEvent): void {
    if (event.type === 'error' && event.meta.inference_id) this.#inferencesWithErrorFrame.add(event.meta.inference_id);
    const correlation = {
      sessionId: event.meta.session_id ?? this.sessionId,
      ...(event.meta.inference_id ? { inferenceId: event.meta.inference_id } : {}),
      ...(event.meta.turn_id ? { turnId: event.meta.turn_id } : {}),
    };
    for (const frame of this.#translator.translate(event))
      this.#services.pipeline.emit(this.convId, frame, correlation);
  }

  #touch(now: number, prompt?: string): void {
    this.lastActivityMs = now;
    const title = !this.#title && prompt?.trim() ? prompt.trim().slice(0, titleLength) : undefined;
    if (title) this.#title = title;
    this.#services.conversations.touch(this.convId, now, title);
  }
}

/** A turn restored after a crash may end in tool calls that never got results: close them. */
function closeDanglingToolCalls(turn: Turn): void {
  const pending = pendingToolCalls(turn);
  if (pending.length > 0)
    appendToolResults(
      turn,
      pending.map((call) => ({ id: call.id, error: 'interrupted: the server restarted' })),
    );
}
