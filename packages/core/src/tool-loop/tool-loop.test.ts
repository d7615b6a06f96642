import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import type { SnapshotPhase } from '../engine/inference-context.js';
import { InferenceError } from '../errors/inference-error.js';
import { RecordingSink } from '../events/event-sink.js';
import { systemPromptMiddleware } from '../middleware/system-prompt-middleware.js';
import { parseScriptYaml } from '../scripted-engine/script.js';
import { ScriptedEngine } from '../scripted-engine/scripted-engine.js';
import { Session } from '../session/session.js';
import { builtinTools } from '../tools/builtin/index.js';
import { defineTool } from '../tools/tool-definition.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { toolCallBlock } from '../turns/block.js';
import { turnToYaml } from '../turns/turn-yaml.js';
import { toolConfigKey, usageKey } from '../turns/well-known-keys.js';
import { createEngineBuilder, type EngineBuilderOptions } from './engine-builder.js';
import { StepController } from './step-controller.js';

function sessionWith(options: Omit<EngineBuilderOptions, 'sinks' | 'snapshot'>) {
  const sink = new RecordingSink();
  const snapshots: { phase: SnapshotPhase; kinds: string[] }[] = [];
  const session = new Session({
    builder: createEngineBuilder({
      ...options,
      sinks: [sink],
      snapshot: (turn, phase) => {
        snapshots.push({ phase, kinds: turn.blocks.map((block) => block.kind) });
      },
    }),
  });
  return { session, sink, snapshots };
}

/** An engine that asks for the given tool calls on every call. */
function alwaysCalls(calls: { name: string; args: Record<string, unknown> }[]): Engine {
  let counter = 0;
  return {
    info: { provider: 'test', model: 'loop' },
    async infer(turn) {
      for (const call of calls) turn.blocks.push(toolCallBlock(`c${counter++}`, call.name, call.args));
      return turn;
    },
  };
}

