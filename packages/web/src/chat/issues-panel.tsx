import type { JSX } from 'react';
import type { ChatClientIssue } from '../client/index.js';
import { formatClock } from '../shared/format.js';

const titles: Record<ChatClientIssue['type'], string> = {
  'error-frame': 'Server error',
  'invalid-frame': 'Malformed frame skipped',
  'join-refused': 'Connection refused',
  'connection-failed': 'Connection failed',
  'hydrate-failed': 'Could not load the conversation',
  'timeline-truncated': 'Conversation truncated',
};

/** The connection's recent problems, newest first (errors inside the conversation show in the timeline). */
export function IssuesPanel({ issues, onClose }: { issues: readonly ChatClientIssue[]; onClose(): void }): JSX.Element {
  return (
    <section className="issues-panel" aria-label="Connection issues">
      <header className="issues-header">
        <h2>Connection issues</h2>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      {issues.length === 0 ? (
        <p className="muted-note">Nothing went wrong.</p>
      ) : (
        <ol className="issues-list">
          {[...issues].reverse().map((issue, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues are append-only; index from the end is stable enough for a list that is re-read whole.
            <li key={`${issue.atMs}-${index}`} className="issue" data-type={issue.type}>
              <div className="issue-title">
                {titles[issue.type]}
                <time className="issue-time">{formatClock(issue.atMs)}</time>
              </div>
              <p className="issue-message">{issue.message}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
