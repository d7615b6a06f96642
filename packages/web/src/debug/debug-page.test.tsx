// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBlock, createRecord, createTurn } from './debug-fixtures.js';
import { DebugPage } from './debug-page.js';
import { createFakeDebugServer, type FakeDebugState } from './fake-debug-server.js';

const user = createBlock({ id: 'u1', kind: 'user', role: 'user', payload: { text: 'What is 2 + 2?' } });
const call = createBlock({
  id: 'call_1',
  kind: 'tool_call',
  payload: { id: 'call_1', name: 'calculator', args: { x: '2+2' } },
});
const result = createBlock({
  id: 'r1',
  kind: 'tool_use',
  payload: { id: 'call_1', result: '{"result":4}', error: '' },
});
const answer = createBlock({ id: 'a1', kind: 'llm_text', role: 'assistant', payload: { text: 'It is **4**.' } });

function createState(): FakeDebugState {
  const turn = (blocks: (typeof user)[]) => createTurn(blocks, { id: 'turn-1' });
  const fields = (createdAtMs: number) => ({
    createdAtMs,
    inferenceId: 'inf-1',
    convId: 'math',
    sessionId: 'session-1',
  });
  return {
    isEnabled: true,
    currentSessionId: 'session-1',
    conversations: [
      {
        conv_id: 'math',
        profile: 'default',
        session_id: 'session-1',
        created_at_ms: 1_700_000_000_000,
        last_activity_ms: Date.now(),
        last_seq: 6,
        running: false,
        queue_depth: 0,
        title: 'What is 2 + 2?',
      },
    ],
    snapshots: [
      createRecord('pre_inference', turn([user]), fields(1)),
      createRecord('post_inference', turn([user, call]), fields(2)),
      createRecord('post_tools', turn([user, call, result]), fields(3)),
      createRecord('pre_inference', turn([user, call, result]), fields(4)),
      createRecord('post_inference', turn([user, call, result, answer]), fields(5)),
      createRecord('final', turn([user, call, result, answer]), fields(6)),
    ],
    events: [
      { seq: 1, type: 'tool.start', id: 'call_1', inference_id: 'inf-1', data: { name: 'calculator' } },
      { seq: 2, type: 'tool.result', id: 'call_1', inference_id: 'inf-1', data: { result: '{"result":4}' } },
      { seq: 3, type: 'llm.start', id: 'm1', inference_id: 'inf-1', data: { role: 'assistant' } },
      { seq: 4, type: 'llm.delta', id: 'm1', inference_id: 'inf-1', data: { delta: 'It is ', cumulative: 'It is ' } },
      { seq: 5, type: 'llm.final', id: 'm1', inference_id: 'inf-1', data: { text: 'It is **4**.' } },
    ],
    entities: [
      {
        version: 2,
        entity: { id: 'call_1', kind: 'tool_call', createdVersion: '1', toolCall: { name: 'calculator' } },
      },
      {
        version: 5,
        entity: {
          id: 'm1',
          kind: 'message',
          createdVersion: '3',
          message: { role: 'assistant', content: 'It is **4**.' },
        },
      },
    ],
    pauses: [],
  };
}

let state: FakeDebugState;
let server: ReturnType<typeof createFakeDebugServer>;

