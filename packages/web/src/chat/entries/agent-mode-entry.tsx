import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { Icon } from '../../shared/icon.js';

/** An agent-mode switch, as a divider in the conversation, with the analysis that led to it on demand. */
export function AgentModeEntry({ entity }: { entity: TimelineEntity }): JSX.Element {
  const mode = entity.agentMode ?? {};
  const title = mode.title || 'Agent mode changed';
  return (
    <article className="entry entry-divider entry-agent-mode" aria-label={`Agent mode: ${title}`}>
      <div className="divider-line" aria-hidden="true" />
      <div className="divider-content">
        <Icon name="refresh" size={13} />
        <span className="divider-title">{title}</span>
        {mode.from || mode.to ? (
          <span className="mode-change">
            {mode.from ? <code>{mode.from}</code> : null}
            {mode.from && mode.to ? ' → ' : null}
            {mode.to ? <code>{mode.to}</code> : null}
          </span>
        ) : null}
      </div>
      {mode.analysis ? (
        <details className="divider-details">
          <summary>Why</summary>
          <p>{mode.analysis}</p>
        </details>
      ) : null}
      <div className="divider-line" aria-hidden="true" />
    </article>
  );
}
