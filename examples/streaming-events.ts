// Events: a custom sink that prints streamed deltas, a recording sink, sink error reporting, and the
// NDJSON wire format (encodeEvent / decodeEvent).
//
//   node --import tsx examples/streaming-events.ts

import { isDeepStrictEqual } from 'node:util';
import {
  createEngineBuilder,
  decodeEvent,
  EventDecodeError,
  type EventSink,
  encodeEvent,
  type InferenceEvent,
  parseScriptYaml,
  RecordingSink,
  ScriptedEngine,
  Session,
  sinkFrom,
} from '@cricket/core';

const script = parseScriptYaml(`
chunk_chars: 10
rules:
  - steps:
      - reasoning: Short question, short answer.
        text: Events stream as deltas, then one final event.
        usage: {input_tokens: 20, output_tokens: 11}
`);

// A sink is any object with publish(event). This one prints thinking and text deltas as they arrive.
const deltas: string[] = [];
const printer: EventSink = {
  publish(event: InferenceEvent) {
    switch (event.type) {
      case 'partial-thinking':
        deltas.push(`thinking ${JSON.stringify(event.delta)}`);
        break;
      case 'partial':
        deltas.push(`text     ${JSON.stringify(event.delta)}  (completion so far: ${event.completion.length} chars)`);
        break;
      case 'final':
        deltas.push(`final    ${JSON.stringify(event.text)}`);
        break;
    }
  },
};

// RecordingSink keeps every event in memory (tests, debug views).
const recorder = new RecordingSink();

// A failing sink does not stop the others: the FanOutSink reports its error to onSinkError.
const sinkErrors: string[] = [];
const flaky = sinkFrom((event) => {
  if (event.type === 'final') throw new Error('disk full');
});

const session = new Session({
  id: 'session-events',
  builder: createEngineBuilder({
    engine: new ScriptedEngine({ script }),
    sinks: [printer, recorder, flaky],
    onSinkError: (error, event) => sinkErrors.push(`${event.type}: ${(error as Error).message}`),
  }),
});
session.appendNewTurnFromUserPrompt('How do events work?');
await session.startInference({ inferenceId: 'inference-events' }).wait();

console.log('--- deltas as printed by the custom sink ---');
for (const line of deltas) console.log(line);

console.log('--- event types (recording sink) ---');
console.log(compressTypes(recorder.types()));

console.log('--- correlation metadata ---');
const final = recorder.ofType('final')[0];
const messageIds = new Set(recorder.events.map((event) => event.meta.message_id));
console.log(`session_id: ${final?.meta.session_id}`);
console.log(`inference_id: ${final?.meta.inference_id}`);
console.log(
  `every event has the turn id: ${recorder.events.every((event) => event.meta.turn_id === session.latest()?.id)}`,
);
console.log(`message ids (one per engine call): ${messageIds.size}`);
console.log(`final usage: ${JSON.stringify(final?.meta.usage)}; stop_reason: ${final?.meta.stop_reason}`);

console.log('--- sink errors reported ---');
for (const line of sinkErrors) console.log(line);

// NDJSON: one JSON object per line. Encode every recorded event, then decode the text back.
const ndjson = recorder.events.map((event) => `${encodeEvent(event)}\n`).join('');
const decoded = ndjson
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => decodeEvent(line));
console.log('--- NDJSON round trip ---');
// decodeEvent validates against the schema, so key order may differ; the values are the same.
console.log(`lines: ${decoded.length}; equal after decoding: ${isDeepStrictEqual(decoded, recorder.events)}`);
const firstPartial = recorder.ofType('partial')[0];
if (firstPartial) {
  // Message and turn ids are random UUIDs; mask them for a stable printout.
  const meta = { ...firstPartial.meta, message_id: '<message-id>', turn_id: '<turn-id>' };
  console.log(encodeEvent({ ...firstPartial, meta }));
}

// Decoding is strict: an unknown type (or a field of the wrong type) throws EventDecodeError.
try {
  decodeEvent('{"type":"status","meta":{"message_id":"m1"}}');
} catch (error) {
  if (error instanceof EventDecodeError) console.log(`decode error: ${error.code}`);
}

/** `a, b, b, b, c` → `a, b ×3, c`. */
function compressTypes(types: readonly string[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < types.length) {
    let end = index;
    while (types[end + 1] === types[index]) end++;
    const count = end - index + 1;
    parts.push(count > 1 ? `${types[index]} ×${count}` : String(types[index]));
    index = end + 1;
  }
  return parts.join(', ');
}
