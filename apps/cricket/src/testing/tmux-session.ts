import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A command running in a real terminal: a detached tmux session on a private tmux server (its own
 * socket, so tests never touch a user's tmux). Keys go in with `send`, the screen comes out with
 * `screen`. The command's exit code is printed as `[exit N]` when it ends, and the pane stays open.
 */
export class TmuxSession {
  readonly #socket = `cricket-test-${randomUUID()}`;
  readonly #env: NodeJS.ProcessEnv;

  private constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /**
   * Starts `command` (argv, quoted for the shell here) in a 120×50 terminal. The private tmux server
   * is started by this call, so the command gets exactly `env`.
   */
  static async start(command: readonly string[], env: NodeJS.ProcessEnv): Promise<TmuxSession> {
    const session = new TmuxSession(env);
    const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
    const shell = `${command.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
    await session.#tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '50', shell);
    return session;
  }

  /** Sends keys (tmux key names such as `Enter` and `C-c`, or literal text). */
  async send(...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Types `text` literally, then Enter. */
  async type(text: string): Promise<void> {
    await this.#tmux('send-keys', '-t', 'main', '-l', text);
    await this.send('Enter');
  }

  /** The whole pane including its scrollback, with wrapped lines joined. */
  async screen(): Promise<string> {
    const { stdout } = await this.#tmux('capture-pane', '-p', '-J', '-S', '-10000', '-t', 'main');
    return stdout;
  }

  /** Resolves with the screen once `pattern` matches it; rejects with the screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the tmux server and everything in it. */
  async kill(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
  }

  #tmux(...args: string[]): Promise<{ stdout: string }> {
    return exec('tmux', ['-L', this.#socket, ...args], { env: this.#env });
  }
}
