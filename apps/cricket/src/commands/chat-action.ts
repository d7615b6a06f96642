// `cricket chat` itself, loaded by the command only when a chat starts (see chat-command.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { createJsonLogger } from '@cricket/server';
import { describeProfileEngine } from '@cricket/server/profiles';
import { ConversationTarget } from '../chat/conversation-target.js';
import { MemoryTarget } from '../chat/memory-target.js';
import { promptLoop } from '../chat/prompt-loop.js';
import type { PromptTarget } from '../chat/prompt-target.js';
import { createConfiguredServer } from '../configured-server.js';
import { describeEngine, selectEngine } from '../engine-selection.js';
import { EventPrinter } from '../terminal/event-printer.js';
import { Spinner } from '../terminal/spinner.js';
import type { ChatOptions } from './chat-command.js';
import { exitCodes } from './cli-support.js';

/** Runs `cricket chat` with checked options; resolves to the exit code. */
export async function chatCommand(prompt: string, options: ChatOptions): Promise<number> {
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
