import {
  agentModeAllowedToolsKey,
  agentModeBlockKey,
  agentModeKey,
  agentModeTagKey,
  createTurn,
  type Turn,
  userBlock,
} from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { agentModeHarness } from '../testing/agent-mode-harness.js';
import { agentModeUserPromptTag, isAgentModeInjection } from './agent-mode-prompt.js';
import { type AgentModeChange, type AgentModeStore, InMemoryAgentModeStore } from './agent-mode-store.js';

const injections = (turn: Turn) => turn.blocks.filter(isAgentModeInjection);
const texts = (turn: Turn) =>
  turn.blocks.map((block) => `${block.kind}:${'text' in block.payload ? block.payload.text : ''}`);

describe('agentModeMiddleware: injection', () => {
  it('injects one tagged user block with the mode prompt before the prompt, and sets mode and tools', async () => {
    const harness = agentModeHarness(new InMemoryAgentModeStore());
    const turn = await harness.ask('hello');
    const seen = harness.engine.calls[0]?.blocks ?? [];
    expect(seen.map((block) => block.kind)).toEqual(['system', 'user', 'user']);
    expect(seen[2]?.text).toBe('hello');
    const injected = seen[1]?.text ?? '';
    expect(injected.startsWith('<currentMode>Talk with the user.</currentMode>\n\n<modeSwitchGuidelines>')).toBe(true);
    expect(injected).toContain('```yaml\nmode_switch:\n  analysis: |');
    expect(injected).toContain('Current mode: chat\nAvailable modes: chat, free, math');
    const block = injections(turn)[0];
    expect(block?.role).toBe('user');
    expect(block?.metadata.get(agentModeTagKey)).toBe(agentModeUserPromptTag);
    expect(block?.metadata.get(agentModeBlockKey)).toBe('chat');
    expect(turn.data.get(agentModeKey)).toBe('chat');
    expect(turn.data.get(agentModeAllowedToolsKey)).toEqual(['current_time']);
    expect(
      harness.sink.ofType('log').find((event) => event.message === 'agentmode: user prompt inserted'),
    ).toMatchObject({
      level: 'info',
      fields: { mode: 'chat' },
      meta: { session_id: 'session-1', turn_id: turn.id },
    });
  });

  it('removes earlier injections: one per engine call, across tool rounds and turns', async () => {
    const harness = agentModeHarness(new InMemoryAgentModeStore());
    await harness.ask('hello');
    const turn = await harness.ask('use clock');
    expect(injections(turn)).toHaveLength(1);
    expect(harness.engine.calls).toHaveLength(3);
    for (const call of harness.engine.calls) {
      expect(call.blocks.filter((block) => block.text.includes('<currentMode>'))).toHaveLength(1);
    }
    // Second call of the tool loop: the injection stays before the prompt; the call and its result stay adjacent.
    const kinds = harness.engine.calls[2]?.blocks.map((block) => block.kind);
    expect(kinds?.slice(-4)).toEqual(['user', 'user', 'tool_call', 'tool_use']);
    expect(harness.engine.calls[2]?.blocks.at(-3)?.text).toBe('use clock');
  });

  it('takes the mode from the store when the turn has none, and falls back from an unknown mode to the default', async () => {
    const store = new InMemoryAgentModeStore();
    store.recordChange({
      sessionId: 'session-1',
      turnId: 't0',
      fromMode: null,
      toMode: 'math',
      analysis: null,
      at: 'x',
    });
    const harness = agentModeHarness(store);
    const turn = await harness.ask('hello');
    expect(turn.data.get(agentModeKey)).toBe('math');
    expect(harness.engine.calls[0]?.tools).toEqual(['calculator']);

    const retired = agentModeHarness(new InMemoryAgentModeStore());
    const seeded = createTurn({ blocks: [userBlock('hello')] });
    seeded.data.set(agentModeKey, 'retired');
    retired.session.append(seeded);
    const result = await retired.session.startInference().wait();
    expect(result.data.get(agentModeKey)).toBe('chat');
    expect(retired.sink.ofType('log').find((event) => event.level === 'warn')?.message).toBe(
      'agentmode: unknown mode "retired"; using the default mode chat',
    );
  });
});

