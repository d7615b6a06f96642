import { createInterface } from 'node:readline';
import {
  builtinTools,
  createEngineBuilder,
  errorMessage,
  isCancellation,
  Session,
  systemPromptMiddleware,
  ToolRegistry,
  toolResultReorderMiddleware,
} from '@cricket/core';
import type { Command } from 'commander';
import { describeEngine, selectEngine } from '../engine-selection.js';
import { EventPrinter } from '../terminal/event-printer.js';

interface ChatOptions {
  script?: string;
  pace?: number;
  json: boolean;
  tools: boolean;
  system: string;
  color: boolean;
}

const defaultSystemPrompt = 'You are Cricket, a concise and helpful assistant. Use tools when they help.';

/** Registers `cricket chat`. */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description(
      'Chat in the terminal with streaming output. With a prompt: answer it and exit. Without one: an interactive session ' +
        '(one line per prompt; "/exit" or Ctrl+D ends it, Ctrl+C stops the current answer). Every prompt continues the same session.',
    )
    .argument('[prompt...]', 'the prompt (words are joined with spaces)')
    .option('--script <file>', 'YAML script for the offline scripted engine')
    .option('--pace <ms>', 'milliseconds between streamed chunks of the scripted engine', (value) =>
      parseNonNegative(value, '--pace'),
    )
    .option('--system <text>', 'system prompt', defaultSystemPrompt)
    .option('--no-tools', 'do not offer the built-in tools (calculator, current_time)')
    .option('--json', 'print every event as one JSON line (NDJSON) instead of text', false)
    .option('--no-color', 'disable colours')
    .action(async (words: string[], options: ChatOptions) => {
      process.exitCode = await runChat(words.join(' ').trim(), options);
    });
}

function parseNonNegative(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new Error(`${flag} must be a non-negative number, got ${JSON.stringify(value)}`);
  return number;
}

async function runChat(prompt: string, options: ChatOptions): Promise<number> {
  const engine = await selectEngine({
    ...(options.script ? { script: options.script } : {}),
    ...(options.pace === undefined ? {} : { paceMs: options.pace }),
  });
  const printer = new EventPrinter({
    out: process.stdout,
    err: process.stderr,
    color: options.color && !options.json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    json: options.json,
  });
  const session = new Session({
    builder: createEngineBuilder({
      engine,
      middlewares: [systemPromptMiddleware(options.system), toolResultReorderMiddleware()],
      ...(options.tools ? { registry: new ToolRegistry(builtinTools()) } : {}),
      sinks: [printer],
    }),
  });
  if (!options.json) process.stderr.write(`cricket chat · ${describeEngine(engine)} · session ${session.id}\n`);

  const ask = async (text: string): Promise<boolean> => {
    session.appendNewTurnFromUserPrompt(text);
    const handle = session.startInference();
    const onSigint = () => handle.cancel();
    process.once('SIGINT', onSigint);
    try {
      await handle.wait();
      return true;
    } catch (error) {
      if (!isCancellation(error) && !options.json) process.stderr.write(`cricket: ${errorMessage(error)}\n`);
      return isCancellation(error);
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  };

  if (prompt) return (await ask(prompt)) ? 0 : 1;

  const interactive = Boolean(process.stdin.isTTY);
  const lines = createInterface({
    input: process.stdin,
    output: interactive ? process.stderr : undefined,
    terminal: interactive,
  });
  let failures = 0;
  if (interactive) {
    process.stderr.write('Type a message and press Enter. "/exit" or Ctrl+D quits.\n');
    lines.setPrompt('you › ');
    lines.prompt();
  }
  for await (const line of lines) {
    const text = line.trim();
    if (text === '/exit' || text === '/quit') break;
    if (text) {
      lines.pause();
      if (!(await ask(text))) failures++;
      lines.resume();
    }
    if (interactive) lines.prompt();
  }
  lines.close();
  return failures > 0 ? 1 : 0;
}
