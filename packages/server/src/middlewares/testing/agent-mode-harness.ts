import {
  createEngineBuilder,
  defineTool,
  parseScriptYaml,
  RecordingSink,
  ScriptedEngine,
  Session,
  systemPromptMiddleware,
  type ToolDefinition,
  ToolRegistry,
  type Turn,
  toolResultReorderMiddleware,
} from '@cricket/core';
import { z } from 'zod';
import { parseAgentModeConfig } from '../agent-mode/agent-mode-config.js';
import { agentModeMiddleware } from '../agent-mode/agent-mode-middleware.js';
import type { AgentModeStore } from '../agent-mode/agent-mode-store.js';
import { SpyEngine } from './spy-engine.js';

/** Modes used by the agent-mode tests: `chat` may only tell the time, `math` only calculate, `free` anything. */
export const testModes = {
  default_mode: 'chat',
  modes: [
    { name: 'chat', prompt: 'Talk with the user.', allowed_tools: ['current_time'] },
    { name: 'math', prompt: 'Compute carefully.', allowed_tools: ['calculator'] },
    { name: 'free', prompt: '' },
  ],
};

/** A scripted model: each prompt prefix plays one behaviour (switches, bad YAML, tool calls). */
export const agentModeScript = parseScriptYaml(`
model: scripted-agent
rules:
  - match: "^switch to math"
    steps:
      - text: |
          Numbers are better handled in math mode.

          \`\`\`yaml
          mode_switch:
            analysis: The user wants arithmetic.
            new_mode: MATH
          \`\`\`
  - match: "^switch to free"
    steps:
      - text: |
          \`\`\`yaml
          mode_switch:
            analysis: Anything goes.
            new_mode: free
          \`\`\`
  - match: "^stay"
    steps:
      - text: |
          \`\`\`yaml
          mode_switch:
            analysis: The current mode still fits.
          \`\`\`
  - match: "^unknown mode"
    steps:
      - text: |
          \`\`\`yaml
          mode_switch:
            analysis: Stars will tell.
            new_mode: astrology
          \`\`\`
  - match: "^malformed"
    steps:
      - text: |
          \`\`\`yaml
          mode_switch: {analysis: [unclosed
          \`\`\`
          \`\`\`yaml
          mode_switch: just a string
          \`\`\`
  - match: "^use calculator"
    steps:
      - tool_calls: [{ name: calculator, args: { expression: "6*7" } }]
      - text: "calculator: {{tool_result}}{{tool_error}}"
  - match: "^use clock"
    steps:
      - tool_calls: [{ name: current_time, args: {} }]
      - text: "clock: {{tool_result}}{{tool_error}}"
  - steps:
      - text: "plain answer to {{prompt}}"
`);

/** Test tools that count their executions. */
export interface CountingTools {
  tools: ToolDefinition[];
  runs: Record<string, number>;
}

/** `calculator` (always 42) and `current_time` (a fixed instant), counting their runs. */
export function countingTools(): CountingTools {
  const runs: Record<string, number> = { calculator: 0, current_time: 0 };
  const tools = [
    defineTool({
      name: 'calculator',
      description: 'Evaluates arithmetic.',
      input: z.object({ expression: z.string() }),
      execute: () => {
        runs.calculator = (runs.calculator ?? 0) + 1;
        return { result: 42 };
      },
    }),
    defineTool({
      name: 'current_time',
      description: 'Tells the time.',
      input: z.object({}),
      execute: () => {
        runs.current_time = (runs.current_time ?? 0) + 1;
        return { now: '2026-01-01T00:00:00Z' };
      },
    }),
  ];
  return { tools, runs };
}

/** A session whose inferences run the tool loop through the server's middleware order. */
export interface AgentModeHarness {
  session: Session;
  engine: SpyEngine;
  sink: RecordingSink;
  tools: CountingTools;
  /** Appends `prompt` and runs one inference; resolves with the final turn. */
  ask(prompt: string): Promise<Turn>;
}

/** Builds a harness over `store` with {@link testModes} (or `modes`) and {@link agentModeScript}. */
export function agentModeHarness(
  store: AgentModeStore,
  modes: unknown = testModes,
  sessionId = 'session-1',
): AgentModeHarness {
  const engine = new SpyEngine(new ScriptedEngine({ script: agentModeScript }));
  const sink = new RecordingSink();
  const tools = countingTools();
  const builder = createEngineBuilder({
    engine,
    middlewares: [
      toolResultReorderMiddleware(),
      agentModeMiddleware({ catalog: parseAgentModeConfig(modes), store, now: () => Date.UTC(2026, 0, 1) }),
      systemPromptMiddleware('You are a test assistant.'),
    ],
    registry: new ToolRegistry(tools.tools),
    sinks: [sink],
  });
  const session = new Session({ id: sessionId, builder });
  return {
    session,
    engine,
    sink,
    tools,
    async ask(prompt) {
      session.appendNewTurnFromUserPrompt(prompt);
      return session.startInference().wait();
    },
  };
}
