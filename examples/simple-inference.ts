// A session, the offline scripted engine and one inference; prints the final turn as YAML.
//
//   node --import tsx examples/simple-inference.ts
//
// No registry is configured, so every inference is a single engine call (no tool loop).

import {
  createEngineBuilder,
  parseScriptYaml,
  ScriptedEngine,
  Session,
  SessionError,
  systemPromptMiddleware,
  turnToYaml,
} from '@cricket/core';

// A script makes the answer short and predictable; without one the engine answers with its demo rules.
const script = parseScriptYaml(`
model: scripted-simple
rules:
  - match: hello
    steps:
      - text: "Hello! You wrote: {{prompt}}"
        usage: {input_tokens: 12, output_tokens: 6}
  - steps:
      - text: "Second answer, to: {{prompt}}"
        usage: {input_tokens: 30, output_tokens: 7}
`);

const session = new Session({
  id: 'session-demo',
  builder: createEngineBuilder({
    engine: new ScriptedEngine({ script }),
    middlewares: [systemPromptMiddleware('You are a terse assistant.')],
  }),
});

// Starting without a prompt fails: the session has no seed turn yet.
try {
  session.startInference();
} catch (error) {
  if (error instanceof SessionError) console.log(`before any prompt: ${error.code} (${error.message})`);
}

// 1. Append a prompt: a new turn (a clone of the latest one, here empty) with one user block.
session.appendNewTurnFromUserPrompt('Hello, Cricket');

// 2. Start the inference. The handle comes back at once; wait() resolves with the finished turn.
const handle = session.startInference({ inferenceId: 'inference-1' });
console.log(`running right after start: ${handle.isRunning()}`);
const turn = await handle.wait();
console.log(`running after wait: ${handle.isRunning()}`);

// The inference mutated the session's latest turn in place: the handle's input, the result and the
// history entry are one object.
console.log(`result is the history entry: ${turn === session.latest() && turn === handle.input}`);

// 3. Print the turn as YAML. Turn and block ids are random UUIDs; mask them for a stable printout.
console.log('--- final turn ---');
console.log(maskUuids(turnToYaml(turn)).trimEnd());

// A second prompt clones the finished turn; the first snapshot is never touched again.
session.appendNewTurnFromUserPrompt('And again');
await session.startInference({ inferenceId: 'inference-2' }).wait();
console.log('--- history ---');
for (const [index, snapshot] of session.turns.entries()) {
  console.log(`turn ${index + 1}: ${snapshot.blocks.map((block) => block.kind).join(', ')}`);
}

/** Replaces every UUID with a numbered placeholder (the same UUID always gets the same number). */
function maskUuids(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => {
    const known = seen.get(uuid);
    if (known) return known;
    const placeholder = `<uuid-${seen.size + 1}>`;
    seen.set(uuid, placeholder);
    return placeholder;
  });
}
