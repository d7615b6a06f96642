import { type JSX, useState } from 'react';
import { BlockCard } from './block-card.js';
import { formatDuration, formatPreciseClock } from './debug-format.js';
import { defaultComparison, type InferenceGroup, type InferenceStep, phaseTabs } from './group-snapshots.js';
import { IdChips } from './id-chip.js';
import { KeyValueList } from './json-view.js';
import { SnapshotDiffView } from './snapshot-diff-view.js';
import { TabList, tabId, tabPanelId } from './tab-list.js';
import { phaseLabels, type TurnPhase, type TurnSnapshot } from './turn-snapshot.js';

type InspectorMode = 'snapshot' | 'diff';

/** The snapshot recorded just before `step`: the previous one of its inference, else the last of the inference before. */
function previousSnapshot(
  groups: readonly InferenceGroup[],
  group: InferenceGroup,
  step: InferenceStep,
): TurnSnapshot | undefined {
  const index = group.steps.indexOf(step);
  if (index > 0) return group.steps[index - 1]?.snapshot;
  const groupIndex = groups.indexOf(group);
  return groupIndex > 0 ? groups[groupIndex - 1]?.steps.at(-1)?.snapshot : undefined;
}

function initialPhase(group: InferenceGroup): TurnPhase {
  const latest = group.steps.at(-1)?.snapshot.phase;
  if (group.isFinished) return 'final';
  return (
    phaseTabs(group).find((tab) => tab.phase === latest)?.phase ??
    phaseTabs(group).find((tab) => tab.steps.length > 0)?.phase ??
    'final'
  );
}

/**
 * One inference: its correlation ids, its snapshots by phase (blocks, metadata, data, raw YAML), and
 * a diff between any two snapshots of the session.
 */