describe('agentModeMiddleware: mode switches', () => {
  it('records a switch keyed by session, announces it and uses the new mode from the next call', async () => {
    const store = new InMemoryAgentModeStore();
    const harness = agentModeHarness(store);
    const turn = await harness.ask('switch to math please');
    expect(store.changes('session-1')).toEqual([
      {
        id: 1,
        sessionId: 'session-1',
        turnId: turn.id,
        fromMode: 'chat',
        toMode: 'math',
        analysis: 'The user wants arithmetic.',
        at: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(harness.sink.ofType('agent-mode-switch')).toEqual([
      expect.objectContaining({
        message: 'agentmode: mode switched',
        data: { from: 'chat', to: 'math', analysis: 'The user wants arithmetic.' },
      }),
    ]);
    expect(texts(turn).at(-1)).toBe('system:[agent-mode] switched to math');
    expect(turn.data.get(agentModeKey)).toBe('math');
    expect(turn.data.get(agentModeAllowedToolsKey)).toEqual(['calculator']);

    const next = await harness.ask('hello again');
    expect(injections(next)[0]?.metadata.get(agentModeBlockKey)).toBe('math');
    expect(harness.engine.calls.at(-1)?.tools).toEqual(['calculator']);
    // The old mode_switch is history now: it is not detected again.
    expect(harness.sink.ofType('agent-mode-switch')).toHaveLength(1);
    expect(store.changes('session-1')).toHaveLength(1);
  });

  it('removes the tool list when the new mode has none, so the previous list does not linger', async () => {
    const harness = agentModeHarness(new InMemoryAgentModeStore());
    const turn = await harness.ask('switch to free');
    expect(turn.data.has(agentModeAllowedToolsKey)).toBe(false);
    await harness.ask('hello');
    expect(harness.engine.calls.at(-1)?.tools).toEqual(['calculator', 'current_time']);
  });

  it('announces an analysis without a new mode as a switch to the same mode, recording nothing', async () => {
    const store = new InMemoryAgentModeStore();
    const harness = agentModeHarness(store);
    const turn = await harness.ask('stay here');
    expect(harness.sink.ofType('agent-mode-switch').map((event) => event.data)).toEqual([
      { from: 'chat', to: 'chat', analysis: 'The current mode still fits.' },
    ]);
    expect(store.changes('session-1')).toEqual([]);
    expect(texts(turn).some((text) => text.includes('[agent-mode]'))).toBe(false);
  });

  it('does not switch to an unknown mode: a warning names it and the available modes', async () => {
    const store = new InMemoryAgentModeStore();
    const harness = agentModeHarness(store);
    const turn = await harness.ask('unknown mode please');
    expect(turn.data.get(agentModeKey)).toBe('chat');
    expect(store.changes('session-1')).toEqual([]);
    expect(harness.sink.ofType('agent-mode-switch')).toEqual([]);
    expect(harness.sink.ofType('log').filter((event) => event.level === 'warn')).toEqual([
      expect.objectContaining({
        message: 'agentmode: unknown mode "astrology" proposed; staying in chat',
        fields: { proposed: 'astrology', mode: 'chat', available: ['chat', 'free', 'math'] },
      }),
    ]);
  });

  it('skips malformed mode_switch YAML with debug logs and no switch', async () => {
    const store = new InMemoryAgentModeStore();
    const harness = agentModeHarness(store);
    const turn = await harness.ask('malformed yaml');
    expect(turn.data.get(agentModeKey)).toBe('chat');
    expect(store.changes('session-1')).toEqual([]);
    expect(harness.sink.ofType('agent-mode-switch')).toEqual([]);
    const debug = harness.sink.ofType('log').filter((event) => event.level === 'debug');
    expect(debug.map((event) => event.message)).toEqual([
      'agentmode: malformed mode_switch YAML skipped',
      'agentmode: malformed mode_switch YAML skipped',
    ]);
    expect(String(debug[0]?.fields?.reason)).toMatch(/^mode_switch has the wrong shape/);
    expect(String(debug[1]?.fields?.reason)).toMatch(/^malformed YAML/);
  });

  it('keeps the switch when the store fails to record it, reporting an error log', async () => {
    const failing: AgentModeStore = {
      currentMode: () => {
        throw new Error('disk gone');
      },
      recordChange: (_change: AgentModeChange) => {
        throw new Error('disk gone');
      },
      changes: () => [],
    };
    const harness = agentModeHarness(failing);
    const turn = await harness.ask('switch to math');
    expect(turn.data.get(agentModeKey)).toBe('math');
    expect(harness.sink.ofType('agent-mode-switch')).toHaveLength(1);
    const levels = harness.sink.ofType('log').map((event) => [event.level, event.message]);
    expect(levels).toContainEqual(['warn', "agentmode: reading the session's mode failed: disk gone"]);
    expect(levels).toContainEqual(['error', 'agentmode: recording the mode change failed: disk gone']);
  });
});
