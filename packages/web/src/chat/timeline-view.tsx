import { type JSX, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Icon } from '../shared/icon.js';
import { EntityEntry } from './entity-entry.js';
import { OutboxMessage } from './entries/outbox-message.js';
import { QueuedPrompt } from './entries/queued-prompt.js';
import type { TimelineItem } from './timeline-items.js';

/** Distance from the bottom (px) within which the view keeps following new content. */
const stickThreshold = 80;

/**
 * The scrolling conversation. It follows new content while the reader is at the bottom and stays put
 * when they scrolled up to read (a "Jump to latest" button appears then). `followToken` changes when
 * the user sends, which always brings the view back to the bottom.
 */
export function TimelineView({
  items,
  followToken,
  onRetry,
  onDiscard,
  header,
}: {
  items: readonly TimelineItem[];
  followToken: number;
  onRetry(key: string): void;
  onDiscard(key: string): void;
  header?: ReactNode;
}): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const isStuck = useRef(true);
  const [showJump, setShowJump] = useState(false);

  const scrollToBottom = useCallback(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    isStuck.current = distance < stickThreshold;
    setShowJump(!isStuck.current);
  }, []);

  // After every render that changed the items (a token, a new card), follow if the reader is at the end.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `items` is the trigger, not an input.
  useLayoutEffect(() => {
    if (isStuck.current) scrollToBottom();
  }, [items, scrollToBottom]);

  useLayoutEffect(() => {
    if (followToken === 0) return;
    isStuck.current = true;
    setShowJump(false);
    scrollToBottom();
  }, [followToken, scrollToBottom]);

  // Content can also grow without a new snapshot (code highlighted, a card expanded, images loaded).
  useEffect(() => {
    const element = content.current;
    if (!element || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => {
      if (isStuck.current) scrollToBottom();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  return (
    <div className="timeline-frame">
      <div className="timeline-scroller" ref={scroller} onScroll={onScroll}>
        <div className="timeline" ref={content}>
          {header}
          <section className="timeline-entries" aria-label="Conversation">
            {items.map((item) => {
              switch (item.type) {
                case 'entity':
                  return (
                    <EntityEntry
                      key={item.key}
                      entity={item.entity}
                      {...(item.result ? { result: item.result } : {})}
                    />
                  );
                case 'outbox':
                  return <OutboxMessage key={item.key} item={item.item} onRetry={onRetry} onDiscard={onDiscard} />;
                case 'queued':
                  return <QueuedPrompt key={item.key} prompt={item.prompt} />;
              }
              return null;
            })}
          </section>
        </div>
      </div>
      {showJump ? (
        <button
          type="button"
          className="jump-button"
          onClick={() => {
            isStuck.current = true;
            setShowJump(false);
            scroller.current?.scrollTo({ top: scroller.current.scrollHeight, behavior: 'smooth' });
          }}
        >
          <Icon name="arrow-down" size={14} />
          Jump to latest
        </button>
      ) : null}
    </div>
  );
}
