import type { JSX } from 'react';
import { copyText } from '../shared/copy-text.js';
import { useToast } from './debug-toast.js';

/** Shortens an id for display: long ids keep their start and end (`4f1c7a9e…3a1c11`). */
export function shortId(id: string, keep = 8): string {
  if (id.length <= keep * 2 + 1) return id;
  return `${id.slice(0, keep)}…${id.slice(-4)}`;
}

/**
 * A correlation id (conv, session, inference, turn, seq, ...) as a chip: clicking copies the full
 * value and confirms with a toast.
 */
export function IdChip({
  label,
  value,
  full = false,
}: {
  label: string;
  value: string | number;
  full?: boolean;
}): JSX.Element {
  const toast = useToast();
  const text = String(value);
  const onClick = async () => {
    const ok = await copyText(text);
    toast(ok ? `Copied ${label} ${shortId(text)}` : `Could not copy the ${label}`, ok ? 'success' : 'error');
  };
  return (
    <button
      type="button"
      className="id-chip"
      onClick={onClick}
      title={`Copy ${label}: ${text}`}
      aria-label={`Copy ${label} ${text}`}
      data-label={label}
    >
      <span className="id-chip-label">{label}</span>
      <span className="id-chip-value">{full ? text : shortId(text)}</span>
    </button>
  );
}

/** A row of correlation chips; empty values are left out. */
export function IdChips({ ids }: { ids: [label: string, value: string | number | undefined][] }): JSX.Element {
  return (
    <div className="id-chips">
      {ids.map(([label, value]) =>
        value === undefined || value === '' ? null : <IdChip key={label} label={label} value={value} />,
      )}
    </div>
  );
}
