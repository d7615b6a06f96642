// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionStatus, describeConnection } from './connection-status.js';

afterEach(cleanup);

const base = { isNew: false, reconnectAttempt: 0, nextReconnectAtMs: undefined, nowMs: 1_000 };

describe('describeConnection', () => {
  it('names each state', () => {
    expect(describeConnection('idle', { ...base, isNew: true })).toEqual({ label: 'New conversation', tone: 'idle' });
    expect(describeConnection('connecting', base).label).toBe('Connecting…');
    expect(describeConnection('hydrating', base).label).toBe('Syncing…');
    expect(describeConnection('live', base)).toEqual({ label: 'Live', tone: 'live' });
    expect(describeConnection('closed', base)).toEqual({ label: 'Offline', tone: 'offline' });
  });

  it('counts down to the next attempt, and says offline after repeated failures', () => {
    const waiting = { ...base, reconnectAttempt: 1, nextReconnectAtMs: 3_500 };
    expect(describeConnection('reconnecting', waiting)).toEqual({ label: 'Reconnecting in 3 s', tone: 'warning' });
    expect(describeConnection('reconnecting', { ...waiting, reconnectAttempt: 4 })).toEqual({
      label: 'Offline · retrying in 3 s',
      tone: 'offline',
    });
  });
});

describe('ConnectionStatus', () => {
  it('offers to retry at once while waiting', () => {
    const onRetryNow = vi.fn();
    render(
      <ConnectionStatus
        state="reconnecting"
        isNew={false}
        reconnectAttempt={1}
        nextReconnectAtMs={Date.now() + 4_000}
        onRetryNow={onRetryNow}
      />,
    );
    expect(screen.getByText(/Reconnecting in \d s/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(onRetryNow).toHaveBeenCalledOnce();
  });
});
