import type { JSX } from 'react';
import { Icon } from '../../shared/icon.js';

const labels: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  error: 'Error',
  interrupted: 'Interrupted',
};

/** A tool call's state as a small coloured badge with a spinner while it runs. */
export function ToolStatusBadge({ status }: { status: string }): JSX.Element {
  return (
    <span className="tool-status" data-status={status}>
      {status === 'running' ? <span className="spinner" aria-hidden="true" /> : null}
      {status === 'completed' ? <Icon name="check" size={13} /> : null}
      {status === 'error' ? <Icon name="close" size={13} /> : null}
      {labels[status] ?? status}
    </span>
  );
}
