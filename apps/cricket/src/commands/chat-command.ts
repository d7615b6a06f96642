import { type Command, InvalidArgumentError } from 'commander';
import { exitCodes, usageExitCodes } from './cli-support.js';
import { defaultDatabasePath } from './serve-command.js';

/** The options of `cricket chat`, as commander parses them. */
export interface ChatOptions {
  server?: string;
  authToken?: string;
  db: string;
  profiles?: string;
  provider?: string;
  model?: string;
  sqlDatabase?: string;
  profile?: string;
  conv?: string;
  memory: boolean;
  script?: string;
  pace?: number;
  system: string;
  tools: boolean;
  json: boolean;
  color: boolean;
}

const defaultSystemPrompt = 'You are Cricket, a concise and helpful assistant. Use tools when they help.';

/** Options of each mode, for the "only with" checks. */
const localOnly = ['db', 'profiles', 'provider', 'model', 'sqlDatabase'] as const;
const serverOnly = ['authToken'] as const;
const conversationOnly = ['profile', 'conv'] as const;
const memoryOnly = ['script', 'pace', 'system', 'tools'] as const;

const flag = (option: string) => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Registers `cricket chat`. */
export function registerChatCommand(program: Command): void {
  const chat = program
    .command('chat')
    .description(
      'Chat in the terminal with streaming output (answer text, thinking, tool calls and results). With a prompt: ' +
        'answer it and exit. Without one: one prompt per input line ("/exit" or Ctrl+D ends; Ctrl+C stops the ' +
        'current answer, or quits at the prompt).\n\n' +
        'Where the conversation lives:\n' +
        '  (default)       a local database (--db): the server runs inside this process on 127.0.0.1 with a\n' +
        '                  one-time token, stores everything, and `cricket serve --db` shows it afterwards.\n' +
        '                  Do not point it at a database a running server is using — use --server for that.\n' +
        '  --server URL    a running Cricket server; every open tab sees the answer stream.\n' +
        '  --memory        an in-memory session with the offline scripted engine; nothing is stored.\n' +
        'Every prompt continues the same conversation (--conv to continue an earlier one).',
    )
    .argument('[prompt...]', 'the prompt (words are joined with spaces)')
    .option('--server <url>', 'chat with the server at this base URL (including its mount root)')
    .option('--auth-token <token>', 'bearer token of a server started with --auth-token (env CRICKET_AUTH_TOKEN)')
    .option('--db <file>', 'local mode: SQLite database file (created if missing)', defaultDatabasePath())
    .option('--profiles <file>', 'local mode: profiles YAML file (see profiles.example.yaml)')
    .option('--provider <provider>', 'local mode: provider of the default profile (env CRICKET_PROVIDER)')
    .option('--model <model>', 'local mode: model of the default profile (env CRICKET_MODEL)')
    .option('--sql-database <file>', 'local mode: SQLite file for the sql_query tool of the "sql" middleware')
    .option('--profile <slug>', 'profile to chat with (default: the conversation’s, else "default")')
    .option('--conv <id>', 'conversation id to continue (default: a new conversation)')
    .option('--memory', 'in-memory session, nothing stored (offline scripted engine)', false)
    .option('--script <file>', '--memory: YAML script for the scripted engine')
    .option('--pace <ms>', '--memory: milliseconds between streamed chunks of the scripted engine', (value) =>
      parseNonNegative(value, '--pace'),
    )
    .option('--system <text>', '--memory: system prompt', defaultSystemPrompt)
    .option('--no-tools', '--memory: do not offer the built-in tools (calculator, current_time)')
    .option(
      '--json',
      'NDJSON instead of text: with --memory one inference event per line; otherwise one line per new or changed ' +
        'timeline entity ({"type":"entity","entity":…}) and a {"type":"done",…} line with the /chat response per prompt',
      false,
    )
    .option('--no-color', 'disable colours')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok (also when an answer was stopped with Ctrl+C), 1 an answer failed or the server refused ' +
        'the prompt, 2 usage error, 130 a second Ctrl+C while stopping.',
    )
    .action(async (words: string[], options: ChatOptions, command: Command) => {
      const misuse = checkModeOptions(options, command);
      if (misuse) command.error(`error: ${misuse}`, { exitCode: exitCodes.usage });
      // The chat code (server, providers, terminal output) loads only when a chat starts.
      const { chatCommand } = await import('./chat-action.js');
      process.exitCode = await chatCommand(words.join(' ').trim(), options);
    });
  usageExitCodes(chat);
}

function parseNonNegative(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new InvalidArgumentError(`${option} must be a non-negative number, got ${JSON.stringify(value)}`);
  return number;
}

/** The first option given on the command line that the chosen mode does not take, as a message. */
function checkModeOptions(options: ChatOptions, command: Command): string | undefined {
  const given = (names: readonly string[]) => names.filter((name) => command.getOptionValueSource(name) === 'cli');
  if (options.memory && options.server) return '--memory and --server exclude each other';
  const mode = options.memory ? '--memory' : options.server ? '--server' : 'the local mode';
  const refused = [
    ...(options.memory ? [...given(localOnly), ...given(serverOnly), ...given(conversationOnly)] : []),
    ...(options.server ? [...given(localOnly), ...given(memoryOnly)] : []),
    ...(!options.memory && !options.server ? [...given(serverOnly), ...given(memoryOnly)] : []),
  ];
  const first = refused[0];
  return first ? `${flag(first)} does not apply to ${mode}` : undefined;
}
