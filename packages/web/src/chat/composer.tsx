import { type FormEvent, type JSX, type KeyboardEvent, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { Icon } from '../shared/icon.js';

/** The server's prompt limit (characters); longer prompts are refused with 400. */
export const maxPromptChars = 100_000;
/** Tallest the textarea grows before it scrolls, in px. */
const maxInputHeight = 240;

/**
 * The message box. Enter sends, Shift+Enter adds a line (Enter while an IME composes text does
 * neither). Send is disabled for a blank or over-long prompt and when `disabledReason` is set (the
 * reason is shown); sending while an answer runs queues the prompt on the server. While an inference
 * runs, a Stop button cancels it.
 */
export function Composer({
  onSend,
  onStop,
  isRunning,
  isStopping,
  disabledReason,
  focusToken,
}: {
  onSend(text: string): void;
  onStop(): void;
  isRunning: boolean;
  isStopping: boolean;
  /** Why sending is impossible right now (e.g. the selected profile is unavailable). */
  disabledReason?: string | undefined;
  /** Changing it moves the focus to the box (after switching conversations). */
  focusToken?: string;
}): JSX.Element {
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const isBlank = text.trim() === '';
  const isTooLong = text.length > maxPromptChars;
  const canSend = !isBlank && !isTooLong && !disabledReason;

  // Grow with the text up to a limit, then scroll.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `text` is the trigger: its height changes.
  useLayoutEffect(() => {
    const element = input.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, maxInputHeight)}px`;
  }, [text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `focusToken` is the trigger.
  useLayoutEffect(() => {
    // Not on touch screens: focusing would pop the on-screen keyboard over the conversation.
    if (typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches) return;
    input.current?.focus();
  }, [focusToken]);

  const submit = useCallback(() => {
    if (!canSend) return;
    onSend(text.trim());
    setText('');
  }, [canSend, onSend, text]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  const hintId = 'composer-hint';
  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a message">
      <div className="composer-box" data-disabled={disabledReason ? 'true' : 'false'}>
        <textarea
          ref={input}
          className="composer-input"
          value={text}
          rows={1}
          placeholder={isRunning ? 'Write a follow-up — it will wait for the current answer' : 'Message Cricket…'}
          aria-label="Message"
          aria-describedby={hintId}
          aria-invalid={isTooLong}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-actions">
          {isRunning ? (
            <button
              type="button"
              className="stop-button"
              onClick={onStop}
              disabled={isStopping}
              aria-label="Stop the answer"
              title="Stop the answer"
            >
              <Icon name="stop" size={14} />
              <span>{isStopping ? 'Stopping…' : 'Stop'}</span>
            </button>
          ) : null}
          <button
            type="submit"
            className="send-button"
            disabled={!canSend}
            aria-label={isRunning ? 'Queue message' : 'Send message'}
            title={isRunning ? 'Queue message' : 'Send message'}
          >
            <Icon name="send" size={18} />
          </button>
        </div>
      </div>
      <div className="composer-hint" id={hintId}>
        {disabledReason ? (
          <span className="composer-warning">{disabledReason}</span>
        ) : isTooLong ? (
          <span className="composer-warning">
            {text.length.toLocaleString()} / {maxPromptChars.toLocaleString()} characters: too long to send
          </span>
        ) : (
          <span>
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </span>
        )}
      </div>
    </form>
  );
}
