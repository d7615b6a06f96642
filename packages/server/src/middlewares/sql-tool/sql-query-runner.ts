import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ToolError } from '@cricket/core';
import { z } from 'zod';

/** One statement to run. */
export interface QueryRequest {
  /** Absolute path of the SQLite file (opened read-only by the query process). */
  path: string;
  sql: string;
  /** Rows to read at most. */
  maxRows: number;
  /** Approximate byte budget of the rows read (the formatter applies the exact cap). */
  maxBytes: number;
}

const answerSchema = z.discriminatedUnion('ok', [
  z.object({
    id: z.number(),
    ok: z.literal(true),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.unknown())),
    more: z.boolean(),
  }),
  z.object({ id: z.number(), ok: z.literal(false), kind: z.enum(['refused', 'sql']), message: z.string() }),
]);

/** What the query process answered (rows, or why it did not run / failed). */
export type QueryAnswer =
  z.output<typeof answerSchema> extends infer A ? (A extends unknown ? Omit<A, 'id'> : never) : never;

const readySchema = z.object({ ready: z.literal(true) });

interface Job {
  id: number;
  request: QueryRequest;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  resolve: (answer: QueryAnswer) => void;
  reject: (error: ToolError) => void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

const processScript = fileURLToPath(new URL('./sql-query-process.mjs', import.meta.url));

/**
 * Runs SQL statements in ONE child process per runner (per server), one at a time, and enforces a real
 * timeout. better-sqlite3 is synchronous and exposes neither `sqlite3_interrupt` nor a progress handler,
 * so a statement cannot be stopped from JavaScript once it runs. A worker thread does not help either:
 * `worker.terminate()` only takes effect when the thread returns to JavaScript, and a single
 * `sqlite3_step` (e.g. `count(*)` over an endless recursive CTE) never does. A process can always be
 * killed: on timeout or cancellation the runner SIGKILLs it, answers the call with an error, and starts a
 * fresh process for the next statement. Killing a read-only reader is harmless to the database.
 *
 * The process is started on first use; its start-up (loading Node and the driver, a few hundred ms on a
 * slow machine) does not count towards a statement's timeout. It does not keep the parent alive when
 * idle, and exits when the parent goes away.
 */
export class SqlQueryRunner {
  readonly #queue: Job[] = [];
  #child: ChildProcess | undefined;
  /** The current process has loaded its driver and takes statements (startup is not query time). */
  #ready = false;
  #active: Job | undefined;
  #nextId = 1;
  #closed = false;

  /** Process id of the current query process (tests use it to check restarts). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Runs `request`; statements queue behind each other. Resolves with the process's answer; rejects
   * with `ToolError`: `tool-timeout` after `timeoutMs` of running, `tool-cancelled` when `signal` aborts,
   * `tool-failed` when the process dies or the runner is closed.
   */
  run(request: QueryRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryAnswer> {
    if (this.#closed) return Promise.reject(new ToolError('tool-failed', 'the SQL tool is shut down'));
    if (options.signal?.aborted) return Promise.reject(new ToolError('tool-cancelled', 'execution cancelled'));
    return new Promise<QueryAnswer>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        request,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        resolve,
        reject,
      };
      if (job.signal) {
        job.onAbort = () => this.#fail(job, new ToolError('tool-cancelled', 'execution cancelled'));
        job.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Kills the process and fails every pending statement. Idempotent. */
  close(): void {
    this.#closed = true;
    const pending = [...(this.#active ? [this.#active] : []), ...this.#queue];
    for (const job of pending) this.#fail(job, new ToolError('tool-failed', 'the SQL tool is shut down'));
    this.#kill();
  }

  #pump(): void {
    if (this.#active || this.#closed || this.#queue.length === 0) return;
    let child: ChildProcess;
    try {
      child = this.#child ?? this.#spawn();
    } catch (error) {
      this.#failQueued(`cannot start the SQL query process: ${String(error)}`);
      return;
    }
    if (!this.#ready) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#active = job;
    job.timer = setTimeout(() => {
      this.#fail(job, new ToolError('tool-timeout', `query timed out after ${job.timeoutMs} ms and was stopped`));
    }, job.timeoutMs);
    child.send({ id: job.id, ...job.request });
  }

  #spawn(): ChildProcess {
    const child = fork(processScript, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.unref();
    child.channel?.unref();
    child.on('message', (message) => {
      if (child !== this.#child) return;
      if (readySchema.safeParse(message).success) {
        this.#ready = true;
        this.#pump();
        return;
      }
      const parsed = answerSchema.safeParse(message);
      const job = this.#active;
      if (!job || !parsed.success || parsed.data.id !== job.id) return;
      const { id: _id, ...answer } = parsed.data;
      this.#settle(job);
      job.resolve(answer);
      this.#pump();
    });
    const onGone = (why: string) => {
      if (child !== this.#child) return;
      const started = this.#ready;
      this.#child = undefined;
      this.#ready = false;
      const job = this.#active;
      if (job) this.#fail(job, new ToolError('tool-failed', `the SQL query process ${why}`));
      // Dying before it was ready is not the statements' fault, but retrying could loop: fail them.
      else if (!started) this.#failQueued(`cannot start the SQL query process: it ${why}`);
    };
    child.on('exit', (code, signal) => onGone(`exited (${signal ?? `code ${code}`})`));
    child.on('error', (error) => onGone(`failed: ${error.message}`));
    this.#child = child;
    this.#ready = false;
    return child;
  }

  #failQueued(message: string): void {
    for (const job of this.#queue.splice(0)) {
      this.#settle(job);
      job.reject(new ToolError('tool-failed', message));
    }
  }

  /** Fails `job` (queued or running); a running job's process is killed, since it cannot be interrupted. */
  #fail(job: Job, error: ToolError): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    else if (this.#active === job) this.#kill();
    else return;
    this.#settle(job);
    job.reject(error);
    this.#pump();
  }

  #settle(job: Job): void {
    if (job.timer) clearTimeout(job.timer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (this.#active === job) this.#active = undefined;
  }

  #kill(): void {
    const child = this.#child;
    this.#child = undefined;
    this.#ready = false;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
