import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { CopyButton } from '../../shared/copy-button.js';
import { Icon } from '../../shared/icon.js';
import { formatJson } from './json-view.js';
import { ToolResultBody } from './tool-result-body.js';
import { ToolStatusBadge } from './tool-status-badge.js';
import { ValueView } from './value-view.js';

/** A tool call: its name, live state (running, completed, error, interrupted), arguments and result. */
export function ToolCallCard({ entity, result }: { entity: TimelineEntity; result?: TimelineEntity }): JSX.Element {
  const call = entity.toolCall ?? {};
  const name = call.name || 'tool';
  const status = result?.toolResult?.error && call.status !== 'running' ? 'error' : call.status || 'running';
  const input = call.input ?? {};
  const hasInput = Object.keys(input).length > 0;
  return (
    <article className="entry entry-tool card" data-status={status} aria-label={`Tool call ${name}: ${status}`}>
      <header className="card-header">
        <span className="card-icon" aria-hidden="true">
          <Icon name="tool" size={15} />
        </span>
        <span className="tool-name">{name}</span>
        <ToolStatusBadge status={status} />
      </header>
      <div className="card-body">
        <div className="tool-section">
          <div className="tool-section-label">
            Arguments
            {hasInput ? <CopyButton text={() => formatJson(input)} label="Copy" /> : null}
          </div>
          {hasInput ? <ValueView value={input} label="Tool arguments" /> : <p className="muted-note">No arguments.</p>}
        </div>
        {result ? <ToolResultBody result={result} /> : null}
      </div>
    </article>
  );
}