export function TurnInspector({
  group,
  groups,
  convId,
}: {
  group: InferenceGroup;
  /** Every inference of the session, for comparing across turns. */
  groups: readonly InferenceGroup[];
  convId: string;
}): JSX.Element {
  const [mode, setMode] = useState<InspectorMode>('snapshot');
  const [phase, setPhase] = useState<TurnPhase>(() => initialPhase(group));
  const [iteration, setIteration] = useState<number | undefined>(undefined);
  const [showYaml, setShowYaml] = useState(false);
  const comparison = defaultComparison(group);
  const [diffKeys, setDiffKeys] = useState<[string, string] | undefined>(undefined);
  const [beforeKey, afterKey] = diffKeys ?? [
    comparison?.before.snapshot.key ?? group.steps[0]?.snapshot.key ?? '',
    comparison?.after.snapshot.key ?? group.steps.at(-1)?.snapshot.key ?? '',
  ];

  const tabs = phaseTabs(group);
  const steps = tabs.find((tab) => tab.phase === phase)?.steps ?? [];
  const step = steps.find((candidate) => candidate.iteration === iteration) ?? steps.at(-1);
  const snapshot = step?.snapshot;
  const previous = step ? previousSnapshot(groups, group, step) : undefined;
  const previousIds = new Set(previous?.turn.blocks.map((block) => block.id).filter(Boolean));
  const idPrefix = `inspector-${group.number}`;
  const status = group.isFinished ? 'finished' : 'in progress';

  return (
    <section className="turn-inspector" aria-labelledby={`${idPrefix}-title`}>
      <header className="inspector-header">
        <div className="inspector-title-row">
          <h3 id={`${idPrefix}-title`}>Inference {group.number}</h3>
          <span className="badge" data-state={group.isFinished ? 'finished' : 'running'}>
            {group.isFinished ? null : <span className="pulse-dot" aria-hidden="true" />}
            {status}
          </span>
          <span className="inspector-stats">
            {group.engineCalls} engine {group.engineCalls === 1 ? 'call' : 'calls'} · {group.steps.length} snapshots ·{' '}
            {formatDuration(group.lastMs - group.firstMs)}
          </span>
        </div>
        {group.prompt ? <p className="inspector-prompt">“{group.prompt}”</p> : null}
        <IdChips
          ids={[
            ['conv', convId],
            ['session', group.sessionId],
            ['inference', group.inferenceId],
            ['turn', group.turnId],
          ]}
        />
      </header>

      <TabList<InspectorMode>
        idPrefix={`${idPrefix}-mode`}
        label="Inspector view"
        className="debug-tabs-segmented"
        selected={mode}
        onSelect={setMode}
        items={[
          { id: 'snapshot', label: 'Snapshots' },
          { id: 'diff', label: 'Diff', disabled: group.steps.length === 0 },
        ]}
      />
      <div role="tabpanel" id={tabPanelId(`${idPrefix}-mode`)} aria-labelledby={tabId(`${idPrefix}-mode`, mode)}>
        {mode === 'diff' ? (
          <SnapshotDiffView
            groups={groups}
            beforeKey={beforeKey}
            afterKey={afterKey}
            onChange={(before, after) => setDiffKeys([before, after])}
          />
        ) : (
          <>
            <TabList<TurnPhase>
              idPrefix={`${idPrefix}-phase`}
              label="Snapshot phase"
              selected={phase}
              onSelect={(next) => {
                setPhase(next);
                setIteration(undefined);
              }}
              items={tabs.map((tab) => ({
                id: tab.phase,
                label: phaseLabels[tab.phase],
                count: tab.steps.length,
                disabled: tab.steps.length === 0,
              }))}
            />
            <div
              role="tabpanel"
              id={tabPanelId(`${idPrefix}-phase`)}
              aria-labelledby={tabId(`${idPrefix}-phase`, phase)}
              className="snapshot-panel"
            >
              {!snapshot ? (
                <p className="debug-empty-note">No {phaseLabels[phase].toLowerCase()} snapshot in this inference.</p>
              ) : (
                <>
                  <div className="snapshot-meta">
                    {steps.length > 1 ? (
                      <fieldset className="iteration-picker">
                        <legend className="visually-hidden">Engine call</legend>
                        <span className="iteration-label" aria-hidden="true">
                          Call
                        </span>
                        {steps.map((candidate) => (
                          <button
                            key={candidate.snapshot.key}
                            type="button"
                            aria-pressed={candidate === step}
                            onClick={() => setIteration(candidate.iteration)}
                            title={`Snapshot of engine call ${candidate.iteration}`}
                          >
                            #{candidate.iteration}
                          </button>
                        ))}
                      </fieldset>
                    ) : null}
                    <span>
                      Captured{' '}
                      <time dateTime={new Date(snapshot.createdAtMs).toISOString()}>
                        {formatPreciseClock(snapshot.createdAtMs)}
                      </time>
                    </span>
                    <span>
                      {snapshot.turn.blocks.length} {snapshot.turn.blocks.length === 1 ? 'block' : 'blocks'}
                    </span>
                    <span className="snapshot-meta-spacer" />
                    <button
                      type="button"
                      className="secondary-button compact-button"
                      aria-pressed={showYaml}
                      onClick={() => setShowYaml(!showYaml)}
                    >
                      {showYaml ? 'Show blocks' : 'Show YAML'}
                    </button>
                  </div>
                  {snapshot.error ? (
                    <p className="debug-alert" role="alert">
                      This snapshot could not be read: {snapshot.error}
                    </p>
                  ) : null}
                  {showYaml || snapshot.error ? (
                    <pre className="debug-json debug-yaml" title="Snapshot YAML">
                      {snapshot.yaml}
                    </pre>
                  ) : (
                    <>
                      <ol className="block-list" aria-label="Blocks">
                        {snapshot.turn.blocks.map((block) => (
                          <li key={`${block.index}-${block.id}`}>
                            <BlockCard
                              block={block}
                              isNew={previous !== undefined && block.id !== '' && !previousIds.has(block.id)}
                            />
                          </li>
                        ))}
                      </ol>
                      <details className="turn-store" open>
                        <summary>Turn metadata ({Object.keys(snapshot.turn.metadata).length})</summary>
                        <KeyValueList values={snapshot.turn.metadata} empty="No metadata." />
                      </details>
                      <details className="turn-store">
                        <summary>Turn data ({Object.keys(snapshot.turn.data).length})</summary>
                        <KeyValueList values={snapshot.turn.data} empty="No data." />
                      </details>
                    </>
                  )}
                </>
              )}
            </div>
          </>
        )}
      </div>
    </section>
  );
}
