import type { JSX } from 'react';
import { formatPreciseClock } from './debug-format.js';
import type { InferenceGroup } from './group-snapshots.js';
import { phaseLabels, turnPhases } from './turn-snapshot.js';

/** The inferences of a session, newest first, each with the phases it recorded. */
export function InferenceList({
  groups,
  selectedKey,
  onSelect,
}: {
  groups: readonly InferenceGroup[];
  selectedKey: string | undefined;
  onSelect(key: string): void;
}): JSX.Element {
  return (
    <ol className="inference-list" aria-label="Inferences">
      {[...groups].reverse().map((group) => (
        <li key={group.key}>
          <button
            type="button"
            className="inference-item"
            aria-current={group.key === selectedKey ? 'true' : undefined}
            onClick={() => onSelect(group.key)}
          >
            <span className="inference-item-head">
              <span className="inference-number">#{group.number}</span>
              <span className="inference-time">{formatPreciseClock(group.firstMs).slice(0, 8)}</span>
              {group.isFinished ? null : <span className="pulse-dot" role="img" aria-label="in progress" />}
            </span>
            <span className="inference-prompt">{group.prompt || <em>no user prompt</em>}</span>
            <span className="phase-dots" role="img" aria-label={phaseSummary(group)}>
              {turnPhases.map((phase) => (
                <span
                  key={phase}
                  className="phase-dot"
                  data-phase={phase}
                  data-count={group.phases[phase].length}
                  title={`${phaseLabels[phase]}: ${group.phases[phase].length}`}
                >
                  {group.phases[phase].length > 1 ? group.phases[phase].length : null}
                </span>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function phaseSummary(group: InferenceGroup): string {
  return turnPhases.map((phase) => `${phaseLabels[phase]}: ${group.phases[phase].length}`).join(', ');
}
