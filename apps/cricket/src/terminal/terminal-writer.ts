import { styleText } from 'node:util';

/** A `node:util` `styleText` format (`dim`, `red`, …). */
export type TextStyle = Parameters<typeof styleText>[0];

/**
 * Writes streamed text and whole lines to a terminal stream, remembering whether the cursor is at the
 * start of a line so a line never starts in the middle of streamed text. Styles apply only when
 * `color` is on (off for pipes and `NO_COLOR`).
 */
export class TerminalWriter {
  readonly #out: NodeJS.WritableStream;
  readonly #color: boolean;
  readonly #beforeWrite: (() => void) | undefined;
  #atLineStart = true;

  /** `beforeWrite` runs before every write (e.g. to clear a spinner from the terminal). */
  constructor(out: NodeJS.WritableStream, color: boolean, beforeWrite?: () => void) {
    this.#out = out;
    this.#color = color;
    this.#beforeWrite = beforeWrite;
  }

  get atLineStart(): boolean {
    return this.#atLineStart;
  }

  /** Streamed text, as is. */
  write(text: string): void {
    if (!text) return;
    this.#beforeWrite?.();
    this.#out.write(text);
    this.#atLineStart = text.endsWith('\n');
  }

  /** Ends the current line, if any text is on it. */
  endLine(): void {
    if (!this.#atLineStart) this.write('\n');
  }

  /** `text` on a line of its own (`newline: false` leaves the cursor after it, for text that streams on). */
  line(text: string, newline = true): void {
    this.endLine();
    this.write(newline ? `${text}\n` : text);
  }

  style(style: TextStyle, text: string): string {
    return this.#color ? styleText(style, text) : text;
  }
}
