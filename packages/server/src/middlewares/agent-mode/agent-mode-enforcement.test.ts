import {
  agentModeAllowedToolsKey,
  createToolConfig,
  createTurn,
  RecordingSink,
  runToolLoop,
  ScriptedEngine,
  ToolRegistry,
  type Turn,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { agentModeHarness, agentModeScript, countingTools } from '../testing/agent-mode-harness.js';
import { InMemoryAgentModeStore } from './agent-mode-store.js';

const toolResults = (turn: Turn) =>
  turn.blocks.flatMap((block) =>
    block.kind === 'tool_use' ? [{ error: block.payload.error, result: block.payload.result }] : [],
  );

describe('agent mode enforcement: only allowed tools are advertised and executed', () => {
  it('hides and refuses a forbidden tool on the very first engine call of a session', async () => {
    const harness = agentModeHarness(new InMemoryAgentModeStore());
    const turn = await harness.ask('use calculator');
    expect(harness.engine.calls.map((call) => call.tools)).toEqual([['current_time'], ['current_time']]);
    expect(harness.tools.runs.calculator).toBe(0);
    // The turn carried no list before this first call: the executor reads the one the middleware wrote.
    expect(harness.sink.ofType('tool-call-execute').map((event) => event.tool_call.name)).toEqual(['calculator']);
    expect(toolResults(turn)).toEqual([{ error: 'tool not allowed: calculator', result: undefined }]);
    expect(turn.blocks.at(-1)?.payload).toMatchObject({ text: 'calculator: tool not allowed: calculator' });
    expect(harness.sink.ofType('tool-call-execution-result').map((event) => event.tool_result)).toEqual([
      {
        id: expect.any(String),
        name: 'calculator',
        result: 'Error: tool not allowed: calculator',
        error: 'tool not allowed: calculator',
        duration_ms: expect.any(Number),
      },
    ]);
  });

  it('keeps refusing on later turns, and follows a switch: the new mode allows what the old forbade', async () => {
    const harness = agentModeHarness(new InMemoryAgentModeStore());
    await harness.ask('hello');
    const refused = await harness.ask('use calculator');
    expect(toolResults(refused).at(-1)?.error).toBe('tool not allowed: calculator');
    expect(harness.tools.runs.calculator).toBe(0);
    expect(harness.sink.ofType('tool-call-execute').map((event) => event.tool_call.name)).toEqual(['calculator']);

    await harness.ask('switch to math');
    const allowed = await harness.ask('use calculator');
    expect(harness.engine.calls.at(-1)?.tools).toEqual(['calculator']);
    expect(harness.tools.runs.calculator).toBe(1);
    expect(toolResults(allowed).at(-1)).toEqual({ error: '', result: '{"result":42}' });

    const clock = await harness.ask('use clock');
    expect(toolResults(clock).at(-1)?.error).toBe('tool not allowed: current_time');
    expect(harness.tools.runs.current_time).toBe(0);
  });

  it("relies on the tool loop's executor as a second layer once the turn carries the mode's list", async () => {
    const tools = countingTools();
    const turn = createTurn({ blocks: [userBlock('use calculator')] });
    turn.data.set(agentModeAllowedToolsKey, ['current_time']);
    const engine = new ScriptedEngine({ script: agentModeScript });
    const sink = new RecordingSink();
    const seen: string[][] = [];
    await runToolLoop(turn, {
      handler: (current, context) => {
        seen.push(context.tools.map((tool) => tool.name));
        return engine.infer(current, context);
      },
      registry: new ToolRegistry(tools.tools),
      toolConfig: createToolConfig(),
      context: { signal: new AbortController().signal, sessionId: 's', inferenceId: 'i', sink },
    });
    expect(seen).toEqual([['current_time'], ['current_time']]);
    expect(tools.runs.calculator).toBe(0);
    expect(toolResults(turn)[0]?.error).toBe('tool not allowed: calculator');
  });
});
