import { describe, expect, it } from 'vitest';
import type { InferenceContext } from '../engine/inference-context.js';
import { createTestContext } from '../testing/create-test-context.js';
import { llmTextBlock, systemBlock, toolCallBlock, toolUseBlock, userBlock } from '../turns/block.js';
import { createTurn, type Turn } from '../turns/turn.js';
import { middlewareKey } from '../turns/well-known-keys.js';
import { blockIdSet, blocksAddedSince, compose, type InferenceHandler, type Middleware } from './middleware.js';
import { systemPromptMiddleware } from './system-prompt-middleware.js';
import { reorderToolResults } from './tool-result-reorder-middleware.js';
import { countBlockKinds, type TurnLogRecord, turnLoggingMiddleware } from './turn-logging-middleware.js';

const identity: InferenceHandler = async (turn) => turn;

function tracing(name: string, trace: string[]): Middleware {
  return (next) => async (turn, context) => {
    trace.push(`${name} in`);
    const result = await next(turn, context);
    trace.push(`${name} out`);
    return result;
  };
}

describe('compose', () => {
  it('makes the first middleware the outermost', async () => {
    const trace: string[] = [];
    const handler = compose(
      async (turn) => {
        trace.push('engine');
        return turn;
      },
      tracing('a', trace),
      tracing('b', trace),
    );
    await handler(createTurn(), createTestContext());
    expect(trace).toEqual(['a in', 'b in', 'engine', 'b out', 'a out']);
  });

  it('helps middlewares find blocks added by the engine', () => {
    const turn = createTurn({ blocks: [userBlock('x', undefined, { id: 'u' })] });
    const before = blockIdSet(turn);
    turn.blocks.push(llmTextBlock('y', { id: 'a' }));
    expect(blocksAddedSince(turn, before).map((block) => block.id)).toEqual(['a']);
    expect(blocksAddedSince(turn, undefined)).toHaveLength(2);
  });
});

describe('system prompt middleware', () => {
  const apply = async (turn: Turn, prompt: string, context: InferenceContext = createTestContext()) =>
    compose(identity, systemPromptMiddleware(prompt))(turn, context);

  it('inserts a tagged system block at the front', async () => {
    const turn = await apply(createTurn({ blocks: [userBlock('hi')] }), 'Be brief.');
    expect(turn.blocks.map((block) => block.kind)).toEqual(['system', 'user']);
    expect(turn.blocks[0]?.payload.text).toBe('Be brief.');
    expect(turn.blocks[0]?.metadata.get(middlewareKey)).toBe('systemprompt');
  });

  it('replaces the first system block and is idempotent', async () => {
    const turn = createTurn({ blocks: [userBlock('hi'), systemBlock('old'), systemBlock('second')] });
    await apply(turn, 'new');
    await apply(turn, 'new');
    expect(turn.blocks.map((block) => block.payload.text)).toEqual(['hi', 'new', 'second']);
    expect(turn.blocks[1]?.metadata.get(middlewareKey)).toBe('systemprompt');
  });

  it('passes through with an empty prompt', async () => {
    const turn = await apply(createTurn({ blocks: [userBlock('hi')] }), '');
    expect(turn.blocks).toHaveLength(1);
  });
});

describe('tool result reorder', () => {
  it('moves results right after their call group, in call order', () => {
    const turn = createTurn({
      blocks: [
        userBlock('q', undefined, { id: 'u' }),
        toolCallBlock('a', 'x', {}),
        toolCallBlock('b', 'x', {}),
        llmTextBlock('interleaved', { id: 't' }),
        toolUseBlock('b', '2', '', { id: 'rb' }),
        toolUseBlock('a', '1', '', { id: 'ra' }),
        userBlock('next', undefined, { id: 'u2' }),
      ],
    });
    reorderToolResults(turn);
    expect(turn.blocks.map((block) => block.id)).toEqual(['u', 'a', 'b', 'ra', 'rb', 't', 'u2']);
  });

  it('keeps a well-ordered turn unchanged and leaves orphans in place', () => {
    const blocks = [
      toolCallBlock('a', 'x', {}),
      toolUseBlock('a', '1', '', { id: 'ra' }),
      toolUseBlock('zzz', '1', '', { id: 'orphan' }),
    ];
    const turn = createTurn({ blocks: [...blocks] });
    reorderToolResults(turn);
    expect(turn.blocks.map((block) => block.id)).toEqual(['a', 'ra', 'orphan']);
  });
});

describe('turn logging middleware', () => {
  it('logs start and finish with per-kind counts, and failures', async () => {
    const records: TurnLogRecord[] = [];
    const ok = compose(
      async (turn) => {
        turn.blocks.push(llmTextBlock('a'));
        return turn;
      },
      turnLoggingMiddleware((record) => records.push(record)),
    );
    const context = createTestContext({ sessionId: 's', inferenceId: 'i' });
    await ok(createTurn({ id: 't', blocks: [userBlock('q')] }), context);
    expect(records[0]).toMatchObject({
      message: 'inference started',
      session_id: 's',
      inference_id: 'i',
      turn_id: 't',
      block_count: 1,
    });
    expect(records[1]).toMatchObject({
      message: 'inference finished',
      block_count: 2,
      block_kinds: { user: 1, llm_text: 1, tool_call: 0 },
    });

    const failing = compose(
      async () => {
        throw new Error('down');
      },
      turnLoggingMiddleware((record) => records.push(record)),
    );
    await expect(failing(createTurn(), context)).rejects.toThrow('down');
    expect(records[3]).toMatchObject({ message: 'inference failed', error: 'down' });
  });

  it('counts every kind', () => {
    expect(countBlockKinds(createTurn())).toEqual({
      system: 0,
      user: 0,
      llm_text: 0,
      tool_call: 0,
      tool_use: 0,
      reasoning: 0,
      other: 0,
    });
  });
});
