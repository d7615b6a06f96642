import { styleText } from 'node:util';
import { type EventSink, encodeEvent, type InferenceEvent } from '@cricket/core';

type Style = Parameters<typeof styleText>[0];

/** Where and how the printer writes. */
export interface EventPrinterOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Colours and dim thinking text (off for pipes and NO_COLOR). */
  color: boolean;
  /** Print every event as one JSON line instead of text. */
  json: boolean;
}

/**
 * Renders inference events to a terminal: assistant text streams as it arrives, thinking is dimmed,
 * tool calls and results get one line each, errors go to stderr. In JSON mode every event is one
 * NDJSON line (decodable with `decodeEvent`).
 */
export class EventPrinter implements EventSink {
  readonly #options: EventPrinterOptions;
  #atLineStart = true;
  #thinking = false;

  constructor(options: EventPrinterOptions) {
    this.#options = options;
  }

  publish(event: InferenceEvent): void {
    if (this.#options.json) {
      this.#options.out.write(`${encodeEvent(event)}\n`);
      return;
    }
    switch (event.type) {
      case 'partial-thinking':
        if (!this.#thinking) this.#line(this.#style('dim', 'thinking: '), false);
        this.#thinking = true;
        this.#write(this.#style('dim', event.delta));
        break;
      case 'partial':
        this.#endThinking();
        this.#write(event.delta);
        break;
      case 'final':
      case 'interrupt':
        this.#endThinking();
        if (!this.#atLineStart) this.#write('\n');
        if (event.type === 'interrupt') this.#line(this.#style('yellow', '[interrupted]'));
        break;
      case 'tool-call-execute':
        this.#endThinking();
        this.#line(this.#style('cyan', `→ ${event.tool_call.name} ${event.tool_call.input}`));
        break;
      case 'tool-call-execution-result':
        this.#line(
          this.#style(
            event.tool_result.error ? 'red' : 'green',
            `← ${event.tool_result.name ?? event.tool_result.id}: ${event.tool_result.result}`,
          ),
        );
        break;
      case 'error':
        this.#endThinking();
        if (!this.#atLineStart) this.#write('\n');
        this.#options.err.write(`${this.#style('red', `error: ${event.error_string}`)}\n`);
        break;
      case 'log':
        if (event.level === 'warn' || event.level === 'error')
          this.#options.err.write(`[${event.level}] ${event.message}\n`);
        break;
      case 'agent-mode-switch':
        this.#line(this.#style('magenta', `mode: ${event.data.from} → ${event.data.to}`));
        break;
      default:
        break;
    }
  }

  #endThinking(): void {
    if (!this.#thinking) return;
    this.#thinking = false;
    if (!this.#atLineStart) this.#write('\n');
  }

  #line(text: string, newline = true): void {
    if (!this.#atLineStart) this.#write('\n');
    this.#write(newline ? `${text}\n` : text);
  }

  #write(text: string): void {
    if (!text) return;
    this.#options.out.write(text);
    this.#atLineStart = text.endsWith('\n');
  }

  #style(style: Style, text: string): string {
    return this.#options.color ? styleText(style, text) : text;
  }
}
