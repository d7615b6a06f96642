import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvent } from '@cricket/core';
import { describe, expect, it } from 'vitest';

const binary = join(import.meta.dirname, '..', '..', 'bin', 'cricket.mjs');

function cricket(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binary, ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

describe.concurrent('cricket chat', () => {
  it('answers a prompt with a calculator tool call and labels the offline engine', async () => {
    const result = await cricket(['chat', '--pace', '0', 'what is 12 * (3 + 4)?']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('offline scripted engine');
    expect(result.stdout).toContain('→ calculator {"expression":"12 * (3 + 4)"}');
    expect(result.stdout).toContain('The result of `12 * (3 + 4)` is **84**.');
  });

  it('prints decodable NDJSON events with --json', async () => {
    const result = await cricket(['chat', '--json', '--pace', '0', 'hello']);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => decodeEvent(line));
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('final');
    const sessions = new Set(events.map((event) => event.meta.session_id));
    expect(sessions.size).toBe(1);
  });

  it('reads one prompt per stdin line and keeps one session', async () => {
    const result = await cricket(['chat', '--json', '--pace', '0'], 'hello\n\nwhat is 2 + 2\n/exit\nnever sent\n');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => decodeEvent(line));
    const finals = events.filter((event) => event.type === 'final');
    expect(finals).toHaveLength(3);
    expect(new Set(events.map((event) => event.meta.session_id)).size).toBe(1);
    expect(new Set(events.map((event) => event.meta.inference_id)).size).toBe(2);
    expect(result.stdout).not.toContain('never sent');
  });

  it('runs a YAML script and fails with exit code 1 on an engine error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-chat-'));
    const script = join(dir, 'script.yaml');
    await writeFile(script, 'rules:\n  - steps:\n      - text: partial\n        error: upstream exploded\n');
    const result = await cricket(['chat', '--script', script, 'hi']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('partial');
    expect(result.stderr).toContain('error: upstream exploded');
  });

  it('rejects a bad script and bad options with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-chat-'));
    const script = join(dir, 'bad.yaml');
    await writeFile(script, 'rules: 3\n');
    const bad = await cricket(['chat', '--script', script, 'hi']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid scripted-engine .*bad.yaml: rules/);
    const pace = await cricket(['chat', '--pace', 'fast', 'hi']);
    expect(pace.code).not.toBe(0);
    expect(pace.stderr).toContain('--pace must be a non-negative number');
  });
});
