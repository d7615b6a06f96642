import type { ConversationSummary } from '@cricket/protocol';
import { type JSX, useEffect, useRef } from 'react';
import { Icon } from '../shared/icon.js';
import { ConversationList } from './conversation-list.js';

/**
 * The left column: brand, "New chat" and the conversation list. On narrow screens it is a drawer
 * (`isOpen`), closed by Escape, by the backdrop or by choosing a conversation; focus moves into it when
 * it opens.
 */
export function Sidebar({
  items,
  error,
  currentId,
  isOpen,
  onClose,
  onOpen,
  onNew,
}: {
  items: readonly ConversationSummary[] | undefined;
  error: string | undefined;
  currentId: string;
  isOpen: boolean;
  onClose(): void;
  onOpen(convId: string): void;
  onNew(): void;
}): JSX.Element {
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    // Remember what had the focus (the drawer button) to give it back when the drawer closes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    panel.current?.querySelector<HTMLElement>('.new-chat-button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (opener?.isConnected && panel.current?.contains(document.activeElement)) opener.focus();
    };
  }, [isOpen, onClose]);

  return (
    <>
      <aside className="sidebar" id="sidebar" data-open={isOpen ? 'true' : 'false'} ref={panel} aria-label="Chats">
        <div className="sidebar-top">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              <Icon name="spark" size={16} />
            </span>
            <span className="brand-name">Cricket</span>
          </div>
          <button type="button" className="icon-button sidebar-close" onClick={onClose} aria-label="Close the list">
            <Icon name="close" size={18} />
          </button>
        </div>
        <button type="button" className="new-chat-button" onClick={onNew}>
          <Icon name="plus" size={16} />
          New chat
        </button>
        <div className="sidebar-heading">Recent</div>
        <div className="sidebar-scroll">
          <ConversationList items={items} error={error} currentId={currentId} onOpen={onOpen} />
        </div>
      </aside>
      {isOpen ? <div className="backdrop" onClick={onClose} aria-hidden="true" /> : null}
    </>
  );
}
