// Tools through the tool loop: a custom zod tool plus the built-ins, driven by a scripted engine
// whose YAML script asks for the tools. Prints the block kinds, the snapshot phases and the executor events.
//
//   node --import tsx examples/tool-calling.ts

import {
  calculatorTool,
  createCurrentTimeTool,
  createEngineBuilder,
  defineTool,
  parseScriptYaml,
  RecordingSink,
  ScriptedEngine,
  Session,
  type SnapshotPhase,
  ToolRegistry,
  toolConfigKey,
} from '@cricket/core';
import { z } from 'zod';

// A custom tool: the zod schema validates the model's arguments and becomes the advertised JSON Schema.
const convertTemperature = defineTool({
  name: 'convert_temperature',
  description: 'Converts a temperature from degrees Celsius to degrees Fahrenheit.',
  input: z.object({
    celsius: z.number().describe('Temperature in degrees Celsius'),
    precision: z.number().int().min(0).max(4).optional().describe('Decimal places of the result (default 1)'),
  }),
  execute: ({ celsius, precision = 1 }) => ({
    celsius,
    fahrenheit: Number((celsius * 1.8 + 32).toFixed(precision)),
  }),
});

// current_time on a fixed clock, so the output is the same every time.
const currentTime = createCurrentTimeTool(() => new Date('2026-03-01T09:30:00Z'));

const registry = new ToolRegistry([calculatorTool, currentTime, convertTemperature]);

// Step N of a rule plays on engine call N of the inference. Step 0 asks for two tools at once (they
// run in parallel, up to max_parallel_tools); step 1 sends invalid arguments to one tool (the failure
// becomes an error result, the loop goes on) and asks the calculator; step 2 answers.
const script = parseScriptYaml(`
model: scripted-tools
rules:
  - match: temperature
    steps:
      - text: Let me check.
        tool_calls:
          - {name: convert_temperature, args: {celsius: 21.5}}
          - {name: current_time, args: {timezone: Europe/Paris}}
      - tool_calls:
          - {name: convert_temperature, args: {celsius: warm}}
          - {name: calculator, args: {expression: "70.7 - 32"}}
      - text: "Done. The calculator said {{tool_result}}."
`);

const sink = new RecordingSink();
const snapshots: { phase: SnapshotPhase; kinds: string }[] = [];
const session = new Session({
  id: 'session-tools',
  builder: createEngineBuilder({
    engine: new ScriptedEngine({ script }),
    registry,
    toolConfig: { max_parallel_tools: 2, execution_timeout_ms: 5_000 },
    sinks: [sink],
    snapshot: (turn, phase) => {
      snapshots.push({ phase, kinds: turn.blocks.map((block) => block.kind).join(' ') });
    },
  }),
});

console.log('--- registered tools ---');
console.log(
  registry
    .list()
    .map((tool) => tool.name)
    .join(', '),
);
console.log('--- JSON Schema of convert_temperature ---');
console.log(JSON.stringify(convertTemperature.parameters));

session.appendNewTurnFromUserPrompt('What is 21.5 °C in Fahrenheit, and what time is it in Paris? (temperature demo)');
const turn = await session.startInference({ inferenceId: 'inference-tools' }).wait();

console.log('--- block kinds ---');
console.log(turn.blocks.map((block) => block.kind).join(', '));

console.log('--- tool results (tool_use blocks) ---');
for (const block of turn.blocks) {
  if (block.kind === 'tool_use')
    console.log(`${block.payload.id}: ${block.payload.result ?? `error: ${block.payload.error}`}`);
}

console.log('--- snapshot phases ---');
for (const { phase, kinds } of snapshots) console.log(`${phase.padEnd(14)} ${kinds}`);

console.log('--- executor events ---');
for (const event of sink.events) {
  if (event.type === 'tool-call-execute') console.log(`execute ${event.tool_call.name} ${event.tool_call.input}`);
  if (event.type === 'tool-call-execution-result') {
    console.log(`result  ${event.tool_result.name} ${event.tool_result.result}`);
  }
}
const executorEvents = sink.events.filter((event) => event.type.startsWith('tool-call-execut'));
const correlated = executorEvents.every(
  (event) =>
    event.meta.session_id === 'session-tools' &&
    event.meta.inference_id === 'inference-tools' &&
    event.meta.turn_id === turn.id,
);
console.log(`executor events carry session, inference and turn ids: ${correlated}`);

console.log('--- answer ---');
console.log(turn.blocks.at(-1)?.payload.text);

// The loop records its tool policy on Turn.data; durations are kept as strings in the stored form.
console.log('--- tool policy stored on the turn ---');
const policy = turn.data.get(toolConfigKey);
console.log(
  `decoded: max_parallel_tools=${policy?.max_parallel_tools} execution_timeout_ms=${policy?.execution_timeout_ms}`,
);
console.log(`stored:  ${JSON.stringify(turn.data.getRaw(toolConfigKey.id))}`);
