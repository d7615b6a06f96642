// Runs every example as its own process (as a user would) and checks what it prints.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');

interface Execution {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<name>` with tsx from the repository root. */
function runExample(name: string): Promise<Execution> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('examples', name)], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an example and fails with its stderr unless it exited with 0. */
async function output(name: string): Promise<string> {
  const execution = await runExample(name);
  expect(execution.stderr).toBe('');
  expect(execution.code).toBe(0);
  return execution.stdout;
}

/** The lines printed under `--- title ---`, up to the next `---` heading. */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(`--- ${title} ---`);
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith('--- '));
  return (end < 0 ? rest : rest.slice(0, end)).filter((line) => line !== '');
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// Each example is a fresh Node process compiling TypeScript; leave room for a busy machine.
describe.concurrent('examples', { timeout: 60_000 }, () => {
  it('simple-inference.ts: one single-pass inference, the turn as YAML, the history', async () => {
    const stdout = await output('simple-inference.ts');
    expect(stdout).not.toMatch(uuidPattern);
    expect(stdout).toContain(
      'before any prompt: session-empty-turn (session has no seed turn (or seed turn is empty))\n',
    );
    expect(stdout).toContain('running right after start: true\nrunning after wait: false\n');
    expect(stdout).toContain('result is the history entry: true\n');

    const yaml = section(stdout, 'final turn');
    expect(yaml.slice(0, 2)).toEqual(['version: 1', 'id: <uuid-1>']);
    expect(yaml.filter((line) => line.trim().startsWith('kind:')).map((line) => line.trim())).toEqual([
      'kind: system',
      'kind: user',
      'kind: llm_text',
    ]);
    expect(yaml).toContain('      geppetto.middleware@v1: systemprompt');
    expect(yaml).toContain('      text: "Hello! You wrote: Hello, Cricket"');
    expect(yaml).toContain('  geppetto.session_id@v1: session-demo');
    expect(yaml).toContain('  geppetto.inference_id@v1: inference-1');
    expect(yaml).toContain('  geppetto.model@v1: scripted-simple');
    expect(yaml).toContain('  geppetto.stop_reason@v1: stop');

    expect(section(stdout, 'history')).toEqual([
      'turn 1: system, user, llm_text',
      'turn 2: system, user, llm_text, user, llm_text',
    ]);
  });

  it('streaming-events.ts: deltas, event order, sink errors, NDJSON round trip', async () => {
    const stdout = await output('streaming-events.ts');
    const deltas = section(stdout, 'deltas as printed by the custom sink');
    expect(deltas[0]).toBe('thinking "Short "');
    expect(deltas.filter((line) => line.startsWith('text '))).toHaveLength(6);
    expect(deltas.at(-1)).toBe('final    "Events stream as deltas, then one final event."');

    expect(section(stdout, 'event types (recording sink)')).toEqual(['start, partial-thinking ×4, partial ×6, final']);
    expect(section(stdout, 'correlation metadata')).toEqual([
      'session_id: session-events',
      'inference_id: inference-events',
      'every event has the turn id: true',
      'message ids (one per engine call): 1',
      'final usage: {"input_tokens":20,"output_tokens":11}; stop_reason: stop',
    ]);
    expect(section(stdout, 'sink errors reported')).toEqual(['final: disk full']);

    const ndjson = section(stdout, 'NDJSON round trip');
    expect(ndjson[0]).toBe('lines: 12; equal after decoding: true');
    expect(JSON.parse(ndjson[1] ?? '')).toEqual({
      type: 'partial',
      meta: {
        message_id: '<message-id>',
        model: 'scripted',
        session_id: 'session-events',
        inference_id: 'inference-events',
        turn_id: '<turn-id>',
      },
      delta: 'Events ',
      completion: 'Events ',
    });
    expect(ndjson[2]).toBe('decode error: event-decode-failed');
  });

  it('tool-calling.ts: custom and built-in tools through the tool loop', async () => {
    const stdout = await output('tool-calling.ts');
    expect(section(stdout, 'registered tools')).toEqual(['calculator, current_time, convert_temperature']);
    const schema = JSON.parse(section(stdout, 'JSON Schema of convert_temperature')[0] ?? '');
    expect(schema).toMatchObject({ type: 'object', required: ['celsius'], additionalProperties: false });
    expect(Object.keys(schema.properties)).toEqual(['celsius', 'precision']);

    expect(section(stdout, 'block kinds')).toEqual([
      'user, llm_text, tool_call, tool_call, tool_use, tool_use, tool_call, tool_call, tool_use, tool_use, llm_text',
    ]);
    expect(section(stdout, 'tool results (tool_use blocks)')).toEqual([
      'call_2_0: {"celsius":21.5,"fahrenheit":70.7}',
      'call_2_1: {"iso":"2026-03-01T09:30:00.000Z","timezone":"Europe/Paris","local":"2026-03-01 10:30:00","unix_ms":1772357400000}',
      'call_6_0: error: invalid arguments for convert_temperature: celsius: Invalid input: expected number, received string',
      'call_6_1: {"expression":"70.7 - 32","result":38.7}',
    ]);

    const snapshots = section(stdout, 'snapshot phases');
    expect(snapshots.map((line) => line.split(/\s+/)[0])).toEqual([
      'pre_inference',
      'post_inference',
      'post_tools',
      'pre_inference',
      'post_inference',
      'post_tools',
      'pre_inference',
      'post_inference',
      'final',
    ]);
    expect(snapshots[0]).toBe('pre_inference  user');
    expect(snapshots.at(-1)).toMatch(/^final\s+user llm_text .* tool_use llm_text$/);

    const executor = section(stdout, 'executor events');
    expect(executor.filter((line) => line.startsWith('execute ')).map((line) => line.split(' ')[1])).toEqual([
      'convert_temperature',
      'current_time',
      'convert_temperature',
      'calculator',
    ]);
    expect(executor).toContain(
      'result  convert_temperature Error: invalid arguments for convert_temperature: celsius: Invalid input: expected number, received string',
    );
    expect(executor.at(-1)).toBe('executor events carry session, inference and turn ids: true');

    expect(section(stdout, 'answer')).toEqual(['Done. The calculator said {"expression":"70.7 - 32","result":38.7}.']);
    const policy = section(stdout, 'tool policy stored on the turn');
    expect(policy[0]).toBe('decoded: max_parallel_tools=2 execution_timeout_ms=5000');
    expect(policy[1]).toContain('"execution_timeout":"5s"');
    expect(policy[1]).toContain('"backoff_base":"1s"');
  });

  it('middleware.ts: compose order and a chain around every engine call', async () => {
    const stdout = await output('middleware.ts');
    expect(section(stdout, 'compose(handler, a, b)')).toEqual([
      'a → in  (0 blocks)',
      'b → in  (0 blocks)',
      'handler (the engine call)',
      'b ← out (0 blocks)',
      'a ← out (0 blocks)',
    ]);
    expect(section(stdout, 'chain inside the tool loop')).toEqual([
      'outer → in  (1 blocks)',
      'inner → in  (2 blocks)',
      'inner ← out (3 blocks)',
      'outer ← out (3 blocks)',
      'outer → in  (4 blocks)',
      'inner → in  (4 blocks)',
      'inner ← out (5 blocks)',
      'outer ← out (5 blocks)',
    ]);
    expect(section(stdout, 'turn logging middleware records')).toEqual([
      'inference started: session=session-middleware blocks=1',
      'inference finished: session=session-middleware blocks=3 system=1 user=1 tool_call=1',
      'inference started: session=session-middleware blocks=4',
      'inference finished: session=session-middleware blocks=5 system=1 user=1 llm_text=1 tool_call=1 tool_use=1',
    ]);
    expect(section(stdout, 'result')).toEqual([
      'system, user, tool_call, tool_use, llm_text',
      'system prompt: You answer in one line.',
      'system block tagged by: systemprompt',
      'answer: THE ANSWER IS {"EXPRESSION":"6 * 7","RESULT":42}',
    ]);
  });

  it('structured-output.ts: a tagged YAML block becomes citation events', async () => {
    const stdout = await output('structured-output.ts');
    const deltas = section(stdout, 'visible deltas');
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).not.toContain('<');
    expect(deltas[0]).not.toContain('citations');
    expect(section(stdout, 'final text (filtered)')).toEqual([
      'Cricket keeps one event history per conversation.',
      'Every token is persisted.',
    ]);
    expect(stdout).toContain('Cricket keeps one event history per conversation.\n\nEvery token is persisted.\n');
    expect(section(stdout, 'extractor events')).toEqual([
      'info citations-started {"item_id":"<message-id>:0"}',
      'info citations-progress {"count":2}',
      'citation "Cricket README" https://example.com/cricket/readme (session session-structured)',
      'citation "Events guide" https://example.com/cricket/events (session session-structured)',
    ]);
    expect(section(stdout, 'the turn')).toEqual(['llm_text still holds the block: true']);
    expect(section(stdout, 'unclosed block, malformed: reconstruct-text')).toEqual([
      'final text: See <demo:citations:v1>citations: []',
      'info citations-started {"item_id":"m-unclosed:0"}',
      'error citations block failed: malformed structured block',
    ]);
  });
});
