import './debug-page.css';
import { type JSX, useCallback, useMemo, useState } from 'react';
import { Icon } from '../shared/icon.js';
import { useNow } from '../shared/use-now.js';
import { ThemeToggle } from '../theme/theme-toggle.js';
import { useTheme } from '../theme/use-theme.js';
import { ConversationSidebar } from './conversation-sidebar.js';
import { ConversationView } from './conversation-view.js';
import { basePathFromLocation, DebugApi } from './debug-api.js';
import { DebugToastProvider } from './debug-toast.js';
import { useDebugResource } from './use-debug-resource.js';
import { useDebugSelection } from './use-debug-selection.js';
import { useInterval } from './use-interval.js';

/** How often the conversation list refreshes, in ms. */
const conversationsPollMs = 2000;

function DebugApiOff({ chatHref }: { chatHref: string }): JSX.Element {
  return (
    <div className="debug-empty debug-off" role="alert">
      <Icon name="alert" size={28} />
      <h2>The debug API is off</h2>
      <p>
        This server does not expose <code>/api/debug/*</code>. Start it with <code>cricket serve --debug-api</code> to
        inspect conversations, turn snapshots, the event log and step mode here.
      </p>
      <a className="secondary-button" href={chatHref}>
        Back to the chat
      </a>
    </div>
  );
}

/**
 * The debug page (`/debug`): conversations → sessions → turn snapshots by inference and phase with a
 * snapshot diff, the event log beside the timeline entities, and step-mode controls. Everything comes
 * from the server's debug API (`cricket serve --debug-api`).
 */
export function DebugPage(): JSX.Element {
  const theme = useTheme();
  const basePath = useMemo(() => basePathFromLocation(window.location.pathname), []);
  const api = useMemo(() => new DebugApi({ basePath }), [basePath]);
  const [selection, select] = useDebugSelection();
  const [refresh, setRefresh] = useState(0);
  const [listTick, setListTick] = useState(0);
  const now = useNow(15_000);

  const conversations = useDebugResource(() => api.conversations(), 'conversations', refresh + listTick);
  const isOff = conversations.error?.kind === 'off';
  const refreshList = useCallback(() => setListTick((value) => value + 1), []);
  useInterval(() => setListTick((value) => value + 1), conversationsPollMs, !isOff);

  const selected = conversations.data?.find((conversation) => conversation.conv_id === selection.convId);
  const chatHref = `${basePath}/${selection.convId ? `?conv=${encodeURIComponent(selection.convId)}` : ''}`;

  return (
    <DebugToastProvider>
      <div className="debug-page">
        <header className="debug-header">
          <a className="brand debug-brand" href={`${basePath}/`} title="Back to the chat">
            <span className="brand-mark" aria-hidden="true">
              <Icon name="spark" size={16} />
            </span>
            <span className="brand-name">Cricket</span>
          </a>
          <span className="debug-badge">Debug</span>
          <nav className="debug-breadcrumb" aria-label="Selection">
            {selected ? (
              <span title={selected.conv_id}>{selected.title || selected.conv_id}</span>
            ) : (
              <span className="debug-breadcrumb-muted">No conversation selected</span>
            )}
          </nav>
          <div className="header-actions">
            <button
              type="button"
              className="secondary-button compact-button"
              onClick={() => setRefresh((value) => value + 1)}
              aria-label="Refresh everything"
            >
              <Icon name="refresh" size={14} />
              Refresh
            </button>
            <a className="secondary-button compact-button" href={chatHref}>
              <Icon name="chat" size={14} />
              Open chat
            </a>
            <ThemeToggle theme={theme.theme} setPreference={theme.setPreference} />
          </div>
        </header>
        {isOff ? (
          <main className="debug-main debug-main-full">
            <DebugApiOff chatHref={chatHref} />
          </main>
        ) : (
          <div className="debug-body">
            <ConversationSidebar
              conversations={conversations.data}
              isLoading={conversations.isLoading}
              error={conversations.error?.message}
              selectedId={selection.convId}
              onSelect={(convId) => select({ convId, tab: selection.tab })}
              now={now}
            />
            <main className="debug-main">
              {selected ? (
                <ConversationView
                  key={selected.conv_id}
                  api={api}
                  conversation={selected}
                  selection={selection}
                  onSelect={select}
                  refresh={refresh}
                  onLiveTick={refreshList}
                  now={now}
                />
              ) : selection.convId && conversations.data ? (
                <div className="debug-empty">
                  <h2>Conversation not found</h2>
                  <p>
                    The server does not list <code>{selection.convId}</code>. Pick a conversation on the left.
                  </p>
                </div>
              ) : (
                <div className="debug-empty">
                  <Icon name="tool" size={28} />
                  <h2>Inspect a conversation</h2>
                  <p>
                    Pick a conversation to see its turn snapshots by inference and phase, diff them, follow the event
                    log beside the timeline, and step through inferences.
                  </p>
                </div>
              )}
            </main>
          </div>
        )}
      </div>
    </DebugToastProvider>
  );
}
