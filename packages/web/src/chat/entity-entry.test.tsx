// @vitest-environment jsdom
import type { TimelineEntity } from '@cricket/protocol';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EntityEntry } from './entity-entry.js';

afterEach(cleanup);

describe('EntityEntry', () => {
  it('renders a tool call with its arguments, live state and result', () => {
    const call: TimelineEntity = {
      id: 't1',
      kind: 'tool_call',
      toolCall: { name: 'calculator', input: { expression: '12 * (3 + 4)' }, status: 'running' },
    };
    const { rerender } = render(<EntityEntry entity={call} />);
    expect(screen.getByRole('article', { name: 'Tool call calculator: running' })).toBeTruthy();
    expect(screen.getByText('12 * (3 + 4)')).toBeTruthy();

    const done = { ...call, toolCall: { ...call.toolCall, status: 'completed' } };
    const result: TimelineEntity = {
      id: 't1:result',
      kind: 'tool_result',
      toolResult: { toolCallId: 't1', resultRaw: '{"expression":"12 * (3 + 4)","result":84}' },
    };
    rerender(<EntityEntry entity={done} result={result} />);
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.getByText('84')).toBeTruthy();
  });

  it('shows a failed tool as an error with its message', () => {
    const call: TimelineEntity = { id: 't', kind: 'tool_call', toolCall: { name: 'calculator', status: 'error' } };
    const result: TimelineEntity = { id: 't:result', kind: 'tool_result', toolResult: { error: 'division by zero' } };
    render(<EntityEntry entity={call} result={result} />);
    expect(screen.getByRole('article', { name: 'Tool call calculator: error' })).toBeTruthy();
    expect(screen.getByText('division by zero')).toBeTruthy();
  });

  it('shows error entities with their message and code', () => {
    const error: TimelineEntity = {
      id: 'e',
      kind: 'error',
      error: { message: 'scripted failure requested: boom', code: 'provider_error', blame: 'provider' },
    };
    render(<EntityEntry entity={error} />);
    expect(screen.getByText('scripted failure requested: boom')).toBeTruthy();
    expect(screen.getByText('provider_error')).toBeTruthy();
  });

  it('renders agent-mode switches and user-facing log lines', () => {
    render(
      <>
        <EntityEntry
          entity={{
            id: 'm',
            kind: 'agent_mode',
            agentMode: { title: 'Switched to research', from: 'chat', to: 'research', analysis: 'needs sources' },
          }}
        />
        <EntityEntry entity={{ id: 'l', kind: 'log', log: { level: 'warn', message: 'rate limited, retrying' } }} />
      </>,
    );
    expect(screen.getByRole('article', { name: 'Agent mode: Switched to research' }).textContent).toContain(
      'chat → research',
    );
    expect(screen.getByText('needs sources')).toBeTruthy();
    expect(screen.getByRole('article', { name: 'Log warn' }).textContent).toContain('rate limited, retrying');
  });

  it('renders an unknown kind as a neutral fallback', () => {
    render(<EntityEntry entity={{ id: 'x', kind: 'team_analysis_v9' }} />);
    expect(screen.getByText('Unsupported entry: team_analysis_v9')).toBeTruthy();
  });

  it('contains a renderer crash in the entry (error boundary)', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A malformed entity (content that is not a string) makes the markdown renderer throw.
    const broken = {
      id: 'm',
      kind: 'message',
      message: { role: 'assistant', content: 42 },
    } as unknown as TimelineEntity;
    render(<EntityEntry entity={broken} />);
    expect(screen.getByText('This message could not be displayed')).toBeTruthy();
    spy.mockRestore();
  });

  it('opens reasoning while it streams and folds it when done', () => {
    const thinking: TimelineEntity = {
      id: 'th',
      kind: 'message',
      message: { role: 'thinking', content: 'step one', streaming: true },
    };
    const { rerender } = render(<EntityEntry entity={thinking} />);
    const toggle = screen.getByRole('button', { name: /Thinking/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    rerender(<EntityEntry entity={{ ...thinking, message: { ...thinking.message, streaming: false } }} />);
    const folded = screen.getByRole('button', { name: /Reasoning/ });
    expect(folded.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(folded);
    expect(folded.getAttribute('aria-expanded')).toBe('true');
  });

  it('labels a stopped answer and shows its model and usage', () => {
    const answer: TimelineEntity = {
      id: 'a',
      kind: 'message',
      message: {
        role: 'assistant',
        content: 'partial',
        metadata: { model: 'scripted-demo', interrupted: 'true', inputTokens: '1200', outputTokens: '34' },
      },
    };
    render(<EntityEntry entity={answer} />);
    expect(screen.getByText('Stopped')).toBeTruthy();
    expect(screen.getByText('scripted-demo')).toBeTruthy();
    expect(screen.getByText('1.2k in · 34 out')).toBeTruthy();
  });
});
