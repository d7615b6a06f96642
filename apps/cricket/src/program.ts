import { Command } from 'commander';
import { registerChatCommand } from './commands/chat-command.js';
import { registerDbCommand } from './commands/db-migrate-command.js';
import { registerProfilesCommand } from './commands/profiles-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerTimelineCommand } from './commands/timeline-command.js';
import { registerTurnsCommand } from './commands/turns-command.js';

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
  registerTimelineCommand(program);
  registerTurnsCommand(program);
  registerDbCommand(program);
  registerProfilesCommand(program);
  return program;
}
