import { createInterface } from 'node:readline';
import type { PromptTarget } from './prompt-target.js';

/** Settings of {@link promptLoop}. */
export interface PromptLoopOptions {
  /** A prompt given on the command line: answer it and return. */
  prompt?: string;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the interactive prompt and hints go (stderr). */
  err: NodeJS.WritableStream;
}

/** Exit code after a second Ctrl+C while an answer is being stopped. */
export const interruptedExitCode = 130;

/**
 * Sends prompts to `target` one at a time: the command-line prompt, else one prompt per input line
 * (`/exit` or end of input ends it). Ctrl+C (SIGINT) stops the answer in progress; a second one while
 * it is stopping, or one at an empty prompt, exits. Resolves with the exit code: 0, or 1 when an
 * answer failed.
 */
export async function promptLoop(target: PromptTarget, options: PromptLoopOptions): Promise<number> {
  let answering = false;
  let stopping = false;
  const interactive = options.prompt === undefined && Boolean(options.input.isTTY);
  const lines =
    options.prompt === undefined
      ? createInterface({
          input: options.input,
          output: interactive ? options.err : undefined,
          terminal: interactive,
        })
      : undefined;

  const onInterrupt = () => {
    if (answering && !stopping) {
      stopping = true;
      target.stop();
      return;
    }
    if (answering) process.exit(interruptedExitCode);
    lines?.close();
  };
  // A terminal in raw mode turns Ctrl+C into readline's SIGINT event; otherwise it is a process signal.
  lines?.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);

  const ask = async (text: string): Promise<boolean> => {
    answering = true;
    stopping = false;
    try {
      return await target.ask(text);
    } finally {
      answering = false;
    }
  };

  try {
    if (options.prompt !== undefined) return (await ask(options.prompt)) ? 0 : 1;
    if (!lines) return 0;
    let failures = 0;
    if (interactive) {
      options.err.write('Type a message and press Enter. "/exit", Ctrl+D or Ctrl+C at the prompt quits.\n');
      lines.setPrompt('you › ');
      lines.prompt();
    }
    for await (const line of lines) {
      const text = line.trim();
      if (text === '/exit' || text === '/quit') break;
      if (text && !(await ask(text))) failures++;
      if (interactive) lines.prompt();
    }
    return failures > 0 ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    lines?.close();
  }
}
