// Request/response over a forked child's IPC channel (the helper processes on core 1).

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

interface Reply {
  replyTo: number;
  result?: unknown;
  error?: string;
}

/** An unsolicited message from a helper (progress reports). */
export interface HelperEvent {
  event: string;
  [key: string]: unknown;
}

/** The parent's handle on a helper process. */
export class Helper {
  readonly child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #listeners = new Set<(event: HelperEvent) => void>();
  #next = 1;
  #exited = false;

  constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (message: unknown) => {
      const reply = message as Partial<Reply> & Partial<HelperEvent>;
      if (typeof reply.replyTo === 'number') {
        const pending = this.#pending.get(reply.replyTo);
        this.#pending.delete(reply.replyTo);
        if (reply.error !== undefined) pending?.reject(new Error(`helper: ${reply.error}`));
        else pending?.resolve(reply.result);
        return;
      }
      if (typeof reply.event === 'string') for (const listener of this.#listeners) listener(reply as HelperEvent);
    });
    child.on('exit', (code, signal) => {
      this.#exited = true;
      for (const pending of this.#pending.values()) pending.reject(new Error(`helper exited (${code ?? signal})`));
      this.#pending.clear();
    });
  }

  /** Sends a command and resolves with the helper's result. */
  request<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.#exited) return Promise.reject(new Error('helper already exited'));
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command, args });
    });
  }

  /** Subscribes to unsolicited events; returns the unsubscribe function. */
  onEvent(listener: (event: HelperEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Asks the helper to exit and waits for it (kills it after `graceMs`). */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#exited) return;
    const exited = once(this.child, 'exit');
    this.child.send({ id: 0, command: 'exit', args: {} });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Child side: answers requests with `handlers[command](args)`; `exit` ends the process. */
export function serveRequests(
  handlers: Record<string, (args: Record<string, unknown>) => unknown | Promise<unknown>>,
): void {
  process.on('message', (message: unknown) => {
    const { id, command, args } = message as { id: number; command: string; args: Record<string, unknown> };
    if (command === 'exit') {
      process.exit(0);
    }
    const handler = handlers[command];
    const reply = (payload: Omit<Reply, 'replyTo'>) => process.send?.({ replyTo: id, ...payload });
    if (!handler) {
      reply({ error: `unknown command ${command}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

/** Child side: sends an unsolicited event to the parent. */
export function sendEvent(event: HelperEvent): void {
  process.send?.(event);
}
