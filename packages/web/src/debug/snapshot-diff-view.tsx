import { type JSX, useId, useMemo, useState } from 'react';
import { BlockBody, KindBadge } from './block-card.js';
import { type BlockDiffRow, type BlockDiffStatus, diffSnapshots, type KeyChange } from './diff-snapshots.js';
import type { InferenceGroup, InferenceStep } from './group-snapshots.js';
import { shortId } from './id-chip.js';
import { inlineValue, JsonBlock } from './json-view.js';
import { blockText } from './turn-snapshot.js';

const statusSymbols: Record<BlockDiffStatus, string> = {
  added: '+',
  removed: '−',
  changed: '~',
  moved: '↕',
  unchanged: '=',
};

const statusOrder: BlockDiffStatus[] = ['added', 'removed', 'changed', 'moved', 'unchanged'];

/** Every snapshot of the listed inferences, by key. */
export function stepsByKey(
  groups: readonly InferenceGroup[],
): Map<string, { group: InferenceGroup; step: InferenceStep }> {
  const map = new Map<string, { group: InferenceGroup; step: InferenceStep }>();
  for (const group of groups) for (const step of group.steps) map.set(step.snapshot.key, { group, step });
  return map;
}

function SnapshotSelect({
  label,
  groups,
  value,
  onChange,
}: {
  label: string;
  groups: readonly InferenceGroup[];
  value: string;
  onChange(key: string): void;
}): JSX.Element {
  const id = useId();
  return (
    <div className="diff-select">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {groups.map((group) => (
          <optgroup
            key={group.key}
            label={`Inference ${group.number}${group.prompt ? ` · ${truncate(group.prompt, 40)}` : ''}`}
          >
            {group.steps.map((step) => (
              <option key={step.snapshot.key} value={step.snapshot.key}>
                {`Inference ${group.number} — ${step.label} · ${plural(step.snapshot.turn.blocks.length, 'block')}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

function ChangeValue({ value, present }: { value: unknown; present: boolean }): JSX.Element {
  if (!present) return <span className="debug-empty-note">—</span>;
  const text = inlineValue(value);
  if ((typeof value === 'object' && value !== null) || text.length > 80 || text.includes('\n'))
    return <JsonBlock value={value} />;
  return <code>{text}</code>;
}

/** Key-by-key changes of a JSON object (payload, metadata, turn data). */
export function ChangeTable({ changes, caption }: { changes: KeyChange[]; caption: string }): JSX.Element {
  return (
    <table className="change-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.key} data-status={change.status}>
            <th scope="row">
              <span className="change-status">{change.status}</span>
              <code>{change.key}</code>
            </th>
            <td>
              <ChangeValue value={change.before} present={change.status !== 'added'} />
            </td>
            <td>
              <ChangeValue value={change.after} present={change.status !== 'removed'} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DiffRow({ row }: { row: BlockDiffRow }): JSX.Element | null {
  const block = row.after ?? row.before;
  if (!block) return null;
  const position =
    row.before && row.after && row.before.index !== row.after.index
      ? `#${row.before.index} → #${row.after.index}`
      : `#${block.index}`;
  const preview = truncate(blockText(block), 110);
  return (
    <li>
      <details className="diff-row" data-status={row.status}>
        <summary>
          <span className="diff-symbol" aria-hidden="true">
            {statusSymbols[row.status]}
          </span>
          <span className="diff-status">{row.status}</span>
          <span className="block-index">{position}</span>
          <KindBadge kind={block.kind} />
          <span className="diff-preview">{preview || <em>{block.id ? shortId(block.id) : 'no text'}</em>}</span>
          {row.aspects.map((aspect) => (
            <span key={aspect} className="diff-aspect">
              {aspect}
            </span>
          ))}
        </summary>
        <div className="diff-row-detail">
          {row.status === 'changed' ? (
            <>
              {row.payloadChanges.length > 0 ? (
                <ChangeTable changes={row.payloadChanges} caption="Payload changes" />
              ) : null}
              {row.metadataChanges.length > 0 ? (
                <ChangeTable changes={row.metadataChanges} caption="Metadata changes" />
              ) : null}
              {row.aspects.includes('role') || row.aspects.includes('kind') ? (
                <p className="debug-empty-note">
                  {row.before?.kind}/{row.before?.role || 'no role'} → {row.after?.kind}/{row.after?.role || 'no role'}
                </p>
              ) : null}
            </>
          ) : (
            <BlockBody block={block} />
          )}
          {block.id ? <p className="debug-empty-note">Block id {block.id}</p> : null}
        </div>
      </details>
    </li>
  );
}

/**
 * Compares two snapshots (of one inference, or of two) block by block, with the turn metadata and
 * data changes below.
 */
export function SnapshotDiffView({
  groups,
  beforeKey,
  afterKey,
  onChange,
}: {
  groups: readonly InferenceGroup[];
  beforeKey: string;
  afterKey: string;
  onChange(beforeKey: string, afterKey: string): void;
}): JSX.Element {
  const [hideUnchanged, setHideUnchanged] = useState(false);
  const byKey = useMemo(() => stepsByKey(groups), [groups]);
  const before = byKey.get(beforeKey);
  const after = byKey.get(afterKey);
  const diff = useMemo(
    () => (before && after ? diffSnapshots(before.step.snapshot.turn, after.step.snapshot.turn) : undefined),
    [before, after],
  );
  const hideId = useId();
  const rows = diff?.rows.filter((row) => !hideUnchanged || row.status !== 'unchanged') ?? [];
  return (
    <section className="diff-view" aria-label="Snapshot diff">
      <div className="diff-controls">
        <SnapshotSelect label="From" groups={groups} value={beforeKey} onChange={(key) => onChange(key, afterKey)} />
        <button
          type="button"
          className="icon-button diff-swap"
          onClick={() => onChange(afterKey, beforeKey)}
          aria-label="Swap the two snapshots"
          title="Swap"
        >
          <svg className="icon" width={16} height={16} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
              d="M7 7h12l-3-3M17 17H5l3 3"
              fill="none"
              stroke="currentColor"
              strokeWidth={2}
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <SnapshotSelect label="To" groups={groups} value={afterKey} onChange={(key) => onChange(beforeKey, key)} />
      </div>
      {!before || !after || !diff ? (
        <p className="debug-empty-note">Pick two snapshots to compare.</p>
      ) : (
        <>
          <div className="diff-summary">
            {statusOrder.map((status) =>
              diff.summary[status] > 0 ? (
                <span key={status} className="diff-count" data-status={status}>
                  {statusSymbols[status]} {diff.summary[status]} {status}
                </span>
              ) : null,
            )}
            {diff.metadata.length > 0 ? (
              <span className="diff-count" data-status="changed">
                {diff.metadata.length} metadata {diff.metadata.length === 1 ? 'key' : 'keys'}
              </span>
            ) : null}
            <span className="diff-summary-spacer" />
            <label className="debug-check" htmlFor={hideId}>
              <input
                id={hideId}
                type="checkbox"
                checked={hideUnchanged}
                onChange={(event) => setHideUnchanged(event.target.checked)}
              />
              Hide unchanged
            </label>
          </div>
          {before.step.snapshot.key === after.step.snapshot.key ? (
            <p className="debug-empty-note">Both sides are the same snapshot.</p>
          ) : diff.isEmpty ? (
            <p className="debug-empty-note">The two snapshots are identical.</p>
          ) : null}
          <ol className="diff-rows" aria-label="Blocks">
            {rows.map((row) => (
              <DiffRow key={`${row.before?.index ?? '-'}:${row.after?.index ?? '-'}`} row={row} />
            ))}
          </ol>
          <h4 className="debug-subheading">Turn metadata</h4>
          {diff.metadata.length > 0 ? (
            <ChangeTable changes={diff.metadata} caption="Turn metadata changes" />
          ) : (
            <p className="debug-empty-note">No metadata changes.</p>
          )}
          <h4 className="debug-subheading">Turn data</h4>
          {diff.data.length > 0 ? (
            <ChangeTable changes={diff.data} caption="Turn data changes" />
          ) : (
            <p className="debug-empty-note">No data changes.</p>
          )}
        </>
      )}
    </section>
  );
}
