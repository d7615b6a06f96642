// CPU placement: the SPEC budgets are for ONE core of a 2-core machine, so the process under test
// pins itself (all its threads: main, V8 GC/compiler helpers, libuv pool) to core 0 and load
// generators / WebSocket clients run in a child pinned to core 1, as the reference's benchmark
// hygiene asks. Without `taskset` (or with one core) nothing is pinned and the report says so.

import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

let tasksetAvailable: boolean | undefined;

function hasTaskset(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetAvailable = availableParallelism() >= 2;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins every thread of process `pid` to `cpu`; returns false when pinning is unavailable. */
export function pinProcess(pid: number, cpu: number): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process to core 0 (the server's core). */
export function pinSelf(): string {
  return pinProcess(process.pid, 0) ? 'server process pinned to core 0' : 'not pinned (no taskset or 1 core)';
}

/**
 * Forks a TypeScript helper (through tsx, like the benchmarks) with an IPC channel and pins it to
 * core 1. `moduleUrl` is resolved against `import.meta.url` of the caller.
 */
export function forkHelper(moduleUrl: URL, args: string[] = []): ChildProcess {
  const child = fork(fileURLToPath(moduleUrl), args, {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid !== undefined) pinProcess(child.pid, 1);
  return child;
}
