import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InferenceEvent } from '../events/inference-event.js';
import type { PendingToolCall } from '../turns/tool-blocks.js';
import { calculatorTool } from './builtin/calculator.js';
import { createToolConfig, type ToolConfig } from './tool-config.js';
import { defineTool } from './tool-definition.js';
import { executeToolCalls } from './tool-executor.js';
import { ToolRegistry } from './tool-registry.js';

function run(
  calls: PendingToolCall[],
  registry: ToolRegistry,
  config: Partial<ToolConfig> = {},
  signal = new AbortController().signal,
) {
  const events: InferenceEvent[] = [];
  const promise = executeToolCalls(calls, {
    registry,
    config: createToolConfig(config),
    signal,
    publish: (event) => events.push(event),
    metadata: () => ({ message_id: 'm', session_id: 's', inference_id: 'i', turn_id: 't' }),
  });
  return { promise, events };
}

const call = (id: string, name: string, args: Record<string, unknown> = {}): PendingToolCall => ({ id, name, args });

describe('tool executor', () => {
  it('runs a call and encodes its result as JSON, with correlated events', async () => {
    const { promise, events } = run(
      [call('c1', 'calculator', { expression: '6*7' })],
      new ToolRegistry([calculatorTool]),
    );
    const { outcomes } = await promise;
    expect(outcomes[0]).toMatchObject({ id: 'c1', name: 'calculator', error: '' });
    expect(JSON.parse(outcomes[0]?.result ?? '')).toEqual({ expression: '6*7', result: 42 });
    expect(events.map((event) => event.type)).toEqual(['tool-call-execute', 'tool-call-execution-result']);
    for (const event of events) expect(event.meta).toMatchObject({ session_id: 's', inference_id: 'i', turn_id: 't' });
  });

  it('turns unknown tools, schema failures and throwing tools into error outcomes', async () => {
    const thrower = defineTool({
      name: 'thrower',
      description: 'always throws',
      input: z.object({}),
      execute: () => {
        throw new Error('kaput');
      },
    });
    const { promise } = run(
      [call('a', 'nope'), call('b', 'calculator', { expression: 5 }), call('c', 'thrower')],
      new ToolRegistry([calculatorTool, thrower]),
    );
    const { outcomes } = await promise;
    expect(outcomes.map((outcome) => outcome.errorCode)).toEqual([
      'tool-not-found',
      'tool-invalid-arguments',
      'tool-failed',
    ]);
    expect(outcomes[0]?.error).toBe('tool not found: nope');
    expect(outcomes[1]?.error).toMatch(/invalid arguments for calculator: expression/);
    expect(outcomes[2]?.error).toBe('kaput');
    for (const outcome of outcomes) expect(outcome.result).toBeUndefined();
  });

  it('runs in parallel up to max_parallel_tools and enforces the timeout on a hanging tool', async () => {
    let running = 0;
    let peak = 0;
    const sleepy = defineTool({
      name: 'sleepy',
      description: 'sleeps',
      input: z.object({ ms: z.number() }),
      execute: async ({ ms }) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, ms));
        running--;
        return { slept: ms };
      },
    });
    const hang = defineTool({
      name: 'hang',
      description: 'never returns',
      input: z.object({}),
      execute: () => new Promise(() => undefined),
    });
    const calls = [
      call('h', 'hang'),
      ...Array.from({ length: 6 }, (_, index) => call(`s${index}`, 'sleepy', { ms: 30 })),
    ];
    const started = performance.now();
    const { outcomes } = await run(calls, new ToolRegistry([sleepy, hang]), {
      max_parallel_tools: 3,
      execution_timeout_ms: 100,
    }).promise;
    const elapsed = performance.now() - started;
    expect(outcomes.map((outcome) => outcome.id)).toEqual(calls.map((entry) => entry.id));
    expect(outcomes[0]).toMatchObject({ errorCode: 'tool-timeout', error: 'tool hang timed out after 100ms' });
    for (const outcome of outcomes.slice(1)) expect(outcome.result).toBe('{"slept":30}');
    expect(peak).toBe(2);
    expect(elapsed).toBeLessThan(2000);
  });

  it('runs sequentially when max_parallel_tools is 1', async () => {
    const order: string[] = [];
    const step = defineTool({
      name: 'step',
      description: 'records',
      input: z.object({ label: z.string() }),
      execute: async ({ label }) => {
        order.push(`start ${label}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`end ${label}`);
        return label;
      },
    });
    await run([call('a', 'step', { label: 'a' }), call('b', 'step', { label: 'b' })], new ToolRegistry([step]), {
      max_parallel_tools: 1,
    }).promise;
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('retries with backoff under the retry policy', async () => {
    let attempts = 0;
    const flaky = defineTool({
      name: 'flaky',
      description: 'fails twice',
      input: z.object({}),
      execute: () => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
        return 'ok';
      },
    });
    const { outcomes } = await run([call('f', 'flaky')], new ToolRegistry([flaky]), {
      tool_error_handling: 'retry',
      retry_config: { max_retries: 2, backoff_base_ms: 5, backoff_factor: 2 },
    }).promise;
    expect(attempts).toBe(3);
    expect(outcomes[0]?.result).toBe('"ok"');

    attempts = -10;
    const { outcomes: exhausted } = await run([call('f', 'flaky')], new ToolRegistry([flaky]), {
      tool_error_handling: 'retry',
      retry_config: { max_retries: 1, backoff_base_ms: 1, backoff_factor: 2 },
    }).promise;
    expect(exhausted[0]?.error).toBe('attempt -8 failed');
  });

  it('does not retry under the continue policy', async () => {
    let attempts = 0;
    const failing = defineTool({
      name: 'failing',
      description: 'fails',
      input: z.object({}),
      execute: () => {
        attempts++;
        throw new Error('no');
      },
    });
    await run([call('f', 'failing')], new ToolRegistry([failing])).promise;
    expect(attempts).toBe(1);
  });

  it('skips calls that had not started after a failure under the abort policy', async () => {
    const failing = defineTool({
      name: 'failing',
      description: 'fails',
      input: z.object({}),
      execute: () => Promise.reject(new Error('bad')),
    });
    const { outcomes, aborted } = await run(
      [call('a', 'failing'), call('b', 'calculator', { expression: '1' })],
      new ToolRegistry([failing, calculatorTool]),
      {
        tool_error_handling: 'abort',
        max_parallel_tools: 1,
      },
    ).promise;
    expect(aborted).toEqual({ name: 'failing', message: 'bad' });
    expect(outcomes[1]?.error).toBe('skipped: tool execution aborted due to error in failing: bad');
  });

  it('reports cancellation to running tools and refuses non-serialisable results', async () => {
    const controller = new AbortController();
    const waiting = defineTool({
      name: 'waiting',
      description: 'waits for abort',
      input: z.object({}),
      execute: (_args, context) =>
        new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    const weird = defineTool({
      name: 'weird',
      description: 'returns a function',
      input: z.object({}),
      execute: () => ({ f: () => 1 }),
    });
    const pending = run(
      [call('w', 'waiting'), call('x', 'weird')],
      new ToolRegistry([waiting, weird]),
      {},
      controller.signal,
    );
    setTimeout(() => controller.abort(), 10);
    const { outcomes } = await pending.promise;
    expect(outcomes[0]).toMatchObject({ errorCode: 'tool-cancelled', error: 'execution cancelled' });
    expect(outcomes[1]?.error).toMatch(/not JSON-serialisable/);
  });

  it('fills correlation ids into events a tool publishes and advertises defaulted fields as optional', async () => {
    const chatty = defineTool({
      name: 'chatty',
      description: 'logs',
      input: z.object({ level: z.enum(['info', 'warn']).default('info') }),
      execute: (args, context) => {
        context.publish({ type: 'log', meta: { message_id: '' }, level: args.level, message: 'working' });
        return 'ok';
      },
    });
    expect(chatty.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(chatty.parameters.required ?? []).not.toContain('level');
    const { promise, events } = run([call('c', 'chatty')], new ToolRegistry([chatty]));
    await promise;
    const log = events.find((event) => event.type === 'log');
    expect(log?.meta).toMatchObject({ message_id: 'm', session_id: 's', inference_id: 'i', turn_id: 't' });
  });
});
