import { type JSX, useEffect, useRef, useState } from 'react';
import { copyText } from './copy-text.js';
import { Icon } from './icon.js';

/** How long the "Copied" confirmation stays, in ms. */
const confirmationMs = 1500;

/**
 * A button that copies `text` (or the result of calling it, for text that is expensive to build) and
 * confirms with "Copied" for a moment; the confirmation is announced to screen readers.
 */
export function CopyButton({
  text,
  label = 'Copy',
  className,
}: {
  text: string | (() => string);
  label?: string;
  className?: string;
}): JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    const ok = await copyText(typeof text === 'function' ? text() : text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), confirmationMs);
  };

  const shown = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label;
  return (
    <button type="button" className={`copy-button ${className ?? ''}`} onClick={onClick} data-state={state}>
      <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{shown}</span>
    </button>
  );
}
