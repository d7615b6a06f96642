import type { TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { CopyButton } from '../../shared/copy-button.js';
import { formatJson } from './json-view.js';
import { ValueView } from './value-view.js';

/** What a tool returned: its error, or its raw output (pretty-printed when it is JSON). */
export function ToolResultBody({ result }: { result: TimelineEntity }): JSX.Element {
  const snapshot = result.toolResult ?? {};
  if (snapshot.error) {
    return (
      <div className="tool-section">
        <div className="tool-section-label">Error</div>
        <p className="tool-error">{snapshot.error}</p>
      </div>
    );
  }
  const raw = snapshot.resultRaw ?? (snapshot.result ? JSON.stringify(snapshot.result) : '');
  return (
    <div className="tool-section">
      <div className="tool-section-label">
        Result{snapshot.customKind ? <span className="badge">{snapshot.customKind}</span> : null}
        <CopyButton text={() => formatJson(raw)} label="Copy" />
      </div>
      <ValueView value={raw} label="Tool result" />
    </div>
  );
}
