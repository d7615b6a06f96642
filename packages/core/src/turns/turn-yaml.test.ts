import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TurnError } from '../errors/turn-error.js';
import { toolCallBlock, toolUseBlock, userBlock } from './block.js';
import { createTurn } from './turn.js';
import { loadTurnYaml, saveTurnYaml, turnFromPlain, turnFromYaml, turnToYaml } from './turn-yaml.js';
import { middlewareKey, sessionIdKey, toolConfigKey, usageKey } from './well-known-keys.js';

const fixtureDir = join(import.meta.dirname, '__fixtures__');
const fixtures = readdirSync(fixtureDir).filter((name) => name.endsWith('.yaml'));

describe('turn YAML', () => {
  it.each(fixtures)('round-trips fixture %s without loss', (name) => {
    const source = readFileSync(join(fixtureDir, name), 'utf8');
    const turn = turnFromYaml(source);
    const again = turnToYaml(turn);
    expect(parse(again)).toEqual(parse(source));
    expect(turnToYaml(turnFromYaml(again))).toBe(again);
  });

  it('gives typed access to values loaded from YAML', () => {
    const turn = turnFromYaml(readFileSync(join(fixtureDir, 'tool-round-trip.yaml'), 'utf8'));
    expect(turn.blocks.map((block) => block.kind)).toEqual(['system', 'user', 'tool_call', 'tool_use', 'llm_text']);
    expect(turn.metadata.get(sessionIdKey)).toBe('6a2b7c3d-0e4f-4a5b-8c6d-9e0f1a2b3c4d');
    expect(turn.metadata.get(usageKey)).toEqual({ input_tokens: 120, output_tokens: 14 });
    expect(turn.data.get(toolConfigKey)?.execution_timeout_ms).toBe(2000);
    expect(turn.blocks[0]?.metadata.get(middlewareKey)).toBe('systemprompt');
    const call = turn.blocks[2];
    expect(call?.kind === 'tool_call' && call.payload.args).toEqual({ expression: '12 * (3 + 4)' });
  });

  it('writes version 1 and omits empty parts', () => {
    const turn = createTurn({ blocks: [userBlock('hi', undefined, { id: 'u1' })] });
    expect(turnToYaml(turn)).toBe(
      'version: 1\nblocks:\n  - id: u1\n    kind: user\n    role: user\n    payload:\n      text: hi\n',
    );
  });

  it('can omit Turn.data', () => {
    const turn = turnFromYaml(readFileSync(join(fixtureDir, 'tool-round-trip.yaml'), 'utf8'));
    expect(parse(turnToYaml(turn, { omitData: true }))).not.toHaveProperty('data');
  });

  it('keeps tool results and errors', () => {
    const turn = createTurn({
      blocks: [toolCallBlock('c1', 'calc', '{"x":1}'), toolUseBlock('c1', undefined, 'boom')],
    });
    const back = turnFromYaml(turnToYaml(turn));
    expect(back.blocks[1]?.payload).toEqual({ id: 'c1', error: 'boom' });
    expect(back.blocks[0]?.id).toBe('c1');
  });

  it('saves and loads files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cricket-turn-'));
    const turn = turnFromYaml(readFileSync(join(fixtureDir, 'reasoning-and-images.yaml'), 'utf8'));
    await saveTurnYaml(join(dir, 't.yaml'), turn);
    expect(turnToYaml(await loadTurnYaml(join(dir, 't.yaml')))).toBe(turnToYaml(turn));
  });

  it.each([
    ['malformed YAML', 'blocks: [\n  - kind: user\n   payload: x', 'yaml-malformed', /malformed turn YAML at line/],
    ['an unknown block kind', 'blocks:\n  - kind: picture\n', 'unknown-block-kind', /block 0: unknown kind "picture"/],
    ['blocks that are not a list', 'blocks: 3\n', 'turn-invalid', /blocks/],
    [
      'a tool call without a name',
      'blocks:\n  - kind: tool_call\n    payload: {id: c1}\n',
      'turn-invalid',
      /block 0 \(tool_call\): invalid payload: name/,
    ],
    ['a future format version', 'version: 2\nblocks: []\n', 'turn-invalid', /unsupported turn format version 2/],
    ['a scalar document', '42\n', 'turn-invalid', /invalid turn/],
  ])('rejects %s with a typed error', (_label, source, code, message) => {
    let caught: unknown;
    try {
      turnFromYaml(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TurnError);
    expect((caught as TurnError).code).toBe(code);
    expect((caught as TurnError).message).toMatch(message);
  });

  it('normalises kind spelling and gives llm_text blocks the assistant role', () => {
    const turn = turnFromYaml('blocks:\n  - kind: " LLM_TEXT "\n    payload: {text: hi}\n');
    expect(turn.blocks[0]?.kind).toBe('llm_text');
    expect(turn.blocks[0]?.role).toBe('assistant');
  });

  it('loads an empty document as an empty turn', () => {
    expect(turnFromYaml('').blocks).toEqual([]);
  });

  it('refuses non-serialisable store values in plain input', () => {
    expect(() => turnFromPlain({ blocks: [], metadata: { 'x.y@v1': () => 1 } })).toThrowError(
      expect.objectContaining({ code: 'value-not-serializable' }),
    );
  });
});
