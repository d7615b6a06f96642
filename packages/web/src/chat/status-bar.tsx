import type { ProfileSummary } from '@cricket/protocol';
import { type JSX, useState } from 'react';
import type { ChatClientSnapshot } from '../client/index.js';
import { formatCount } from '../shared/format.js';
import { Icon } from '../shared/icon.js';
import { ConnectionStatus } from './connection-status.js';
import { IssuesPanel } from './issues-panel.js';
import type { UsageSummary } from './timeline-items.js';

/**
 * The strip under the composer: socket state (with the reconnection countdown), the engine that
 * answers (the offline scripted engine clearly labelled), token usage of the conversation, and the
 * connection's issues on demand.
 */
export function StatusBar({
  snapshot,
  isNew,
  profile,
  usage,
  onRetryNow,
}: {
  snapshot: ChatClientSnapshot;
  isNew: boolean;
  profile: ProfileSummary | undefined;
  usage: UsageSummary;
  onRetryNow(): void;
}): JSX.Element {
  const [showIssues, setShowIssues] = useState(false);
  const issues = snapshot.issues.filter((issue) => issue.type !== 'error-frame');
  const model = usage.model ?? profile?.model;
  const total = usage.inputTokens + usage.outputTokens;
  return (
    <footer className="status-bar">
      <ConnectionStatus
        state={snapshot.state}
        isNew={isNew}
        reconnectAttempt={snapshot.reconnectAttempt}
        nextReconnectAtMs={snapshot.nextReconnectAtMs}
        onRetryNow={onRetryNow}
      />
      {profile ? (
        <span className="status-item" data-testid="engine-label">
          <span className="status-muted">{profile.provider ?? 'engine'}</span>
          {model ? <span className="status-strong">{model}</span> : null}
          {profile.offline ? <span className="badge badge-offline">offline demo engine</span> : null}
        </span>
      ) : null}
      <span className="status-item" title={`${usage.inputTokens} input tokens, ${usage.outputTokens} output tokens`}>
        <span className="status-muted">tokens</span>
        <span className="status-strong" data-testid="token-usage">
          {total > 0 ? `${formatCount(usage.inputTokens)} in · ${formatCount(usage.outputTokens)} out` : '—'}
        </span>
      </span>
      {issues.length > 0 ? (
        <button
          type="button"
          className="status-issues"
          aria-expanded={showIssues}
          onClick={() => setShowIssues(!showIssues)}
        >
          <Icon name="alert" size={13} />
          {issues.length} {issues.length === 1 ? 'issue' : 'issues'}
        </button>
      ) : null}
      {showIssues ? <IssuesPanel issues={issues} onClose={() => setShowIssues(false)} /> : null}
    </footer>
  );
}
