import { randomBytes, randomUUID } from 'node:crypto';
import { createJsonLogger } from '@cricket/server';
import { describeProfileEngine } from '@cricket/server/profiles';
import { type Command, InvalidArgumentError } from 'commander';
import { ConversationTarget } from '../chat/conversation-target.js';
import { MemoryTarget } from '../chat/memory-target.js';
import { promptLoop } from '../chat/prompt-loop.js';
import type { PromptTarget } from '../chat/prompt-target.js';
import { createConfiguredServer } from '../configured-server.js';
import { describeEngine, selectEngine } from '../engine-selection.js';
import { EventPrinter } from '../terminal/event-printer.js';
import { Spinner } from '../terminal/spinner.js';
import { exitCodes, usageExitCodes } from './cli-support.js';
import { defaultDatabasePath } from './serve-command.js';

interface ChatOptions {
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

async function chatCommand(prompt: string, options: ChatOptions): Promise<number> {
  const color = options.color && !options.json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const spinner = new Spinner(process.stderr, !options.json);
  const banner = (text: string) => {
    if (!options.json) process.stderr.write(`${text}\n`);
  };
  let target: PromptTarget;
  try {
    target = options.memory
      ? await memoryTarget(options, { color, spinner, banner })
      : await conversationTarget(options, { color, spinner, banner });
  } catch (error) {
    process.stderr.write(`cricket chat: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.failure;
  }
  try {
    return await promptLoop(target, {
      ...(prompt ? { prompt } : {}),
      input: process.stdin,
      err: process.stderr,
    });
  } finally {
    await target.close();
  }
}

/** How the chat shows itself: colours, the waiting spinner, the banner line on stderr. */
interface Presentation {
  color: boolean;
  spinner: Spinner;
  banner: (text: string) => void;
}

async function memoryTarget(options: ChatOptions, { color, spinner, banner }: Presentation) {
  const engine = await selectEngine({
    ...(options.script ? { script: options.script } : {}),
    ...(options.pace === undefined ? {} : { paceMs: options.pace }),
  });
  const target = new MemoryTarget({
    engine,
    system: options.system,
    tools: options.tools,
    printer: new EventPrinter({
      out: process.stdout,
      err: process.stderr,
      color,
      json: options.json,
      beforeOutput: () => spinner.stop(),
    }),
    spinner,
    ...(options.json ? {} : { err: process.stderr }),
  });
  banner(`cricket chat · ${describeEngine(engine)} · in memory, nothing stored · session ${target.session.id}`);
  return target;
}

async function conversationTarget(options: ChatOptions, { color, spinner, banner }: Presentation) {
  const convId = options.conv ?? randomUUID();
  const common = {
    convId,
    ...(options.profile ? { profile: options.profile } : {}),
    out: process.stdout,
    err: process.stderr,
    color,
    json: options.json,
    spinner,
  };
  if (options.server) {
    const authToken = options.authToken ?? process.env.CRICKET_AUTH_TOKEN;
    banner(`cricket chat · server ${options.server} · conversation ${convId}`);
    return new ConversationTarget({ ...common, baseUrl: options.server, ...(authToken ? { authToken } : {}) });
  }
  // The local server listens on loopback only, and a token generated here keeps other local users out.
  const authToken = randomBytes(24).toString('base64url');
  const local = await createConfiguredServer({
    db: options.db,
    ...(options.profiles ? { profiles: options.profiles } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.sqlDatabase ? { sqlDatabase: options.sqlDatabase } : {}),
    authToken,
    logger: createJsonLogger('error'),
  });
  try {
    const slug = options.profile ?? (options.conv ? undefined : 'default');
    const profile = slug === undefined ? undefined : local.profiles.get(slug);
    if (slug !== undefined && !profile) {
      const known = local.profiles.list().map((entry) => entry.slug);
      throw new Error(`unknown profile ${JSON.stringify(slug)} (profiles: ${known.join(', ')})`);
    }
    const baseUrl = await local.server.listen({ host: '127.0.0.1', port: 0 });
    const described = profile ? `profile ${profile.slug} · ${describeProfileEngine(profile)}` : 'its profile';
    banner(`cricket chat · database ${options.db} · conversation ${convId} · ${described}`);
    return new ConversationTarget({ ...common, baseUrl, authToken, onClose: () => local.close() });
  } catch (error) {
    await local.close();
    throw error;
  }
}
