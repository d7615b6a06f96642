import { Command } from 'commander';
import { registerChatCommand } from './commands/chat-command.js';
import { registerServeCommand } from './commands/serve-command.js';

/** Builds the `cricket` command tree. */
export function createProgram(): Command {
  const program = new Command('cricket')
    .description(
      'Cricket: an LLM agent framework and streaming chat server with one ordered, inspectable event history per conversation.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerServeCommand(program);
  registerChatCommand(program);
  return program;
}
