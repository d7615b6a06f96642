import { describe, expect, it } from 'vitest';
import { blockText, parseSnapshotTurn, readSnapshots } from './turn-snapshot.js';

// A snapshot exactly as the server stored it for "what is 12 * (3 + 4)?" (ids shortened).
const finalYaml = `version: 1
id: turn-1
blocks:
  - id: b-system
    kind: system
    role: system
    payload:
      text: You are a test assistant.
    metadata:
      geppetto.middleware@v1: systemprompt
  - id: b-user
    kind: user
    role: user
    payload:
      text: what is 12 * (3 + 4)?
  - id: call_2_0
    kind: tool_call
    payload:
      id: call_2_0
      name: calculator
      args:
        expression: 12 * (3 + 4)
  - id: b-result
    kind: tool_use
    payload:
      id: call_2_0
      error: ""
      result: '{"expression":"12 * (3 + 4)","result":84}'
  - id: b-answer
    kind: llm_text
    role: assistant
    payload:
      text: |-
        The result of \`12 * (3 + 4)\` is **84**.

        Anything else?
metadata:
  geppetto.session_id@v1: session-1
  geppetto.inference_id@v1: inference-1
  geppetto.usage@v1:
    input_tokens: 107
    output_tokens: 18
data:
  geppetto.tool_config@v1:
    enabled: true
    allowed_tools: null
`;

describe('parseSnapshotTurn', () => {
  it('reads blocks, metadata and data from the stored YAML', () => {
    const turn = parseSnapshotTurn(finalYaml);
    expect(turn.id).toBe('turn-1');
    expect(turn.blocks.map((block) => [block.index, block.id, block.kind, block.role])).toEqual([
      [0, 'b-system', 'system', 'system'],
      [1, 'b-user', 'user', 'user'],
      [2, 'call_2_0', 'tool_call', ''],
      [3, 'b-result', 'tool_use', ''],
      [4, 'b-answer', 'llm_text', 'assistant'],
    ]);
    expect(turn.blocks[0]?.metadata).toEqual({ 'geppetto.middleware@v1': 'systemprompt' });
    expect(turn.blocks[2]?.payload).toEqual({
      id: 'call_2_0',
      name: 'calculator',
      args: { expression: '12 * (3 + 4)' },
    });
    expect(turn.blocks[3]?.payload.result).toBe('{"expression":"12 * (3 + 4)","result":84}');
    expect(turn.blocks[4]?.payload.text).toBe('The result of `12 * (3 + 4)` is **84**.\n\nAnything else?');
    expect(turn.metadata['geppetto.usage@v1']).toEqual({ input_tokens: 107, output_tokens: 18 });
    expect(turn.data).toEqual({ 'geppetto.tool_config@v1': { enabled: true, allowed_tools: null } });
  });

  it('keeps odd blocks visible instead of failing the turn', () => {
    const turn = parseSnapshotTurn('blocks:\n  - just a string\n  - kind: LLM_TEXT\n    payload:\n      text: hi\n');
    expect(turn.blocks.map((block) => [block.kind, block.role])).toEqual([
      ['other', ''],
      ['llm_text', 'assistant'],
    ]);
    expect(turn.blocks[0]?.payload).toEqual({ value: 'just a string' });
  });

  it('uses a tool call id as the block id when the block has none', () => {
    const turn = parseSnapshotTurn('blocks:\n  - kind: tool_call\n    payload:\n      id: call_9\n      name: x\n');
    expect(turn.blocks[0]?.id).toBe('call_9');
  });

  it('reads an empty document as an empty turn and rejects non-turns', () => {
    expect(parseSnapshotTurn('')).toEqual({ id: '', blocks: [], metadata: {}, data: {} });
    expect(() => parseSnapshotTurn('- a list')).toThrow(/not a turn/);
    expect(() => parseSnapshotTurn('blocks: 3')).toThrow(/not a turn: blocks/);
  });
});

describe('readSnapshots', () => {
  it('orders records oldest first and reads the inference id', () => {
    const record = (phase: string, createdAtMs: number) => ({
      conv_id: 'c',
      session_id: 's',
      turn_id: 'turn-1',
      phase,
      created_at_ms: createdAtMs,
      payload: finalYaml,
    });
    const snapshots = readSnapshots([record('final', 2), record('pre_inference', 1)]);
    expect(snapshots.map((snapshot) => [snapshot.ordinal, snapshot.phase, snapshot.key])).toEqual([
      [0, 'pre_inference', 'turn-1:0'],
      [1, 'final', 'turn-1:1'],
    ]);
    expect(snapshots[0]?.inferenceId).toBe('inference-1');
    expect(snapshots[0]?.error).toBeUndefined();
  });
});

describe('blockText', () => {
  it('shows text, tool names and tool results', () => {
    const turn = parseSnapshotTurn(finalYaml);
    expect(turn.blocks.map(blockText)).toEqual([
      'You are a test assistant.',
      'what is 12 * (3 + 4)?',
      'calculator',
      '{"expression":"12 * (3 + 4)","result":84}',
      'The result of `12 * (3 + 4)` is **84**.\n\nAnything else?',
    ]);
    const [, , , result] = turn.blocks;
    expect(result && blockText({ ...result, payload: { id: 'x', error: 'boom', result: '' } })).toBe('boom');
  });
});
