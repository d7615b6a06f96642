import { randomUUID } from 'node:crypto';
import { errorMessage, type Turn } from '@cricket/core';
import type { ConversationSummary } from '@cricket/protocol';
import { ConversationRuntime } from './conversation-runtime.js';
import type { ServerServices } from './server-services.js';
import { decodeTurnPayload } from './turn-payload.js';

/** Idle eviction settings (the reference's defaults: 300 s idle, swept every 60 s). */
export interface EvictionOptions {
  idleMs: number;
  intervalMs: number;
}

/**
 * Owns the live conversations. A conversation not in memory is restored from the database on first
 * use (its session continues from the latest turn snapshot, its queue from the stored records), so
 * eviction and restarts lose nothing but memory.
 */
export class ConversationManager {
  readonly #services: ServerServices;
  readonly #live = new Map<string, ConversationRuntime>();
  readonly #isConnected: (convId: string) => boolean;
  #sweep: NodeJS.Timeout | undefined;

  constructor(services: ServerServices, isConnected: (convId: string) => boolean) {
    this.#services = services;
    this.#isConnected = isConnected;
  }

  /** The conversation, restored from the database when needed; `undefined` when it never existed. */
  get(convId: string): ConversationRuntime | undefined {
    const live = this.#live.get(convId);
    if (live) return live;
    const record = this.#services.conversations.get(convId);
    if (!record) return undefined;
    const runtime = new ConversationRuntime(
      this.#services,
      record,
      this.#restoreHistory(record.sessionId),
      this.#services.requests.queued(convId),
    );
    this.#live.set(convId, runtime);
    return runtime;
  }

