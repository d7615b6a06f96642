// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer, maxPromptChars } from './composer.js';

afterEach(cleanup);

function setup(props: Partial<Parameters<typeof Composer>[0]> = {}) {
  const onSend = vi.fn();
  const onStop = vi.fn();
  render(<Composer onSend={onSend} onStop={onStop} isRunning={false} isStopping={false} {...props} />);
  const input = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  return { onSend, onStop, input };
}

describe('Composer', () => {
  it('sends the trimmed text on Enter and clears the box', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: '  hello there \n' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello there');
    expect(input.value).toBe('');
  });

  it('does not send on Shift+Enter or while an IME composes', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: 'line one' } });
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    fireEvent.keyDown(input, { key: 'Enter', isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('disables Send for a blank prompt, an over-long one, or with a reason', () => {
    const { onSend, input } = setup();
    const send = screen.getByRole('button', { name: 'Send message' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: 'x'.repeat(maxPromptChars + 1) } });
    expect(send.disabled).toBe(true);
    expect(screen.getByText(/too long to send/)).toBeTruthy();

    cleanup();
    setup({ disabledReason: 'The "openai" profile is unavailable: no key' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'hi' } });
    expect((screen.getByRole('button', { name: 'Send message' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/profile is unavailable/)).toBeTruthy();
  });

  it('shows Stop while an answer runs, and sending then queues', () => {
    const { onStop, onSend, input } = setup({ isRunning: true });
    fireEvent.click(screen.getByRole('button', { name: 'Stop the answer' }));
    expect(onStop).toHaveBeenCalledOnce();
    fireEvent.change(input, { target: { value: 'next question' } });
    fireEvent.click(screen.getByRole('button', { name: 'Queue message' }));
    expect(onSend).toHaveBeenCalledWith('next question');
  });
});
