import ora, { type Ora } from 'ora';

/**
 * A spinner with a status text on a terminal stream while a command waits (for the first token of an
 * answer, for a long migration, …). Only on an interactive terminal: on pipes, in CI, on dumb
 * terminals or when disabled (`--json`) it does nothing, so scripts never see spinner frames. It never
 * touches stdin (the chat prompt keeps reading it).
 */
export class Spinner {
  readonly #ora: Ora | undefined;

  constructor(stream: NodeJS.WriteStream, enabled: boolean) {
    // ora itself stays silent unless `stream` is an interactive terminal (a TTY, TERM not dumb, not CI).
    this.#ora = enabled ? ora({ stream, discardStdin: false, hideCursor: false }) : undefined;
  }

  /** Shows (or updates) the spinner with `text`. */
  start(text: string): void {
    if (!this.#ora) return;
    if (this.#ora.isSpinning) this.#ora.text = text;
    else this.#ora.start(text);
  }

  /** Removes the spinner line (before anything else is written to the terminal). */
  stop(): void {
    if (this.#ora?.isSpinning) this.#ora.stop();
  }
}
