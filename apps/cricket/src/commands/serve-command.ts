import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@cricket/core';
import { createJsonLogger, type LogLevel } from '@cricket/server';
import { describeProfileEngine } from '@cricket/server/profiles';
import type { Command } from 'commander';
import { createConfiguredServer } from '../configured-server.js';

interface ServeOptions {
  host: string;
  port: number;
  db: string;
  root: string;
  profiles?: string;
  provider?: string;
  model?: string;
  debugApi: boolean;
  authToken?: string;
  allowedOrigin: string[];
  staticDir?: string;
  sqlDatabase?: string;
  logLevel: LogLevel;
}

/** Default database file: `$CRICKET_DATA_DIR/cricket.sqlite`, else under the XDG data directory. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = env.CRICKET_DATA_DIR || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'cricket');
  return join(dataDir, 'cricket.sqlite');
}

/** The built web UI shipped in the repository, when it has been built. */
function defaultStaticDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = resolve(here, '..', '..', '..', '..', 'packages', 'web', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

/** Registers `cricket serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the web chat server: HTTP + WebSocket API, the web UI when built, one SQLite file for everything. ' +
        'Without --profiles, a "default" profile uses the first configured of OPENAI_API_KEY, ANTHROPIC_API_KEY, ' +
        'GEMINI_API_KEY, OLLAMA_HOST, else the offline scripted engine.',
    )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8080)
    .option('--db <file>', 'SQLite database file (created if missing)', defaultDatabasePath())
    .option('--root <path>', 'mount everything under this URL prefix', '/')
    .option('--profiles <file>', 'profiles YAML file (see profiles.example.yaml)')
    .option('--provider <provider>', 'provider of the default profile (env CRICKET_PROVIDER)')
    .option('--model <model>', 'model of the default profile (env CRICKET_MODEL)')
    .option('--debug-api', 'enable /api/debug/* (conversations, turns, event log, step mode)', false)
    .option(
      '--auth-token <token>',
      'require "Authorization: Bearer <token>" on every API and WebSocket route (env CRICKET_AUTH_TOKEN)',
    )
    .option(
      '--allowed-origin <origin>',
      'allow this browser origin besides same-origin (repeatable; * = any)',
      collect,
      [],
    )
    .option(
      '--sql-database <file>',
      'SQLite file queried (read-only) by the sql_query tool of profiles using the "sql" middleware',
    )
    .option('--static-dir <dir>', 'directory of the built web UI (default: packages/web/dist when built)')
    .option('--log-level <level>', 'debug | info | warn | error | silent', 'info')
    .action(async (options: ServeOptions) => {
      process.exitCode = await serve(options);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0-65535, got ${JSON.stringify(value)}`);
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function serve(options: ServeOptions): Promise<number> {
  const staticDir = options.staticDir ?? defaultStaticDir();
  const authToken = options.authToken ?? process.env.CRICKET_AUTH_TOKEN;
  const { server, profiles, close } = await createConfiguredServer({
    db: options.db,
    ...(options.profiles ? { profiles: options.profiles } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.sqlDatabase ? { sqlDatabase: options.sqlDatabase } : {}),
    root: options.root,
    debugApi: options.debugApi,
    ...(authToken ? { authToken } : {}),
    allowedOrigins: options.allowedOrigin,
    ...(staticDir ? { staticDir } : {}),
    logger: createJsonLogger(options.logLevel),
  });
  const url = await server.listen({ host: options.host, port: options.port });
  for (const profile of profiles.list()) {
    const availability = profiles.availability(profile.slug);
    const note = availability && !availability.available ? ` — unavailable: ${availability.reason}` : '';
    process.stderr.write(`profile ${profile.slug}: ${describeProfileEngine(profile)}${note}\n`);
  }
  process.stderr.write(`database ${options.db}${staticDir ? '' : ' · web UI not built (API and WebSocket only)'}\n`);
  process.stdout.write(`listening on ${url}\n`);

  return new Promise<number>((resolvePromise) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: shutting down (finishing or interrupting running answers)\n`);
      close().then(
        () => resolvePromise(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${errorMessage(error)}\n`);
          resolvePromise(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
