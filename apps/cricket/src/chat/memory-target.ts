import {
  builtinTools,
  createEngineBuilder,
  type Engine,
  errorMessage,
  type InferenceHandle,
  isCancellation,
  Session,
  systemPromptMiddleware,
  ToolRegistry,
  toolResultReorderMiddleware,
} from '@cricket/core';
import type { EventPrinter } from '../terminal/event-printer.js';
import type { Spinner } from '../terminal/spinner.js';
import type { PromptTarget } from './prompt-target.js';

/** Settings of {@link MemoryTarget}. */
export interface MemoryTargetOptions {
  engine: Engine;
  system: string;
  /** Offer the built-in tools (calculator, current_time). */
  tools: boolean;
  /** Prints the events; its `beforeOutput` should stop `spinner`. */
  printer: EventPrinter;
  /** Shown while an answer has printed nothing yet. */
  spinner: Spinner;
  /** Where failures are reported (stderr); undefined in JSON mode, where the error event says it. */
  err?: NodeJS.WritableStream;
}

/**
 * Prompts answered by one in-memory {@link Session} (nothing is stored): every prompt continues the
 * session, events print as they are published.
 */
export class MemoryTarget implements PromptTarget {
  readonly session: Session;
  readonly #err: NodeJS.WritableStream | undefined;
  readonly #spinner: Spinner;
  #handle: InferenceHandle | undefined;

  constructor(options: MemoryTargetOptions) {
    this.#err = options.err;
    this.#spinner = options.spinner;
    this.session = new Session({
      builder: createEngineBuilder({
        engine: options.engine,
        middlewares: [systemPromptMiddleware(options.system), toolResultReorderMiddleware()],
        ...(options.tools ? { registry: new ToolRegistry(builtinTools()) } : {}),
        sinks: [options.printer],
      }),
    });
  }

  async ask(prompt: string): Promise<boolean> {
    this.session.appendNewTurnFromUserPrompt(prompt);
    const handle = this.session.startInference();
    this.#handle = handle;
    this.#spinner.start('waiting for the answer');
    try {
      await handle.wait();
      return true;
    } catch (error) {
      this.#spinner.stop();
      if (isCancellation(error)) return true;
      this.#err?.write(`cricket: ${errorMessage(error)}\n`);
      return false;
    } finally {
      this.#spinner.stop();
      this.#handle = undefined;
    }
  }

  stop(): void {
    this.#handle?.cancel();
  }

  async close(): Promise<void> {}
}
