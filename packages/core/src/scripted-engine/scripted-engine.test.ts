import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/configuration-error.js';
import { InferenceError } from '../errors/inference-error.js';
import { createTestContext } from '../testing/create-test-context.js';
import { builtinTools } from '../tools/builtin/index.js';
import { toolCallBlock, toolUseBlock, userBlock } from '../turns/block.js';
import { createTurn } from '../turns/turn.js';
import { modelKey, providerKey, stopReasonKey, usageKey } from '../turns/well-known-keys.js';
import { findArithmetic } from './demo-rules.js';
import { parseScriptYaml } from './script.js';
import { ScriptedEngine, splitChunks } from './scripted-engine.js';

const tools = builtinTools();

describe('scripted engine demo rules', () => {
  it('streams a deterministic markdown reply with start, partials and final', async () => {
    const engine = new ScriptedEngine({ chunkChars: 10 });
    const context = createTestContext();
    const turn = await engine.infer(createTurn({ blocks: [userBlock('hello there')] }), context);
    const types = context.sink.types();
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('final');
    const partials = context.sink.ofType('partial');
    expect(partials.length).toBeGreaterThan(3);
    const final = context.sink.ofType('final')[0];
    expect(partials.at(-1)?.completion).toBe(final?.text);
    expect(final?.text).toContain('You said: *hello there*');
    expect(final?.meta).toMatchObject({ model: 'scripted-demo', stop_reason: 'stop' });
    expect(final?.meta.usage?.output_tokens).toBeGreaterThan(0);
    expect(turn.blocks.at(-1)?.kind).toBe('llm_text');
    expect(turn.metadata.get(providerKey)).toBe('scripted');
    expect(turn.metadata.get(modelKey)).toBe('scripted-demo');
    expect(turn.metadata.get(stopReasonKey)).toBe('stop');
    expect(turn.metadata.get(usageKey)?.input_tokens).toBeGreaterThan(0);

    const again = new ScriptedEngine({ chunkChars: 10 });
    const second = createTestContext();
    await again.infer(createTurn({ blocks: [userBlock('hello there')] }), second);
    expect(second.sink.ofType('partial').map((event) => event.delta)).toEqual(partials.map((event) => event.delta));
  });

  it('calls the calculator for arithmetic, then answers with the result', async () => {
    const engine = new ScriptedEngine();
    const context = createTestContext({ tools });
    const turn = await engine.infer(createTurn({ blocks: [userBlock('What is 12 * (3 + 4)?')] }), context);
    const call = turn.blocks.at(-1);
    expect(call?.kind === 'tool_call' && call.payload).toMatchObject({
      name: 'calculator',
      args: { expression: '12 * (3 + 4)' },
    });
    expect(context.sink.ofType('final')[0]?.meta.stop_reason).toBe('tool_calls');
    expect(context.sink.ofType('tool-call')[0]?.tool_call.input).toBe('{"expression":"12 * (3 + 4)"}');

    turn.blocks.push(toolUseBlock(call?.id ?? '', '{"expression":"12 * (3 + 4)","result":84}'));
    await engine.infer(turn, context);
    expect(turn.blocks.at(-1)?.payload.text).toBe('The result of `12 * (3 + 4)` is **84**.');
  });

  it('answers without tools when the calculator is not advertised', async () => {
    const turn = await new ScriptedEngine().infer(
      createTurn({ blocks: [userBlock('what is 2+2')] }),
      createTestContext(),
    );
    expect(turn.blocks.at(-1)?.kind).toBe('llm_text');
  });

  it('reports tool errors from the previous round', async () => {
    const turn = createTurn({
      blocks: [
        userBlock('what is 1/0'),
        toolCallBlock('c', 'calculator', {}),
        toolUseBlock('c', undefined, 'division by zero'),
      ],
    });
    await new ScriptedEngine().infer(turn, createTestContext({ tools }));
    expect(turn.blocks.at(-1)?.payload.text).toBe('The `calculator` tool failed: division by zero');
  });

  it('streams reasoning for /think and fails for /fail', async () => {
    const thinking = createTestContext();
    const turn = await new ScriptedEngine().infer(
      createTurn({ blocks: [userBlock('/think why is the sky blue')] }),
      thinking,
    );
    expect(turn.blocks.map((block) => block.kind)).toEqual(['user', 'reasoning', 'llm_text']);
    expect(thinking.sink.ofType('partial-thinking').length).toBeGreaterThan(0);

    const failing = createTestContext();
    const error = await new ScriptedEngine()
      .infer(createTurn({ blocks: [userBlock('/fail upstream is down')] }), failing)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).blame).toBe('provider');
    expect(failing.sink.ofType('error')[0]?.error_string).toBe('scripted failure requested: upstream is down');
  });

  it('finds arithmetic in questions', () => {
    expect(findArithmetic('What is 12 * (3 + 4)?')).toBe('12 * (3 + 4)');
    expect(findArithmetic('compute 2 plus 3 times 4')).toBe('2 + 3 * 4');
    expect(findArithmetic('(1+2)*3 please')).toBe('(1+2)*3');
    expect(findArithmetic('I have 3 cats')).toBeUndefined();
    expect(findArithmetic('2^10')).toBe('2^10');
  });

  it('splits chunks at word boundaries', () => {
    expect(splitChunks('hello big world', 8)).toEqual(['hello ', 'big ', 'world']);
    expect(splitChunks('', 4)).toEqual([]);
    expect(splitChunks('abcdefghij', 4).join('')).toBe('abcdefghij');
  });
});