  /** The conversation, created with `profile` when it does not exist. */
  getOrCreate(convId: string, profile: string): ConversationRuntime {
    const existing = this.get(convId);
    if (existing) return existing;
    const now = this.#services.now();
    const record = { convId, sessionId: randomUUID(), profile, createdAtMs: now, lastActivityMs: now };
    this.#services.conversations.save(record);
    const runtime = new ConversationRuntime(this.#services, record, [], []);
    this.#live.set(convId, runtime);
    return runtime;
  }

  /** Summaries for `/api/conversations`, most recently active first. */
  list(limit = 200): ConversationSummary[] {
    return this.#services.conversations.list({ limit }).map((record) => {
      const live = this.#live.get(record.convId);
      return {
        conv_id: record.convId,
        profile: live?.profileSlug ?? record.profile,
        session_id: record.sessionId,
        created_at_ms: record.createdAtMs,
        last_activity_ms: live?.lastActivityMs ?? record.lastActivityMs,
        // From the log, not the pipeline: listing must not load every conversation's working set.
        last_seq: this.#services.eventLog.lastSeq(record.convId),
        running: live?.isBusy() ?? false,
        queue_depth: live?.queueDepth() ?? 0,
        ...(record.title ? { title: record.title } : {}),
      };
    });
  }

  /** Live conversations. */
  live(): ConversationRuntime[] {
    return [...this.#live.values()];
  }

  /**
   * Repairs what a crash left behind, then resumes queued prompts: requests still `running` are marked
   * `interrupted`; their conversations get an `error` frame saying so, their streaming messages are
   * closed and their running tool cards end in error — all persisted like any other frame.
   */
  recover(): void {
    const services = this.#services;
    const affected = new Set<string>();
    for (const record of services.requests.unfinished()) {
      record.status = 'interrupted';
      record.error = 'the server restarted during this inference';
      record.completedAtMs = services.now();
      record.response = { ...record.response, status: 'interrupted' };
      services.requests.update(record);
      affected.add(record.convId);
    }
    for (const convId of affected) {
      const runtime = this.get(convId);
      if (!runtime) continue;
      for (const { entity } of services.timeline.entities(convId)) {
        if (entity.kind === 'message' && entity.message?.streaming) {
          const type = entity.message.role === 'thinking' ? 'llm.thinking.final' : 'llm.final';
          if (type === 'llm.final') {
            services.pipeline.emit(
              convId,
              {
                type,
                id: entity.id,
                data: {
                  id: entity.id,
                  text: latestStreamedText(services, convId, entity.id) ?? entity.message.content ?? '',
                },
                metadata: { stopReason: 'interrupted' },
              },
              { sessionId: runtime.sessionId },
            );
          } else {
            const thinking = latestStreamedText(services, convId, entity.id);
            if (thinking !== undefined && thinking !== entity.message.content) {
              services.pipeline.emit(
                convId,
                { type: 'llm.thinking.delta', id: entity.id, data: { id: entity.id, delta: '', cumulative: thinking } },
                { sessionId: runtime.sessionId },
              );
            }
            services.pipeline.emit(
              convId,
              { type, id: entity.id, data: { id: entity.id } },
              { sessionId: runtime.sessionId },
            );
          }
        }
        if (entity.kind === 'tool_call' && entity.toolCall?.status === 'running') {
          const error = 'interrupted: the server restarted';
          services.pipeline.emit(
            convId,
            { type: 'tool.result', id: entity.id, data: { id: entity.id, result: `Error: ${error}`, error } },
            { sessionId: runtime.sessionId },
          );
          services.pipeline.emit(
            convId,
            { type: 'tool.done', id: entity.id, data: { id: entity.id } },
            { sessionId: runtime.sessionId },
          );
        }
      }
      const id = `error-restart-${randomUUID()}`;
      services.pipeline.emit(
        convId,
        {
          type: 'error',
          id,
          data: {
            id,
            message: 'The server restarted while an answer was being generated; it was interrupted.',
            code: 'interrupted',
            blame: 'system',
          },
        },
        { sessionId: runtime.sessionId },
      );
    }
    for (const record of services.conversations.list({ limit: 10_000 })) {
      if (services.requests.queued(record.convId).length > 0) this.get(record.convId)?.drain();
    }
  }

  /** Starts the idle-eviction sweep. */
  startEviction(options: EvictionOptions): void {
    if (options.idleMs <= 0 || options.intervalMs <= 0 || this.#sweep) return;
    this.#sweep = setInterval(() => this.evictIdle(options.idleMs), options.intervalMs);
    this.#sweep.unref();
  }

  /**
   * Drops conversations that have no socket, no running or queued inference, and no activity for
   * `idleMs`. Returns the evicted ids. Everything they hold is in the database already.
   */
  evictIdle(idleMs: number): string[] {
    const now = this.#services.now();
    const evicted: string[] = [];
    for (const [convId, runtime] of this.#live) {
      if (this.#isConnected(convId) || runtime.isBusy() || runtime.queueDepth() > 0) continue;
      if (now - runtime.lastActivityMs < idleMs) continue;
      this.#live.delete(convId);
      this.#services.pipeline.forget(convId);
      evicted.push(convId);
    }
    return evicted;
  }

  /**
   * Graceful shutdown: waits up to `graceMs` for running inferences to finish, then cancels the rest
   * (their partial text is kept and they are marked interrupted). Queued prompts stay queued in the
   * database and resume at the next start.
   */
  async shutdown(graceMs: number): Promise<void> {
    if (this.#sweep) clearInterval(this.#sweep);
    for (const runtime of this.#live.values()) runtime.beginShutdown();
    const busy = this.live().filter((runtime) => runtime.isBusy());
    const settled = Promise.all(
      busy.map((runtime) =>
        runtime.session
          .activeInference()
          ?.wait()
          .catch(() => undefined),
      ),
    );
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([settled.then(() => 'done' as const), timeout])) === 'timeout') {
      for (const runtime of busy) runtime.stop();
      await settled;
    }
  }

  #restoreHistory(sessionId: string): Turn[] {
    const latest = this.#services.turns.latestForSession(sessionId);
    if (!latest) return [];
    try {
      return [decodeTurnPayload(latest.payload)];
    } catch (error) {
      this.#services.logger.error(
        { session_id: sessionId, error: errorMessage(error) },
        'cannot restore the latest turn; the session starts empty',
      );
      return [];
    }
  }
}

/**
 * The text a client last saw for a streaming message: the `cumulative` of its latest delta in the
 * event log (the timeline write of deltas is throttled, the event log has every delta).
 */
function latestStreamedText(services: ServerServices, convId: string, entityId: string): string | undefined {
  const frame = services.eventLog.latestForEntity(convId, entityId);
  if (!frame || (frame.type !== 'llm.delta' && frame.type !== 'llm.thinking.delta')) return undefined;
  try {
    const parsed = JSON.parse(frame.frame) as { event?: { data?: { cumulative?: unknown } } };
    const text = parsed.event?.data?.cumulative;
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}
