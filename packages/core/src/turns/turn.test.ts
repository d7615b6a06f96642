import { describe, expect, it } from 'vitest';
import { llmTextBlock, systemBlock, toolCallBlock, toolUseBlock, userBlock } from './block.js';
import { appendToolResults, normalizeToolArguments, pendingToolCalls } from './tool-blocks.js';
import {
  appendBlocks,
  cloneTurn,
  createTurn,
  filterBlocks,
  insertBlockBeforeLast,
  lastBlockOfKind,
  prependBlock,
  TurnBuilder,
} from './turn.js';
import { middlewareKey, sessionIdKey } from './well-known-keys.js';

describe('block builders', () => {
  it('set kinds, roles and payloads', () => {
    expect(userBlock('hi')).toMatchObject({ kind: 'user', role: 'user', payload: { text: 'hi' } });
    expect(userBlock('hi', [])).not.toHaveProperty('payload.images');
    expect(systemBlock('s')).toMatchObject({ kind: 'system', role: 'system' });
    expect(llmTextBlock('a', { itemId: 'msg_1' })).toMatchObject({
      kind: 'llm_text',
      role: 'assistant',
      payload: { item_id: 'msg_1' },
    });
    const call = toolCallBlock('call_1', 'calc', { x: 1 });
    expect(call.id).toBe('call_1');
    expect(call).not.toHaveProperty('role');
    expect(toolUseBlock('call_1', '3').payload).toEqual({ id: 'call_1', result: '3', error: '' });
    expect(toolUseBlock('call_1', undefined, 'bad').payload).toEqual({ id: 'call_1', error: 'bad' });
    expect(userBlock('a').id).not.toBe(userBlock('a').id);
  });
});

describe('turn helpers', () => {
  it('append, prepend, insert before last and filter', () => {
    const turn = createTurn();
    insertBlockBeforeLast(turn, userBlock('first', undefined, { id: 'u1' }));
    appendBlocks(turn, llmTextBlock('a', { id: 'a1' }), llmTextBlock('b', { id: 'a2' }));
    prependBlock(turn, systemBlock('s', { id: 's1' }));
    insertBlockBeforeLast(turn, userBlock('inserted', undefined, { id: 'u2' }));
    expect(turn.blocks.map((block) => block.id)).toEqual(['s1', 'u1', 'a1', 'u2', 'a2']);
    expect(filterBlocks(turn, ['user']).map((block) => block.payload.text)).toEqual(['first', 'inserted']);
    expect(lastBlockOfKind(turn, 'llm_text')?.id).toBe('a2');
    expect(lastBlockOfKind(turn, 'tool_call')).toBeUndefined();
  });

  it('TurnBuilder skips empty prompts', () => {
    const turn = new TurnBuilder()
      .withSystemPrompt('')
      .withSystemPrompt('sys')
      .withUserPrompt('')
      .withUserPrompt('hi')
      .build();
    expect(turn.blocks.map((block) => block.kind)).toEqual(['system', 'user']);
    expect(turn.id).toBe('');
  });

  it('clone copies the block list, payload maps and stores but shares nested values', () => {
    const nested = { deep: [1] };
    const turn = createTurn({ id: 't1', blocks: [toolCallBlock('c1', 'calc', nested)] });
    turn.metadata.set(sessionIdKey, 's1');
    turn.blocks[0]?.metadata.set(middlewareKey, 'x');
    const copy = cloneTurn(turn);
    expect(copy.id).toBe('t1');
    copy.blocks.push(userBlock('more'));
    const copied = copy.blocks[0];
    if (copied?.kind !== 'tool_call') throw new Error('expected a tool call');
    copied.payload.name = 'renamed';
    copied.metadata.delete(middlewareKey);
    copy.metadata.delete(sessionIdKey);
    expect(turn.blocks).toHaveLength(1);
    expect(turn.blocks[0]?.kind === 'tool_call' && turn.blocks[0].payload.name).toBe('calc');
    expect(turn.blocks[0]?.metadata.get(middlewareKey)).toBe('x');
    expect(turn.metadata.get(sessionIdKey)).toBe('s1');
    expect(copied.payload.args).toBe(nested);
  });
});

describe('tool blocks', () => {
  it('finds calls without results, in block order, with normalised arguments', () => {
    const turn = createTurn({
      blocks: [
        toolCallBlock('a', 'one', '{"x":1}'),
        toolCallBlock('b', 'two', { y: 2 }),
        toolCallBlock('c', 'three', 'not json'),
        toolUseBlock('b', '"done"'),
      ],
    });
    expect(pendingToolCalls(turn)).toEqual([
      { id: 'a', name: 'one', args: { x: 1 } },
      { id: 'c', name: 'three', args: {} },
    ]);
    appendToolResults(turn, [
      { id: 'a', result: '1' },
      { id: 'c', error: 'failed' },
    ]);
    expect(pendingToolCalls(turn)).toEqual([]);
    expect(turn.blocks.at(-1)?.payload).toEqual({ id: 'c', error: 'failed' });
  });

  it('normalises argument shapes', () => {
    expect(normalizeToolArguments('')).toEqual({});
    expect(normalizeToolArguments('[1]')).toEqual({});
    expect(normalizeToolArguments(null)).toEqual({});
    expect(normalizeToolArguments({ a: 1 })).toEqual({ a: 1 });
  });
});
