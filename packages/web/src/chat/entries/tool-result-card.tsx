import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { Icon } from '../../shared/icon.js';
import { ToolResultBody } from './tool-result-body.js';

/** A tool result whose call is not in the timeline (normally results render inside their call's card). */
export function ToolResultCard({ entity }: { entity: TimelineEntity }): JSX.Element {
  return (
    <article className="entry entry-tool card" aria-label="Tool result">
      <header className="card-header">
        <span className="card-icon" aria-hidden="true">
          <Icon name="tool" size={15} />
        </span>
        <span className="tool-name">Tool result</span>
      </header>
      <div className="card-body">
        <ToolResultBody result={entity} />
      </div>
    </article>
  );
}