describe('tool loop with the scripted engine', () => {
  it('answers an arithmetic question through the calculator: blocks and the four snapshot phases', async () => {
    const { session, sink, snapshots } = sessionWith({
      engine: new ScriptedEngine(),
      middlewares: [systemPromptMiddleware('You are Cricket.')],
      registry: new ToolRegistry(builtinTools()),
    });
    session.appendNewTurnFromUserPrompt('What is 12 * (3 + 4)?');
    const turn = await session.startInference().wait();

    expect(turn.blocks.map((block) => block.kind)).toEqual(['system', 'user', 'tool_call', 'tool_use', 'llm_text']);
    const result = turn.blocks[3];
    expect(result?.kind === 'tool_use' && JSON.parse(result.payload.result ?? 'null')).toEqual({
      expression: '12 * (3 + 4)',
      result: 84,
    });
    const answer = turn.blocks[4];
    expect(answer?.kind === 'llm_text' && answer.payload.text).toContain('**84**');
    expect(snapshots.map((snapshot) => snapshot.phase)).toEqual([
      'pre_inference',
      'post_inference',
      'post_tools',
      'pre_inference',
      'post_inference',
      'final',
    ]);
    expect(snapshots.at(-1)?.kinds).toEqual(['system', 'user', 'tool_call', 'tool_use', 'llm_text']);
    expect(turn.data.get(toolConfigKey)?.max_iterations).toBe(20);

    const types = sink.types();
    expect(types.filter((type) => type === 'start')).toHaveLength(2);
    expect(types).toContain('tool-call');
    expect(types.indexOf('tool-call-execute')).toBeLessThan(types.indexOf('tool-call-execution-result'));
    for (const event of sink.events) {
      expect(event.meta.session_id).toBe(session.id);
      expect(event.meta.inference_id).toBe(turn.metadata.getRaw('geppetto.inference_id@v1'));
      expect(event.meta.turn_id).toBe(turn.id);
    }
    expect(turnToYaml(turn)).toContain('kind: tool_use');
  });

  it('stops with a typed error after max iterations and still takes the final snapshot', async () => {
    const { session, snapshots } = sessionWith({
      engine: alwaysCalls([{ name: 'calculator', args: { expression: '1+1' } }]),
      registry: new ToolRegistry(builtinTools()),
      maxIterations: 3,
    });
    session.appendNewTurnFromUserPrompt('loop forever');
    const error = await session
      .startInference()
      .wait()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('max-iterations');
    expect((error as InferenceError).message).toBe('max iterations (3) reached');
    expect(snapshots.filter((snapshot) => snapshot.phase === 'pre_inference')).toHaveLength(3);
    expect(snapshots.at(-1)?.phase).toBe('final');
    expect(session.latest()?.blocks.filter((block) => block.kind === 'tool_use')).toHaveLength(3);
  });

  it('defaults to 20 iterations', async () => {
    const { session } = sessionWith({
      engine: alwaysCalls([{ name: 'calculator', args: { expression: '1' } }]),
      registry: new ToolRegistry(builtinTools()),
    });
    session.appendNewTurnFromUserPrompt('loop');
    await expect(session.startInference().wait()).rejects.toThrow('max iterations (20) reached');
  });

  it('cancels mid-tool: the running tool sees the abort and pending calls are closed with error results', async () => {
    let toolSawAbort = false;
    const slow = defineTool({
      name: 'slow',
      description: 'waits until cancelled',
      input: z.object({}),
      execute: (_args, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            toolSawAbort = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const { session, sink } = sessionWith({
      engine: alwaysCalls([
        { name: 'slow', args: {} },
        { name: 'slow', args: {} },
      ]),
      registry: new ToolRegistry([slow]),
      toolConfig: { max_parallel_tools: 1 },
    });
    session.appendNewTurnFromUserPrompt('go');
    const handle = session.startInference();
    while (sink.ofType('tool-call-execute').length < 1) await new Promise((resolve) => setTimeout(resolve, 2));
    handle.cancel();
    await expect(handle.wait()).rejects.toMatchObject({ code: 'cancelled' });
    expect(toolSawAbort).toBe(true);
    const uses = session.latest()?.blocks.filter((block) => block.kind === 'tool_use') ?? [];
    expect(uses).toHaveLength(2);
    for (const use of uses) expect(use.payload.error).toMatch(/cancelled/);
  });

  it('cancels mid-stream of a scripted tool round', async () => {
    const script = parseScriptYaml(`
pace_ms: 5
chunk_chars: 2
rules:
  - steps:
      - text: a fairly long preamble before the tool call
        tool_calls: [{name: calculator, args: {expression: "1+1"}}]
`);
    const { session, sink } = sessionWith({
      engine: new ScriptedEngine({ script }),
      registry: new ToolRegistry(builtinTools()),
    });
    session.appendNewTurnFromUserPrompt('x');
    const handle = session.startInference();
    while (sink.ofType('partial').length < 2) await new Promise((resolve) => setTimeout(resolve, 2));
    handle.cancel();
    await expect(handle.wait()).rejects.toMatchObject({ code: 'cancelled' });
    expect(sink.ofType('interrupt')).toHaveLength(1);
    expect(sink.ofType('tool-call-execute')).toHaveLength(0);
  });

  it('advertises only allowed tools and refuses to execute others', async () => {
    const seen: string[][] = [];
    const engine: Engine = {
      info: { provider: 'test', model: 'spy' },
      async infer(turn, context) {
        seen.push(context.tools.map((tool) => tool.name));
        if (seen.length === 1) turn.blocks.push(toolCallBlock('c1', 'current_time', {}));
        return turn;
      },
    };
    const { session, sink } = sessionWith({
      engine,
      registry: new ToolRegistry(builtinTools()),
      toolConfig: { allowed_tools: ['calculator'] },
    });
    session.appendNewTurnFromUserPrompt('what time is it');
    const turn = await session.startInference().wait();
    expect(seen).toEqual([['calculator'], ['calculator']]);
    const use = turn.blocks.find((block) => block.kind === 'tool_use');
    expect(use?.payload.error).toBe('tool not allowed: current_time');
    expect(sink.ofType('tool-call-execution-result')[0]?.tool_result.result).toBe(
      'Error: tool not allowed: current_time',
    );
  });

  it('advertises nothing when tools are disabled', async () => {
    const seen: number[] = [];
    const engine: Engine = {
      info: { provider: 'test', model: 'spy' },
      async infer(turn, context) {
        seen.push(context.tools.length);
        return turn;
      },
    };
    const { session } = sessionWith({
      engine,
      registry: new ToolRegistry(builtinTools()),
      toolConfig: { enabled: false },
    });
    session.appendNewTurnFromUserPrompt('x');
    await session.startInference().wait();
    expect(seen).toEqual([0]);
  });

  it('pauses in step mode after inference and after tools until continued', async () => {
    const controller = new StepController();
    const { session, sink } = sessionWith({
      engine: new ScriptedEngine(),
      registry: new ToolRegistry(builtinTools()),
      stepController: controller,
    });
    controller.enable(session.id, { conversation_id: 'conv-1' });
    session.appendNewTurnFromUserPrompt('what is 2 + 2');
    const handle = session.startInference();
    const waitForPause = async (count: number) => {
      while (sink.ofType('debugger.pause').length < count) await new Promise((resolve) => setTimeout(resolve, 2));
      return sink.ofType('debugger.pause')[count - 1];
    };
    const first = await waitForPause(1);
    expect(first?.phase).toBe('after_inference');
    expect(first?.extra).toMatchObject({ conversation_id: 'conv-1', pending_tools: 1 });
    expect(sink.ofType('tool-call-execute')).toHaveLength(0);
    expect(controller.continue(first?.pause_id ?? '')?.phase).toBe('after_inference');
    const second = await waitForPause(2);
    expect(second?.phase).toBe('after_tools');
    controller.disable(session.id);
    const turn = await handle.wait();
    expect(turn.blocks.at(-1)?.kind).toBe('llm_text');
    expect(controller.continue('unknown')).toBeUndefined();
  });

  it('auto-continues a pause after its timeout', async () => {
    const controller = new StepController(20);
    const { session, sink } = sessionWith({
      engine: new ScriptedEngine(),
      registry: new ToolRegistry(builtinTools()),
      stepController: controller,
    });
    controller.enable(session.id);
    session.appendNewTurnFromUserPrompt('what is 3 * 3');
    const turn = await session.startInference().wait();
    expect(sink.ofType('debugger.pause').map((event) => event.phase)).toEqual(['after_inference', 'after_tools']);
    expect(turn.blocks.at(-1)?.kind).toBe('llm_text');
  });

  it('reports a failing snapshot hook and a failing persister as log events without failing the inference', async () => {
    const sink = new RecordingSink();
    const session = new Session({
      builder: createEngineBuilder({
        engine: new ScriptedEngine(),
        sinks: [sink],
        snapshot: () => {
          throw new Error('disk full');
        },
        persister: async () => {
          throw new Error('db locked');
        },
      }),
    });
    session.appendNewTurnFromUserPrompt('hello');
    await session.startInference().wait();
    const messages = sink.ofType('log').map((event) => event.message);
    expect(messages).toContain('snapshot hook failed at pre_inference: disk full');
    expect(messages).toContain('turn persister failed: db locked');
  });

  it('calls the persister with the final turn on success only', async () => {
    const persisted: string[] = [];
    const session = new Session({
      builder: createEngineBuilder({
        engine: new ScriptedEngine(),
        persister: (turn) => {
          persisted.push(turn.id);
        },
      }),
    });
    const turn = session.appendNewTurnFromUserPrompt('hello');
    await session.startInference().wait();
    session.appendNewTurnFromUserPrompt('/fail please');
    await expect(session.startInference().wait()).rejects.toThrow('scripted failure requested: please');
    expect(persisted).toEqual([turn.id]);
  });
});

describe('tool loop accounting', () => {
  it('takes max iterations from the tool config when the builder sets none', async () => {
    const { session } = sessionWith({
      engine: alwaysCalls([{ name: 'calculator', args: { expression: '1' } }]),
      registry: new ToolRegistry(builtinTools()),
      toolConfig: { max_iterations: 2 },
    });
    session.appendNewTurnFromUserPrompt('loop');
    await expect(session.startInference().wait()).rejects.toThrow('max iterations (2) reached');
  });

  it('sums the usage of every engine call of the inference', async () => {
    const script = parseScriptYaml(`
rules:
  - steps:
      - tool_calls: [{name: calculator, args: {expression: "1+1"}}]
        usage: {input_tokens: 10, output_tokens: 2}
      - text: done
        usage: {input_tokens: 15, output_tokens: 3, cached_tokens: 8}
`);
    const { session } = sessionWith({
      engine: new ScriptedEngine({ script }),
      registry: new ToolRegistry(builtinTools()),
    });
    session.appendNewTurnFromUserPrompt('x');
    const turn = await session.startInference().wait();
    expect(turn.metadata.get(usageKey)).toEqual({ input_tokens: 25, output_tokens: 5, cached_tokens: 8 });
    session.appendNewTurnFromUserPrompt('again');
    const next = await session.startInference().wait();
    expect(next.metadata.get(usageKey)).toEqual({ input_tokens: 25, output_tokens: 5, cached_tokens: 8 });
  });
});
