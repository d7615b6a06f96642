import { type EventSink, encodeEvent, type InferenceEvent } from '@cricket/core';
import { TerminalWriter } from './terminal-writer.js';

/** Where and how the printer writes. */
export interface EventPrinterOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Colours and dim thinking text (off for pipes and NO_COLOR). */
  color: boolean;
  /** Print every event as one JSON line instead of text. */
  json: boolean;
  /** Runs before anything is written to `out` or `err` (e.g. to clear a spinner). */
  beforeOutput?: () => void;
}

/**
 * Renders inference events to a terminal: assistant text streams as it arrives, thinking is dimmed,
 * tool calls and results get one line each, errors go to stderr. In JSON mode every event is one
 * NDJSON line (decodable with `decodeEvent`).
 */
export class EventPrinter implements EventSink {
  readonly #options: EventPrinterOptions;
  readonly #out: TerminalWriter;
  #thinking = false;

  constructor(options: EventPrinterOptions) {
    this.#options = options;
    this.#out = new TerminalWriter(options.out, options.color, options.beforeOutput);
  }

  publish(event: InferenceEvent): void {
    const out = this.#out;
    if (this.#options.json) {
      out.write(`${encodeEvent(event)}\n`);
      return;
    }
    switch (event.type) {
      case 'partial-thinking':
        if (!this.#thinking) out.line(out.style('dim', 'thinking: '), false);
        this.#thinking = true;
        out.write(out.style('dim', event.delta));
        break;
      case 'partial':
        this.#endThinking();
        out.write(event.delta);
        break;
      case 'final':
      case 'interrupt':
        this.#endThinking();
        out.endLine();
        if (event.type === 'interrupt') out.line(out.style('yellow', '[interrupted]'));
        break;
      case 'tool-call-execute':
        this.#endThinking();
        out.line(out.style('cyan', `→ ${event.tool_call.name} ${event.tool_call.input}`));
        break;
      case 'tool-call-execution-result':
        out.line(
          out.style(
            event.tool_result.error ? 'red' : 'green',
            `← ${event.tool_result.name ?? event.tool_result.id}: ${event.tool_result.result}`,
          ),
        );
        break;
      case 'error':
        this.#endThinking();
        out.endLine();
        this.#errorLine(`${out.style('red', `error: ${event.error_string}`)}\n`);
        break;
      case 'log':
        if (event.level === 'warn' || event.level === 'error') this.#errorLine(`[${event.level}] ${event.message}\n`);
        break;
      case 'agent-mode-switch':
        out.line(out.style('magenta', `mode: ${event.data.from} → ${event.data.to}`));
        break;
      default:
        break;
    }
  }

  #endThinking(): void {
    if (!this.#thinking) return;
    this.#thinking = false;
    this.#out.endLine();
  }

  #errorLine(text: string): void {
    this.#options.beforeOutput?.();
    this.#options.err.write(text);
  }
}
