import { describe, expect, it } from 'vitest';
import { createEntity } from './debug-fixtures.js';
import { describeEntity, entityLabel, sortEntities } from './describe-entity.js';

describe('describeEntity', () => {
  it('summarises messages, tool calls and results, errors and logs', () => {
    const user = createEntity('u', 'message', 1, 1, { message: { role: 'user', content: 'hi' } });
    const streaming = createEntity('a', 'message', 4, 2, {
      message: { role: 'assistant', content: 'Hel', streaming: true },
    });
    const call = createEntity('c', 'tool_call', 5, 3, {
      toolCall: { name: 'calc', input: { x: 1 }, status: 'completed' },
    });
    const result = createEntity('c:result', 'tool_result', 6, 6, {
      toolResult: { toolCallId: 'c', resultRaw: '{"r":1}' },
    });
    const failed = createEntity('c2:result', 'tool_result', 7, 7, { toolResult: { error: 'boom' } });
    const error = createEntity('e', 'error', 8, 8, { error: { message: 'provider down' } });
    const log = createEntity('l', 'log', 9, 9, { log: { level: 'warn', message: 'slow' } });
    expect([user, streaming, call, result, failed, error, log].map(describeEntity)).toEqual([
      'hi',
      'Hel (streaming)',
      'calc({"x":1}) · completed',
      '{"r":1}',
      'error: boom',
      'provider down',
      'warn: slow',
    ]);
    expect([user, streaming, call].map(entityLabel)).toEqual(['user message', 'assistant message', 'tool call']);
  });

  it('orders entities by creation', () => {
    const late = createEntity('late', 'message', 3, 3);
    const early = createEntity('early', 'tool_call', 9, 1);
    expect(sortEntities([late, early]).map((entity) => entity.id)).toEqual(['early', 'late']);
  });
});
