import type { ConversationSummary } from '@cricket/protocol';
import { type JSX, useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatRelativeTime } from '../shared/format.js';
import type { DebugApi } from './debug-api.js';
import { EventsView } from './events-view.js';
import { groupSnapshotsByInference } from './group-snapshots.js';
import { IdChips, shortId } from './id-chip.js';
import { InferenceList } from './inference-list.js';
import { StepModePanel } from './step-mode-panel.js';
import { TabList, tabId, tabPanelId } from './tab-list.js';
import { TurnInspector } from './turn-inspector.js';
import { readSnapshots } from './turn-snapshot.js';
import { useDebugResource } from './use-debug-resource.js';
import type { ConversationTab, DebugSelection } from './use-debug-selection.js';
import { useEventLog } from './use-event-log.js';
import { useInterval } from './use-interval.js';
import { stepPollMs, useStepMode } from './use-step-mode.js';

/**
 * One conversation: its sessions, step mode, the turn snapshots grouped by inference, and the event
 * log beside the timeline. Polls every second while something is happening (an inference runs, step
 * mode is on, or an inference has no final snapshot yet).
 */
export function ConversationView({
  api,
  conversation,
  selection,
  onSelect,
  refresh,
  onLiveTick,
  now,
}: {
  api: DebugApi;
  conversation: ConversationSummary;
  selection: DebugSelection;
  onSelect(change: Partial<DebugSelection>): void;
  /** Bumped by the page's Refresh button. */
  refresh: number;
  /** Called on every live poll, so the page refreshes the conversation's summary just as often. */
  onLiveTick(): void;
  now: number;
}): JSX.Element {
  const convId = conversation.conv_id;
  const [tick, setTick] = useState(0);
  const reload = refresh + tick;
  const sessionSelectId = useId();

  const sessions = useDebugResource(() => api.sessions(convId), convId, reload);
  const currentSessionId = sessions.data?.current_session_id ?? conversation.session_id;
  const sessionId = selection.sessionId ?? currentSessionId;
  const turns = useDebugResource(() => api.turns(convId, sessionId), `${convId}/${sessionId}`, reload);
  const events = useEventLog(api, convId, reload);
  const timeline = useDebugResource(() => api.timeline(convId), convId, reload);
  const step = useStepMode(api, convId, currentSessionId);

  const groups = useMemo(() => groupSnapshotsByInference(readSnapshots(turns.data ?? [])), [turns.data]);
  const selectedGroup = groups.find((group) => group.key === selection.inferenceKey) ?? groups.at(-1);
  const inferenceNumbers = useMemo(
    () => new Map(groups.filter((group) => group.inferenceId).map((group) => [group.inferenceId, group.number])),
    [groups],
  );
  const isLive = conversation.running || step.isEnabled || groups.some((group) => !group.isFinished);
  useInterval(
    () => {
      setTick((value) => value + 1);
      onLiveTick();
    },
    stepPollMs,
    isLive,
  );
  // While idle nothing polls here; the conversation list reporting new frames triggers a reload.
  const lastSeen = useRef(conversation.last_seq);
  useEffect(() => {
    if (conversation.last_seq === lastSeen.current) return;
    lastSeen.current = conversation.last_seq;
    if (!isLive) setTick((value) => value + 1);
  }, [conversation.last_seq, isLive]);

  const sessionItems = sessions.data?.items ?? [];
  const tabPrefix = 'conversation';
  const loadError = sessions.error ?? turns.error ?? events.error ?? timeline.error;

  return (
    <div className="conversation-view">
      <header className="conversation-head">
        <div className="conversation-head-main">
          <h2>{conversation.title || `Conversation ${shortId(convId)}`}</h2>
          <div className="conversation-facts">
            <span className="badge">{conversation.profile}</span>
            {conversation.running ? (
              <span className="badge" data-state="running">
                <span className="pulse-dot" aria-hidden="true" /> running
              </span>
            ) : (
              <span className="badge">idle</span>
            )}
            {conversation.queue_depth > 0 ? (
              <span className="badge badge-warning">{conversation.queue_depth} queued</span>
            ) : null}
            <span className="conversation-fact">last seq {conversation.last_seq}</span>
            <span className="conversation-fact">active {formatRelativeTime(conversation.last_activity_ms, now)}</span>
            {isLive ? (
              <span className="conversation-fact live-note" title="Refreshing every second">
                live
              </span>
            ) : null}
          </div>
          <IdChips
            ids={[
              ['conv', convId],
              ['session', sessionId],
            ]}
          />
        </div>
        {sessionItems.length > 1 ? (
          <div className="session-picker">
            <label htmlFor={sessionSelectId}>Session</label>
            <select
              id={sessionSelectId}
              value={sessionId}
              onChange={(event) => onSelect({ sessionId: event.target.value, inferenceKey: undefined })}
            >
              {sessionItems.map((session, index) => (
                <option key={session.session_id} value={session.session_id}>
                  {`#${index + 1} ${shortId(session.session_id)} · ${session.snapshots} snapshots${
                    session.session_id === currentSessionId ? ' · current' : ''
                  }`}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </header>

      <StepModePanel step={step} />

      {loadError ? (
        <p className="debug-alert" role="alert">
          {loadError.message}
        </p>
      ) : null}

      <TabList<ConversationTab>
        idPrefix={tabPrefix}
        label="Conversation views"
        className="conversation-tabs"
        selected={selection.tab}
        onSelect={(tab) => onSelect({ tab })}
        items={[
          { id: 'turns', label: 'Turns', count: groups.length },
          { id: 'events', label: 'Events & timeline', count: events.events.length },
        ]}
      />
      <div
        role="tabpanel"
        id={tabPanelId(tabPrefix)}
        aria-labelledby={tabId(tabPrefix, selection.tab)}
        className="conversation-panel"
      >
        {selection.tab === 'turns' ? (
          turns.isLoading && !turns.data ? (
            <p className="debug-empty-note" role="status">
              <span className="spinner" aria-hidden="true" /> Loading turn snapshots…
            </p>
          ) : groups.length === 0 ? (
            <div className="debug-empty">
              <h3>No turn snapshots yet</h3>
              <p>Snapshots appear here as soon as this session runs an inference.</p>
            </div>
          ) : (
            <div className="turns-view">
              <InferenceList
                groups={groups}
                selectedKey={selectedGroup?.key}
                onSelect={(key) => onSelect({ inferenceKey: key })}
              />
              {selectedGroup ? (
                <TurnInspector key={selectedGroup.key} group={selectedGroup} groups={groups} convId={convId} />
              ) : null}
            </div>
          )
        ) : events.isLoading && events.events.length === 0 ? (
          <p className="debug-empty-note" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the event log…
          </p>
        ) : (
          <EventsView
            convId={convId}
            events={events.events}
            entities={timeline.data?.entities ?? []}
            timelineVersion={timeline.data?.version ?? 0}
            inferenceNumbers={inferenceNumbers}
          />
        )}
      </div>
    </div>
  );
}
