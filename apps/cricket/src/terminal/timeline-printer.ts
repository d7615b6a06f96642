import type { TimelineEntity } from '@cricket/protocol';
import { TerminalWriter } from './terminal-writer.js';

/** Where and how the printer writes. */
export interface TimelinePrinterOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Colours and dim thinking text (off for pipes and NO_COLOR). */
  color: boolean;
  /** Print each new or changed entity as one JSON line (`{"type":"entity","entity":…}`) instead of text. */
  json: boolean;
  /** Runs before anything is written to `out` or `err` (e.g. to clear a spinner). */
  beforeOutput?: () => void;
}

interface Printed {
  /** The entity object last seen (the chat client keeps unchanged entities identical between snapshots). */
  seen: TimelineEntity;
  /** JSON mode: the entity as last printed. */
  json?: string;
  /** Text of a message printed so far. */
  text: string;
  /** A message's end, a tool call's terminal status, or a one-line entity has been printed. */
  done: boolean;
}

const terminalToolStatuses = new Set(['error', 'interrupted']);

/**
 * Renders the timeline entities of one answer to a terminal as they grow, the way `EventPrinter` renders
 * inference events: assistant text streams, thinking is dimmed, tool calls and results get a line each,
 * errors and warnings go to stderr. It is given the whole list after every change and prints only what
 * is new; text that changes other than by growing is printed again on a new line.
 */
export class TimelinePrinter {
  readonly #options: TimelinePrinterOptions;
  readonly #out: TerminalWriter;
  readonly #printed = new Map<string, Printed>();
  readonly #toolNames = new Map<string, string>();
  /** The message whose text is at the end of the output (streaming continues it without a new line). */
  #streamingId: string | undefined;

  constructor(options: TimelinePrinterOptions) {
    this.#options = options;
    this.#out = new TerminalWriter(options.out, options.color, options.beforeOutput);
  }

  /** Prints what changed in `entities` (in display order) since the last call. */
  update(entities: readonly TimelineEntity[]): void {
    for (const entity of entities) {
      const printed = this.#printed.get(entity.id);
      if (printed?.seen === entity) continue;
      const state = printed ?? { seen: entity, text: '', done: false };
      state.seen = entity;
      this.#printed.set(entity.id, state);
      if (entity.kind === 'tool_call' && entity.toolCall?.name) this.#toolNames.set(entity.id, entity.toolCall.name);
      if (this.#options.json) this.#printJson(entity, state);
      else this.#printText(entity, state);
    }
  }

  /** Ends the current line (before a prompt or a status line is written). */
  finish(): void {
    this.#out.endLine();
    this.#streamingId = undefined;
  }

  #printJson(entity: TimelineEntity, state: Printed): void {
    const json = JSON.stringify({ type: 'entity', entity });
    if (json === state.json) return;
    state.json = json;
    this.#out.write(`${json}\n`);
  }

  #printText(entity: TimelineEntity, state: Printed): void {
    const out = this.#out;
    switch (entity.kind) {
      case 'message':
        this.#printMessage(entity, state);
        break;
      case 'tool_call': {
        const call = entity.toolCall ?? {};
        if (!state.text) {
          state.text = `→ ${call.name ?? 'tool'} ${JSON.stringify(call.input ?? {})}`;
          this.#lineOut(out.style('cyan', state.text));
        }
        if (!state.done && terminalToolStatuses.has(call.status ?? '')) {
          state.done = true;
          this.#lineOut(out.style('yellow', `[${call.name ?? 'tool'} ${call.status}]`));
        }
        break;
      }
      case 'tool_result': {
        if (state.done) break;
        state.done = true;
        const result = entity.toolResult ?? {};
        const name = this.#toolNames.get(result.toolCallId ?? '') ?? result.toolCallId ?? 'tool';
        const text = result.error
          ? `error: ${result.error}`
          : (result.resultRaw ?? JSON.stringify(result.result ?? {}));
        this.#lineOut(out.style(result.error ? 'red' : 'green', `← ${name}: ${text}`));
        break;
      }
      case 'agent_mode':
        if (state.done) break;
        state.done = true;
        this.#lineOut(out.style('magenta', `mode: ${entity.agentMode?.from ?? ''} → ${entity.agentMode?.to ?? ''}`));
        break;
      case 'error':
        if (state.done) break;
        state.done = true;
        this.finish();
        this.#errorLine(`${out.style('red', `error: ${entity.error?.message ?? 'unknown error'}`)}\n`);
        break;
      case 'log': {
        const level = entity.log?.level ?? 'info';
        if (state.done || (level !== 'warn' && level !== 'error')) break;
        state.done = true;
        this.finish();
        this.#errorLine(`[${level}] ${entity.log?.message ?? ''}\n`);
        break;
      }
      default:
        break;
    }
  }

  #printMessage(entity: TimelineEntity, state: Printed): void {
    const out = this.#out;
    const message = entity.message ?? {};
    const role = message.role ?? 'assistant';
    const content = message.content ?? '';
    if (role === 'user') {
      if (!state.done) this.#lineOut(out.style('bold', `user › ${content}`));
      state.done = true;
      return;
    }
    const thinking = role === 'thinking';
    if (content !== state.text) {
      const grows = content.startsWith(state.text) && this.#streamingId === entity.id;
      if (!grows) {
        this.#streamingId = entity.id;
        out.line(thinking ? out.style('dim', 'thinking: ') : '', false);
      }
      const added = grows ? content.slice(state.text.length) : content;
      out.write(thinking ? out.style('dim', added) : added);
      state.text = content;
    }
    if (message.streaming !== true && !state.done) {
      state.done = true;
      if (this.#streamingId === entity.id) this.finish();
      if (message.metadata?.stopReason === 'interrupted') this.#lineOut(out.style('yellow', '[interrupted]'));
    }
  }

  #lineOut(text: string): void {
    this.#streamingId = undefined;
    this.#out.line(text);
  }

  #errorLine(text: string): void {
    this.#options.beforeOutput?.();
    this.#options.err.write(text);
  }
}
