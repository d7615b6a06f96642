import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { InferenceError } from '../errors/inference-error.js';
import { SessionError } from '../errors/session-error.js';
import { RecordingSink } from '../events/event-sink.js';
import { ScriptedEngine } from '../scripted-engine/scripted-engine.js';
import { createEngineBuilder } from '../tool-loop/engine-builder.js';
import { llmTextBlock, userBlock } from '../turns/block.js';
import { createTurn } from '../turns/turn.js';
import { inferenceIdKey, sessionIdKey } from '../turns/well-known-keys.js';
import { Session } from './session.js';

const echoEngine: Engine = {
  info: { provider: 'test', model: 'echo' },
  async infer(turn) {
    turn.blocks.push(llmTextBlock('echo'));
    return turn;
  },
};

function expectSessionError(action: () => unknown, code: SessionError['code'], message: string) {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionError);
  expect((caught as SessionError).code).toBe(code);
  expect((caught as SessionError).message).toBe(message);
}

describe('Session', () => {
  it('appends turns by cloning the latest and adding one user block per non-empty prompt', () => {
    const session = new Session({ id: 's1' });
    const first = session.appendNewTurnFromUserPrompt('hello');
    first.blocks.push(llmTextBlock('hi there'));
    const second = session.appendNewTurnFromUserPrompts('one', '', 'two');
    expect(second.id).not.toBe(first.id);
    expect(second.blocks.map((block) => block.kind)).toEqual(['user', 'llm_text', 'user', 'user']);
    expect(second.metadata.get(sessionIdKey)).toBe('s1');
    expect(first.blocks).toHaveLength(2);
    expect(session.turns).toHaveLength(2);
    const third = session.appendNewTurnFromUserPrompts('', '');
    expect(third.blocks).toHaveLength(4);
  });

  it('reports the reference error cases in the reference check order', () => {
    const noId = new Session({ id: '' });
    expectSessionError(() => noId.startInference(), 'session-id-empty', 'session has empty SessionID');
    expectSessionError(() => noId.appendNewTurnFromUserPrompt('x'), 'session-id-empty', 'session has empty SessionID');
    const noBuilder = new Session();
    expectSessionError(() => noBuilder.startInference(), 'session-builder-missing', 'session builder is nil');
    const empty = new Session({ builder: createEngineBuilder({ engine: echoEngine }) });
    expectSessionError(
      () => empty.startInference(),
      'session-empty-turn',
      'session has no seed turn (or seed turn is empty)',
    );
    empty.append(createTurn());
    expectSessionError(
      () => empty.startInference(),
      'session-empty-turn',
      'session has no seed turn (or seed turn is empty)',
    );
    expectSessionError(() => empty.cancelActive(), 'session-no-active', 'session has no active inference');
  });

  it('stamps session, inference and turn ids and mutates the latest turn in place', async () => {
    const session = new Session({ id: 's1', builder: createEngineBuilder({ engine: echoEngine }) });
    const turn = session.appendNewTurnFromUserPrompt('hi');
    const handle = session.startInference();
    expect(handle.sessionId).toBe('s1');
    expect(handle.input).toBe(turn);
    const result = await handle.wait();
    expect(result).toBe(turn);
    expect(result.blocks.map((block) => block.kind)).toEqual(['user', 'llm_text']);
    expect(result.metadata.get(sessionIdKey)).toBe('s1');
    expect(result.metadata.get(inferenceIdKey)).toBe(handle.inferenceId);
    expect(result.id).toBeTruthy();
    expect(session.isRunning()).toBe(false);

    session.appendNewTurnFromUserPrompt('again');
    const next = session.startInference();
    expect(next.inferenceId).not.toBe(handle.inferenceId);
    await next.wait();
  });

  it('allows one active inference: concurrent starts and appends are refused', async () => {
    const engine = new ScriptedEngine({ paceMs: 5, chunkChars: 4 });
    const session = new Session({ builder: createEngineBuilder({ engine }) });
    session.appendNewTurnFromUserPrompt('tell me something');
    const starts = await Promise.allSettled([0, 1, 2, 3].map(async () => session.startInference()));
    const started = starts.filter((outcome) => outcome.status === 'fulfilled');
    const refused = starts.filter((outcome) => outcome.status === 'rejected');
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(3);
    for (const outcome of refused) expect((outcome.reason as SessionError).code).toBe('session-already-active');
    expect(session.isRunning()).toBe(true);
    expectSessionError(
      () => session.appendNewTurnFromUserPrompt('x'),
      'session-already-active',
      'session already has an active inference',
    );
    const handle = session.activeInference();
    await handle?.wait();
    expect(session.isRunning()).toBe(false);
    session.appendNewTurnFromUserPrompt('now it works');
  });

  it('gives every waiter the same result and makes cancel idempotent', async () => {
    const session = new Session({ builder: createEngineBuilder({ engine: echoEngine }) });
    session.appendNewTurnFromUserPrompt('hi');
    const handle = session.startInference();
    const [a, b] = await Promise.all([handle.wait(), handle.wait()]);
    expect(a).toBe(b);
    expect(await handle.wait()).toBe(a);
    handle.cancel();
    handle.cancel();
    expect(handle.isRunning()).toBe(false);
  });

  it('cancels mid-stream: interrupt event, partial text kept, every waiter sees InferenceError(cancelled)', async () => {
    const sink = new RecordingSink();
    const engine = new ScriptedEngine({ paceMs: 10, chunkChars: 3 });
    const session = new Session({ builder: createEngineBuilder({ engine, sinks: [sink] }) });
    session.appendNewTurnFromUserPrompt('a prompt that produces a longer answer');
    const handle = session.startInference();
    while (sink.ofType('partial').length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    session.cancelActive();
    handle.cancel();
    const outcomes = await Promise.allSettled([handle.wait(), handle.wait()]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(InferenceError);
      expect((reason as InferenceError).code).toBe('cancelled');
    }
    const interrupt = sink.ofType('interrupt')[0];
    expect(interrupt?.text.length).toBeGreaterThan(0);
    const latest = session.latest();
    const partial = latest?.blocks.at(-1);
    expect(partial?.kind).toBe('llm_text');
    expect(partial?.kind === 'llm_text' && partial.payload.text).toBe(interrupt?.text);
    expect(session.isRunning()).toBe(false);
  });

  it('honours an outer abort signal', async () => {
    const outer = new AbortController();
    const session = new Session({ builder: createEngineBuilder({ engine: new ScriptedEngine({ paceMs: 20 }) }) });
    session.appendNewTurnFromUserPrompt('hello');
    const handle = session.startInference({ signal: outer.signal });
    outer.abort();
    await expect(handle.wait()).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('copies a foreign result turn into the history entry', async () => {
    const foreign: Engine = {
      info: { provider: 'test', model: 'foreign' },
      async infer() {
        return createTurn({ blocks: [userBlock('replaced'), llmTextBlock('new answer')] });
      },
    };
    const session = new Session({ builder: createEngineBuilder({ engine: foreign }) });
    const turn = session.appendNewTurnFromUserPrompt('original');
    const result = await session.startInference().wait();
    expect(result).toBe(turn);
    expect(session.latest()).toBe(turn);
    expect(turn.blocks.map((block) => block.kind)).toEqual(['user', 'llm_text']);
    expect(turn.metadata.get(sessionIdKey)).toBe(session.id);
  });

  it('keeps in-place changes and rejects waiters when the engine fails', async () => {
    const failing: Engine = {
      info: { provider: 'test', model: 'failing' },
      async infer(turn) {
        turn.blocks.push(llmTextBlock('partial'));
        throw new Error('provider down');
      },
    };
    const session = new Session({ builder: createEngineBuilder({ engine: failing }) });
    session.appendNewTurnFromUserPrompt('hi');
    await expect(session.startInference().wait()).rejects.toThrow('provider down');
    expect(session.latest()?.blocks.map((block) => block.kind)).toEqual(['user', 'llm_text']);
    expect(session.isRunning()).toBe(false);
  });
});
