import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The real `cricket` executable of this checkout (what `npm start` and users run). */
export const cricketBinary = join(import.meta.dirname, '..', '..', 'bin', 'cricket.mjs');

/** Exit code and output of one `cricket` process. */
export interface CricketResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link execCricket}. */
export interface ExecCricketOptions {
  /** Written to stdin, which is then closed (default: nothing). */
  input?: string;
  /** Variables added to (or, when undefined, removed from) the test process's environment. */
  env?: Record<string, string | undefined>;
  /** Kill the process after this many ms (default 60,000). */
  timeoutMs?: number;
}

/** Provider settings that would make a command reach a real provider; removed for offline tests. */
const providerVariables = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'OLLAMA_HOST',
  'CRICKET_PROVIDER',
  'CRICKET_MODEL',
  'CRICKET_AUTH_TOKEN',
];

/**
 * The environment of a `cricket` process under test: this process's, with `NO_COLOR=1`, without
 * provider settings (so the offline scripted engine answers), and with `changes` applied (undefined
 * removes a variable).
 */
export function cricketEnvironment(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of providerVariables) delete env[name];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs the `cricket` binary as a child process in {@link cricketEnvironment} and resolves with its
 * exit code and output. Never rejects on a non-zero exit: the code is the result.
 */
export function execCricket(args: readonly string[], options: ExecCricketOptions = {}): Promise<CricketResult> {
  const env = cricketEnvironment(options.env);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cricketBinary, ...args],
      { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