describe('scripted engine scripts', () => {
  const script = parseScriptYaml(`
model: scripted-weather
chunk_chars: 4
rules:
  - match: weather in (paris|tokyo)
    steps:
      - reasoning: Need the weather.
        tool_calls:
          - {name: get_weather, args: {city: Paris}}
        usage: {input_tokens: 10, output_tokens: 3}
      - text: "It is sunny: {{tool_result}}"
  - steps:
      - text: "Echo: {{prompt}}"
`);

  it('plays the matching rule step by step', async () => {
    const engine = new ScriptedEngine({ script });
    const context = createTestContext();
    const turn = await engine.infer(createTurn({ blocks: [userBlock('Weather in Paris?')] }), context);
    expect(turn.blocks.map((block) => block.kind)).toEqual(['user', 'reasoning', 'tool_call']);
    expect(context.sink.ofType('final')[0]?.meta.usage).toEqual({ input_tokens: 10, output_tokens: 3 });
    turn.blocks.push(toolUseBlock(turn.blocks[2]?.id ?? '', '{"sky":"clear"}'));
    await engine.infer(turn, context);
    expect(turn.blocks.at(-1)?.payload.text).toBe('It is sunny: {"sky":"clear"}');
    expect(context.sink.ofType('final')[1]?.meta.model).toBe('scripted-weather');

    const other = await engine.infer(createTurn({ blocks: [userBlock('hi')] }), createTestContext());
    expect(other.blocks.at(-1)?.payload.text).toBe('Echo: hi');
  });

  it('honours its pace and cancellation mid-stream', async () => {
    const slow = new ScriptedEngine({ script, paceMs: 15 });
    const controller = new AbortController();
    const context = createTestContext({ signal: controller.signal });
    const pending = slow.infer(createTurn({ blocks: [userBlock('a prompt that echoes for a while')] }), context);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect((error as InferenceError).code).toBe('cancelled');
    const interrupt = context.sink.ofType('interrupt')[0];
    expect(interrupt?.text.length).toBeGreaterThan(0);
    expect(interrupt?.text.length).toBeLessThan('Echo: a prompt that echoes for a while'.length);
    expect(context.sink.ofType('final')).toHaveLength(0);
  });

  it.each([
    ['malformed YAML', 'rules: [', /malformed scripted-engine script YAML/],
    ['no rules', 'model: x\n', /rules/],
    ['an unknown step field', 'rules:\n  - steps:\n      - txt: hi\n', /Unrecognized key/i],
    ['a bad regular expression', 'rules:\n  - match: "("\n    steps: [{text: x}]\n', /rules.0.match/],
    ['a negative pace', 'pace_ms: -1\nrules:\n  - steps: [{text: x}]\n', /pace_ms/],
  ])('rejects %s with a ConfigurationError', (_label, source, message) => {
    expect(() => parseScriptYaml(source)).toThrowError(ConfigurationError);
    expect(() => parseScriptYaml(source)).toThrowError(message);
  });
});
