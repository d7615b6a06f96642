import { type JSX, useState } from 'react';
import { IdChip } from './id-chip.js';
import { inlineValue, JsonBlock, KeyValueList } from './json-view.js';
import { isBlockKind, middlewareKey, type SnapshotBlock } from './turn-snapshot.js';

/** Characters of text shown before "Show all". */
const clampAt = 900;

/** Payload keys each kind's body already shows; other keys are listed as extra fields. */
const shownKeys: Record<string, string[]> = {
  tool_call: ['id', 'name', 'args'],
  tool_use: ['id', 'result', 'error'],
  reasoning: ['text', 'encrypted_content'],
};

/** The kind of a block as a coloured badge (unknown kinds styled like `other`). */
export function KindBadge({ kind }: { kind: string }): JSX.Element {
  return (
    <span className="kind-badge" data-kind={isBlockKind(kind) ? kind : 'other'}>
      {kind}
    </span>
  );
}

/** Text that can be long: clamped, with a button to show all of it. */
export function LongText({ text }: { text: string }): JSX.Element {
  const [isOpen, setOpen] = useState(false);
  if (text === '') return <p className="debug-empty-note">(empty)</p>;
  const isLong = text.length > clampAt;
  return (
    <div className="block-text">
      <p>{isLong && !isOpen ? `${text.slice(0, clampAt)}…` : text}</p>
      {isLong ? (
        <button type="button" className="link-button" onClick={() => setOpen(!isOpen)} aria-expanded={isOpen}>
          {isOpen ? 'Show less' : `Show all ${text.length.toLocaleString()} characters`}
        </button>
      ) : null}
    </div>
  );
}

/** The payload of a block, presented for its kind. */
export function BlockBody({ block }: { block: SnapshotBlock }): JSX.Element {
  const { payload } = block;
  const known = shownKeys[block.kind] ?? ['text'];
  const extra = Object.fromEntries(Object.entries(payload).filter(([key]) => !known.includes(key)));
  return (
    <div className="block-body">
      {block.kind === 'tool_call' ? (
        <>
          <div className="block-tool-line">
            <span className="tool-name">{inlineValue(payload.name ?? '(unnamed tool)')}</span>
            {typeof payload.id === 'string' && payload.id !== block.id ? (
              <IdChip label="call" value={payload.id} />
            ) : null}
          </div>
          <div className="block-section-label">Arguments</div>
          <JsonBlock value={payload.args ?? {}} label="Tool arguments" />
        </>
      ) : block.kind === 'tool_use' ? (
        <>
          <div className="block-tool-line">
            <span>Result for</span>
            {typeof payload.id === 'string' ? <IdChip label="call" value={payload.id} /> : null}
          </div>
          {typeof payload.error === 'string' && payload.error !== '' ? (
            <p className="block-error" role="note">
              {payload.error}
            </p>
          ) : null}
          {payload.result !== undefined && payload.result !== null ? (
            <JsonBlock value={payload.result} label="Tool result" />
          ) : null}
        </>
      ) : block.kind === 'reasoning' ? (
        <>
          {typeof payload.text === 'string' ? <LongText text={payload.text} /> : null}
          {typeof payload.encrypted_content === 'string' ? (
            <p className="debug-empty-note">
              Encrypted reasoning · {payload.encrypted_content.length.toLocaleString()} characters
            </p>
          ) : null}
        </>
      ) : (
        <LongText text={typeof payload.text === 'string' ? payload.text : ''} />
      )}
      {Object.keys(extra).length > 0 ? (
        <details className="block-details">
          <summary>Other payload fields ({Object.keys(extra).length})</summary>
          <KeyValueList values={extra} />
        </details>
      ) : null}
    </div>
  );
}

/**
 * One block of a snapshot: index, kind, role, id, provenance, payload and metadata; `isNew` marks a
 * block the previous snapshot did not have.
 */
export function BlockCard({ block, isNew = false }: { block: SnapshotBlock; isNew?: boolean }): JSX.Element {
  const metadataCount = Object.keys(block.metadata).length;
  const middleware = block.metadata[middlewareKey];
  return (
    <article
      className="block-card"
      data-kind={isBlockKind(block.kind) ? block.kind : 'other'}
      aria-label={`Block ${block.index}: ${block.kind}`}
    >
      <header className="block-header">
        <span className="block-index">#{block.index}</span>
        <KindBadge kind={block.kind} />
        {block.role && block.role !== block.kind ? <span className="block-role">{block.role}</span> : null}
        {typeof middleware === 'string' ? <span className="block-via">via {middleware}</span> : null}
        {isNew ? (
          <span className="block-new" title="Not in the previous snapshot">
            new
          </span>
        ) : null}
        <span className="block-header-spacer" />
        {block.id ? <IdChip label="block" value={block.id} /> : <span className="block-no-id">no id</span>}
      </header>
      <BlockBody block={block} />
      {metadataCount > 0 ? (
        <details className="block-details">
          <summary>Metadata ({metadataCount})</summary>
          <KeyValueList values={block.metadata} />
        </details>
      ) : null}
    </article>
  );
}
