// Middleware: custom middlewares next to the built-in system prompt and turn logging middlewares.
// Shows the compose order (the first middleware is the outermost) and that the chain wraps every
// engine call of the tool loop, not once per prompt.
//
//   node --import tsx examples/middleware.ts

import {
  blockIdSet,
  blocksAddedSince,
  builtinTools,
  compose,
  createEngineBuilder,
  createToolConfig,
  createTurn,
  type InferenceContext,
  type InferenceHandler,
  type Middleware,
  middlewareKey,
  parseScriptYaml,
  RecordingSink,
  ScriptedEngine,
  Session,
  systemPromptMiddleware,
  ToolRegistry,
  type TurnLogRecord,
  turnLoggingMiddleware,
} from '@cricket/core';

const trace: string[] = [];

/** A middleware that records when the turn passes it on the way in and on the way out. */
function tracing(name: string): Middleware {
  return (next) => async (turn, context) => {
    trace.push(`${name} → in  (${turn.blocks.length} blocks)`);
    const result = await next(turn, context);
    trace.push(`${name} ← out (${result.blocks.length} blocks)`);
    return result;
  };
}

/** Upper-cases the assistant text this engine call added (events already streamed are not changed). */
const shout: Middleware = (next) => async (turn, context) => {
  const before = blockIdSet(turn);
  const result = await next(turn, context);
  for (const block of blocksAddedSince(result, before)) {
    if (block.kind === 'llm_text') block.payload.text = block.payload.text.toUpperCase();
  }
  return result;
};

// 1. compose() on its own: compose(handler, a, b) is a(b(handler)).
const engineCall: InferenceHandler = async (turn) => {
  trace.push('handler (the engine call)');
  return turn;
};
const context: InferenceContext = {
  signal: new AbortController().signal,
  sessionId: 'session-compose',
  inferenceId: 'inference-compose',
  sink: new RecordingSink(),
  tools: [],
  toolConfig: createToolConfig(),
};
await compose(engineCall, tracing('a'), tracing('b'))(createTurn(), context);
console.log('--- compose(handler, a, b) ---');
for (const line of trace.splice(0)) console.log(line);

// 2. The same chain inside a session. The script makes the engine call the calculator first, so the
// tool loop makes two engine calls and every middleware runs twice.
const script = parseScriptYaml(`
rules:
  - steps:
      - tool_calls: [{name: calculator, args: {expression: "6 * 7"}}]
      - text: "the answer is {{tool_result}}"
`);
const logRecords: TurnLogRecord[] = [];
const session = new Session({
  id: 'session-middleware',
  builder: createEngineBuilder({
    engine: new ScriptedEngine({ script }),
    registry: new ToolRegistry(builtinTools()),
    // Outermost first: the logger sees the turn before the system prompt is inserted.
    middlewares: [
      turnLoggingMiddleware((record) => logRecords.push(record)),
      tracing('outer'),
      systemPromptMiddleware('You answer in one line.'),
      shout,
      tracing('inner'),
    ],
  }),
});
session.appendNewTurnFromUserPrompt('What is 6 * 7?');
const turn = await session.startInference({ inferenceId: 'inference-middleware' }).wait();

console.log('--- chain inside the tool loop ---');
for (const line of trace) console.log(line);

console.log('--- turn logging middleware records ---');
for (const record of logRecords) {
  const kinds = record.block_kinds
    ? Object.entries(record.block_kinds)
        .filter(([, count]) => count > 0)
        .map(([kind, count]) => `${kind}=${count}`)
        .join(' ')
    : '';
  console.log(`${record.message}: session=${record.session_id} blocks=${record.block_count} ${kinds}`.trimEnd());
}

console.log('--- result ---');
console.log(turn.blocks.map((block) => block.kind).join(', '));
const system = turn.blocks[0];
console.log(`system prompt: ${system?.kind === 'system' ? system.payload.text : '(none)'}`);
console.log(`system block tagged by: ${system?.metadata.get(middlewareKey)}`);
const answer = turn.blocks.at(-1);
console.log(`answer: ${answer?.kind === 'llm_text' ? answer.payload.text : '(none)'}`);
