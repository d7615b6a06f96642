import { type JSX, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChatApi } from '../client/index.js';
import type { ThemeState } from '../theme/use-theme.js';
import type { ChatEnvironment } from './chat-environment.js';
import { ChatHeader } from './chat-header.js';
import { Composer } from './composer.js';
import { NoticeBanner } from './notice-banner.js';
import { Sidebar } from './sidebar.js';
import { StatusBar } from './status-bar.js';
import { conversationTitle, summarizeUsage } from './timeline-items.js';
import { TimelineView } from './timeline-view.js';
import { useChatSession } from './use-chat-session.js';
import { useConversationRoute } from './use-conversation-route.js';
import { useConversations } from './use-conversations.js';
import { useProfiles } from './use-profiles.js';
import { Welcome } from './welcome.js';

/**
 * The chat page: conversation list, the streaming conversation, the composer and the status bar. All
 * server traffic goes through the framework-free `ChatClient` (hydration, ordered frames, reconnects)
 * and `ChatApi`; this component only arranges what they report.
 */
export function ChatPage({ environment, theme }: { environment: ChatEnvironment; theme: ThemeState }): JSX.Element {
  const api = useMemo(
    () => new ChatApi({ baseUrl: environment.baseUrl, ...(environment.fetch ? { fetch: environment.fetch } : {}) }),
    [environment],
  );
  const route = useConversationRoute(api);
  const conversations = useConversations(api);
  const profiles = useProfiles(api);
  const session = useChatSession(environment, route, conversations.refresh);
  const { snapshot } = session;

  const [isDrawerOpen, setDrawerOpen] = useState(false);
  const [followToken, setFollowToken] = useState(0);
  const [isProfileBusy, setProfileBusy] = useState(false);
  // A profile picked while this conversation is open applies to its next prompts.
  const [picked, setPicked] = useState<{ convId: string; slug: string } | undefined>(undefined);

  const profileSlug = picked?.convId === route.convId ? picked.slug : (snapshot.profile ?? profiles.selectedSlug);
  const profile = profiles.profiles?.find((entry) => entry.slug === profileSlug);
  const usage = useMemo(() => summarizeUsage(snapshot.entities), [snapshot.entities]);
  const listed = conversations.items?.find((item) => item.conv_id === route.convId);
  const title = conversationTitle(snapshot.entities) ?? listed?.title ?? 'New chat';
  const isNew = route.existence === 'new';
  const isLoading =
    route.existence === 'checking' ||
    (route.existence === 'exists' &&
      snapshot.entities.length === 0 &&
      session.items.length === 0 &&
      snapshot.state !== 'live');
  const showWelcome = session.items.length === 0 && !isLoading;
  const disabledReason =
    profile?.available === false
      ? `The "${profile.slug}" profile is unavailable: ${profile.reason ?? 'not configured'}`
      : undefined;
  const joinRefusal =
    snapshot.state === 'closed' ? snapshot.issues.findLast((issue) => issue.type === 'join-refused') : undefined;

  useEffect(() => {
    document.title = title === 'New chat' ? 'Cricket' : `${title} · Cricket`;
  }, [title]);

  const send = useCallback(
    (prompt: string) => {
      session.send(prompt, profileSlug);
      setFollowToken((value) => value + 1);
    },
    [session.send, profileSlug],
  );

  const changeProfile = useCallback(
    async (slug: string) => {
      setProfileBusy(true);
      const ok = await profiles.select(slug);
      setProfileBusy(false);
      if (ok) setPicked({ convId: route.convId, slug });
    },
    [profiles.select, route.convId],
  );

  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const openConversation = useCallback(
    (convId: string) => {
      setDrawerOpen(false);
      if (convId !== route.convId) route.open(convId);
    },
    [route.open, route.convId],
  );
  const startNew = useCallback(() => {
    setDrawerOpen(false);
    route.startNew();
  }, [route.startNew]);

  // Tells screen-reader users when an answer finishes (the streaming text itself is not announced).
  const [announcement, setAnnouncement] = useState('');
  const wasRunning = useRef(false);
  const { refresh: refreshConversations } = conversations;
  useEffect(() => {
    if (wasRunning.current && !session.isRunning) {
      setAnnouncement('The answer is complete.');
      // The list shows which conversations are answering; this one just stopped.
      refreshConversations();
    }
    wasRunning.current = session.isRunning;
  }, [session.isRunning, refreshConversations]);

  return (
    <div className="app-shell">
      <Sidebar
        items={conversations.items}
        error={conversations.error}
        currentId={route.convId}
        isOpen={isDrawerOpen}
        onClose={closeDrawer}
        onOpen={openConversation}
        onNew={startNew}
      />
      <main className="main-column">
        <ChatHeader
          title={title}
          isDrawerOpen={isDrawerOpen}
          onOpenDrawer={() => setDrawerOpen(true)}
          profiles={profiles.profiles}
          profile={profileSlug}
          onProfileChange={changeProfile}
          isProfileBusy={isProfileBusy}
          theme={theme}
        />
        <div className="banners">
          {profiles.error ? (
            <NoticeBanner action={{ label: 'Try again', onClick: profiles.reload }}>{profiles.error}</NoticeBanner>
          ) : null}
          {joinRefusal ? (
            <NoticeBanner action={{ label: 'Reconnect', onClick: () => session.client.reconnectNow() }}>
              The server refused this conversation: {joinRefusal.message}
            </NoticeBanner>
          ) : null}
          {session.stopError ? <NoticeBanner tone="warning">{session.stopError}</NoticeBanner> : null}
        </div>
        {showWelcome ? (
          <div className="welcome-frame">
            <Welcome onPick={send} isOfflineEngine={profile?.offline === true} />
          </div>
        ) : isLoading ? (
          <div className="loading-frame" role="status">
            <span className="spinner" aria-hidden="true" />
            {snapshot.state === 'reconnecting' || snapshot.state === 'closed'
              ? 'Cannot reach the server yet: the conversation loads as soon as it answers.'
              : 'Loading the conversation…'}
          </div>
        ) : (
          <TimelineView
            items={session.items}
            followToken={followToken}
            onRetry={(key) => session.retry(key, profileSlug)}
            onDiscard={session.discard}
          />
        )}
        <div className="composer-dock">
          <Composer
            onSend={send}
            onStop={session.stop}
            isRunning={session.isRunning}
            isStopping={session.isStopping}
            disabledReason={disabledReason}
            focusToken={route.convId}
          />
          <StatusBar
            snapshot={snapshot}
            isNew={isNew}
            profile={profile}
            usage={usage}
            onRetryNow={() => session.client.reconnectNow()}
          />
        </div>
        <div className="visually-hidden" aria-live="polite">
          {announcement}
        </div>
      </main>
    </div>
  );
}
