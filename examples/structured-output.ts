// Structured output: a FilteringSink strips a <demo:citations:v1> block out of the streamed assistant
// text and hands its YAML payload to an extractor, which turns it into typed `citation` events.
//
//   node --import tsx examples/structured-output.ts

import {
  createEngineBuilder,
  createProgressiveYamlParser,
  type EventSink,
  type Extractor,
  FilteringSink,
  type InferenceEvent,
  parseScriptYaml,
  ScriptedEngine,
  Session,
} from '@cricket/core';
import { z } from 'zod';

const citationsSchema = z.object({
  citations: z.array(z.object({ title: z.string(), url: z.string() })),
});

// One extractor per (package, type, version). createSession runs once per block in the stream; its
// callbacks return the events to publish. Ids left empty in `meta` are filled in from the stream.
const citationsExtractor: Extractor = {
  package: 'demo',
  type: 'citations',
  version: 'v1',
  createSession({ itemId }) {
    const parser = createProgressiveYamlParser({ schema: citationsSchema });
    let seen = 0;
    return {
      onStart: () => [
        { type: 'info', meta: { message_id: '' }, message: 'citations-started', data: { item_id: itemId } },
      ],
      onRaw(chunk) {
        // Re-parses the accumulated payload whenever a chunk brings a newline; half-written YAML simply
        // fails to parse or validate and is skipped.
        const count = parser.push(chunk)?.value?.citations.length ?? 0;
        if (count <= seen) return [];
        seen = count;
        return [{ type: 'info', meta: { message_id: '' }, message: 'citations-progress', data: { count } }];
      },
      onCompleted(_raw, success, error) {
        const result = success ? parser.finish() : { error };
        if (!result.value) {
          return [{ type: 'error', meta: { message_id: '' }, error_string: `citations block failed: ${result.error}` }];
        }
        return result.value.citations.map(
          (citation): InferenceEvent => ({
            type: 'citation',
            meta: { message_id: '' },
            title: citation.title,
            url: citation.url,
          }),
        );
      },
    };
  },
};

// What the user sees: the sink behind the filter.
const visible: string[] = [];
const notices: string[] = [];
let finalText = '';
const display: EventSink = {
  publish(event) {
    switch (event.type) {
      case 'partial':
        visible.push(event.delta);
        break;
      case 'final':
        finalText = event.text;
        break;
      case 'info':
        notices.push(`info ${event.message} ${JSON.stringify(event.data)}`);
        break;
      case 'citation':
        notices.push(`citation "${event.title}" ${event.url} (session ${event.meta.session_id})`);
        break;
      case 'error':
        notices.push(`error ${event.error_string}`);
        break;
    }
  },
};

// The model's raw answer: prose, a tagged block holding fenced YAML, more prose. Small chunks cut the
// tags across deltas, as real providers do.
const script = parseScriptYaml(`
chunk_chars: 9
rules:
  - steps:
      - text: |-
          Cricket keeps one event history per conversation.
          <demo:citations:v1>
          \`\`\`yaml
          citations:
            - title: Cricket README
              url: https://example.com/cricket/readme
            - title: Events guide
              url: https://example.com/cricket/events
          \`\`\`
          </demo:citations:v1>
          Every token is persisted.
`);

const session = new Session({
  id: 'session-structured',
  builder: createEngineBuilder({
    engine: new ScriptedEngine({ script }),
    sinks: [new FilteringSink(display, { extractors: [citationsExtractor] })],
  }),
});
session.appendNewTurnFromUserPrompt('Where is this documented?');
const turn = await session.startInference().wait();

console.log('--- visible deltas ---');
console.log(visible.map((delta) => JSON.stringify(delta)).join(' '));
console.log('--- final text (filtered) ---');
console.log(finalText);
console.log('--- extractor events ---');
for (const line of notices) console.log(line.replace(/[0-9a-f-]{36}:/g, '<message-id>:'));

// The sink filters events only: the turn keeps the model's raw text, tags included.
const answer = turn.blocks.at(-1);
console.log('--- the turn ---');
console.log(
  `llm_text still holds the block: ${answer?.kind === 'llm_text' && answer.payload.text.includes('<demo:citations:v1>')}`,
);

// A block that never closes: under `reconstruct-text` its text goes back into the final text and the
// extractor is told the block was malformed.
notices.length = 0;
const lenient = new FilteringSink(display, { extractors: [citationsExtractor], malformed: 'reconstruct-text' });
const meta = { message_id: 'm-unclosed' };
const unclosed = 'See <demo:citations:v1>citations: []';
lenient.publish({ type: 'partial', meta, delta: unclosed, completion: unclosed });
lenient.publish({ type: 'final', meta, text: unclosed });
console.log('--- unclosed block, malformed: reconstruct-text ---');
console.log(`final text: ${finalText}`);
for (const line of notices) console.log(line);
