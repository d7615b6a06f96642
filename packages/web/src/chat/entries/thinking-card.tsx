import type { TimelineEntity } from '@cricket/protocol';
import { type JSX, useEffect, useState } from 'react';
import { MarkdownView } from '../../markdown/markdown-view.js';
import { Icon } from '../../shared/icon.js';

/**
 * The model's reasoning, in a collapsible card: open while it streams so the user can follow, folded
 * once it is done (unless the user opened or closed it themselves).
 */
export function ThinkingCard({ entity }: { entity: TimelineEntity }): JSX.Element {
  const text = entity.message?.content ?? '';
  const streaming = entity.message?.streaming === true;
  const [isOpen, setOpen] = useState(streaming);
  const [isTouched, setTouched] = useState(false);

  useEffect(() => {
    if (!isTouched) setOpen(streaming);
  }, [streaming, isTouched]);

  const bodyId = `thinking-${entity.id}`;
  return (
    <article className="entry entry-thinking" aria-label="Reasoning" data-streaming={streaming ? 'true' : 'false'}>
      <button
        type="button"
        className="card-toggle"
        aria-expanded={isOpen}
        aria-controls={bodyId}
        onClick={() => {
          setTouched(true);
          setOpen(!isOpen);
        }}
      >
        <Icon name="brain" size={15} />
        <span className="card-toggle-title">{streaming ? 'Thinking…' : 'Reasoning'}</span>
        {streaming ? <span className="pulse-dot" aria-hidden="true" /> : null}
        <Icon name="chevron" size={14} className="chevron" />
      </button>
      <div id={bodyId} className="thinking-body" hidden={!isOpen}>
        {text ? <MarkdownView text={text} streaming={streaming} /> : <p className="muted-note">No reasoning text.</p>}
      </div>
    </article>
  );
}
