import { randomUUID } from 'node:crypto';

/** Where the tool loop pauses in step mode. */
export type PausePhase = 'after_inference' | 'after_tools';

/** A pending pause. */
export interface StepPause {
  pauseId: string;
  sessionId: string;
  phase: PausePhase;
  summary: string;
  /** Epoch milliseconds after which the pause continues by itself. */
  deadlineMs: number;
  extra: Record<string, unknown>;
}

/**
 * Step mode ("debugger"): when enabled for a session, the tool loop stops after each engine call and
 * after each tool batch until someone calls `continue(pauseId)`, the deadline passes, or the session
 * is disabled. Pauses are in-memory; a restarted process simply has none.
 */
export class StepController {
  readonly #enabled = new Map<string, Record<string, unknown>>();
  readonly #waiters = new Map<string, { pause: StepPause; release: () => void }>();
  readonly #defaultTimeoutMs: number;

  /** `defaultTimeoutMs`: auto-continue delay of a pause (default 30 s). */
  constructor(defaultTimeoutMs = 30_000) {
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  /** Enables step mode for a session; `scope` (e.g. `{conversation_id}`) is copied into pause extras. */
  enable(sessionId: string, scope: Record<string, unknown> = {}): void {
    if (sessionId) this.#enabled.set(sessionId, scope);
  }

  /** Disables step mode for a session and releases all of its pauses. */
  disable(sessionId: string): void {
    this.#enabled.delete(sessionId);
    for (const [pauseId, waiter] of this.#waiters) {
      if (waiter.pause.sessionId === sessionId) this.#release(pauseId);
    }
  }

  /** True when step mode is on for the session. */
  isEnabled(sessionId: string): boolean {
    return this.#enabled.has(sessionId);
  }

  /** Pending pauses (for debug APIs). */
  pending(): StepPause[] {
    return [...this.#waiters.values()].map((waiter) => waiter.pause);
  }

  /** A pending pause by id. */
  lookup(pauseId: string): StepPause | undefined {
    return this.#waiters.get(pauseId)?.pause;
  }

  /**
   * Registers a pause and returns it with a promise that resolves when it is continued, times out,
   * the session is disabled, or `signal` fires. Returns `undefined` when step mode is off.
   */
  pause(
    sessionId: string,
    phase: PausePhase,
    summary: string,
    extra: Record<string, unknown>,
    signal: AbortSignal,
    timeoutMs = this.#defaultTimeoutMs,
  ): { pause: StepPause; continued: Promise<void> } | undefined {
    const scope = this.#enabled.get(sessionId);
    if (!scope) return undefined;
    const pause: StepPause = {
      pauseId: randomUUID(),
      sessionId,
      phase,
      summary,
      deadlineMs: Date.now() + timeoutMs,
      extra: { ...scope, ...extra },
    };
    const continued = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#release(pause.pauseId), timeoutMs);
      const onAbort = () => this.#release(pause.pauseId);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(pause.pauseId, {
        pause,
        release: () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      if (signal.aborted) this.#release(pause.pauseId);
    });
    return { pause, continued };
  }

  /** Continues a pause; returns it, or `undefined` when no such pause is pending. */
  continue(pauseId: string): StepPause | undefined {
    const pause = this.#waiters.get(pauseId)?.pause;
    this.#release(pauseId);
    return pause;
  }

  #release(pauseId: string): void {
    const waiter = this.#waiters.get(pauseId);
    if (!waiter) return;
    this.#waiters.delete(pauseId);
    waiter.release();
  }
}