beforeEach(() => {
  state = createState();
  server = createFakeDebugServer(state);
  vi.stubGlobal('fetch', server.fetch);
  window.history.replaceState(null, '', '/debug');
  sessionStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openConversation(): Promise<HTMLElement> {
  render(<DebugPage />);
  const list = await screen.findByRole('navigation', { name: 'Conversations' });
  fireEvent.click(await within(list).findByRole('button', { name: /What is 2 \+ 2/ }));
  return screen.findByRole('region', { name: 'Inference 1' });
}

function kindsIn(element: HTMLElement): string[] {
  return [...element.querySelectorAll('.kind-badge')].map((badge) => badge.textContent ?? '');
}

describe('DebugPage', () => {
  it('shows the inference of a conversation with its phases and blocks, and keeps the selection in the URL', async () => {
    const inspector = await openConversation();
    expect(new URLSearchParams(window.location.search).get('conv')).toBe('math');
    const phases = within(inspector).getByRole('tablist', { name: 'Snapshot phase' });
    expect(
      within(phases)
        .getAllByRole('tab')
        .map((tab) => tab.textContent),
    ).toEqual(['Pre-inference2', 'Post-inference2', 'Post-tools1', 'Final1']);
    expect(kindsIn(within(inspector).getByRole('list', { name: 'Blocks' }))).toEqual([
      'user',
      'tool_call',
      'tool_use',
      'llm_text',
    ]);
    fireEvent.click(within(phases).getByRole('tab', { name: /Pre-inference/ }));
    fireEvent.click(within(inspector).getByRole('button', { name: '#1' }));
    expect(kindsIn(within(inspector).getByRole('list', { name: 'Blocks' }))).toEqual(['user']);
  });

  it('diffs the first pre-inference snapshot against the final one', async () => {
    const inspector = await openConversation();
    fireEvent.click(within(inspector).getByRole('tab', { name: 'Diff' }));
    const rows = within(inspector).getByRole('list', { name: 'Blocks' });
    const added = [...rows.querySelectorAll<HTMLElement>('.diff-row[data-status="added"]')];
    expect(added.flatMap(kindsIn)).toEqual(['tool_call', 'tool_use', 'llm_text']);
    expect(within(inspector).getByText('+ 3 added')).toBeTruthy();
    fireEvent.click(within(inspector).getByLabelText('Hide unchanged'));
    expect(rows.querySelectorAll('.diff-row[data-status="unchanged"]')).toHaveLength(0);
  });

  it('filters the event log and links timeline entities to their events', async () => {
    await openConversation();
    fireEvent.click(screen.getByRole('tab', { name: /Events & timeline/ }));
    const log = await screen.findByRole('list', { name: 'Events' });
    expect(log.querySelectorAll('.event-item')).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: /^llm\.delta/ }));
    expect([...log.querySelectorAll('.event-type')].map((node) => node.textContent)).toEqual(['llm.delta']);
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search events' }), { target: { value: 'calculator' } });
    await waitFor(() =>
      expect([...log.querySelectorAll('.event-type')].map((node) => node.textContent)).toEqual(['tool.start']),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    const entities = screen.getByRole('list', { name: 'Timeline entities' });
    fireEvent.click(within(entities).getByRole('button', { name: /assistant message/i }));
    const related = [...log.querySelectorAll('.event-item[data-related="true"] .event-seq')].map(
      (node) => node.textContent,
    );
    expect(related).toEqual(['3', '4', '5']);
  });

  it('switches step mode and continues a pending pause', async () => {
    await openConversation();
    const toggle = screen.getByRole('switch', { name: 'Step mode' });
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(server.requests.find((request) => request.path === '/api/debug/step/enable')?.body).toEqual({
      conv_id: 'math',
    });

    state.pauses = [
      {
        pause_id: 'pause-1',
        session_id: 'session-1',
        phase: 'after_inference',
        summary: 'Review next action',
        deadline_ms: Date.now() + 30_000,
        extra: { conversation_id: 'math', pending_tools: 1 },
      },
    ];
    const pauses = await screen.findByRole('list', { name: 'Pending pauses' }, { timeout: 3000 });
    expect(within(pauses).getByText(/1 tool call pending/)).toBeTruthy();
    fireEvent.click(within(pauses).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Pending pauses' })).toBeNull());
    expect(server.requests.find((request) => request.path === '/api/debug/continue')?.body).toEqual({
      pause_id: 'pause-1',
      conv_id: 'math',
    });
    expect(await screen.findByText('Continued the inference')).toBeTruthy();

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
  });

  it('says clearly when the debug API is off', async () => {
    state.isEnabled = false;
    render(<DebugPage />);
    expect(await screen.findByRole('heading', { name: 'The debug API is off' })).toBeTruthy();
    expect(screen.getByText('cricket serve --debug-api')).toBeTruthy();
  });

  it('reads the selection from the URL', async () => {
    window.history.replaceState(null, '', '/debug?conv=math&tab=events');
    render(<DebugPage />);
    expect(await screen.findByRole('list', { name: 'Events' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Events & timeline/ }).getAttribute('aria-selected')).toBe('true');
  });
});
