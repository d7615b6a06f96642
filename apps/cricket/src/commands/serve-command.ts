import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LogLevel } from '@cricket/server';
import type { Command } from 'commander';

/** The options of `cricket serve`, as commander parses them. */
export interface ServeOptions {
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
      // The server code loads only when the command runs, not for --help or the other commands.
      const { serve } = await import('./serve-action.js');
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
