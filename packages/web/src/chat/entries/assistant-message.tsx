import { readInt64, type TimelineEntity } from '@cricket/protocol';
import type { JSX } from 'react';
import { MarkdownView } from '../../markdown/markdown-view.js';
import { CopyButton } from '../../shared/copy-button.js';
import { formatClock, formatCount } from '../../shared/format.js';
import { Icon } from '../../shared/icon.js';

/** Stop reasons that need no mention: the answer simply ended (after `error`, an error entry explains). */
const ordinaryStops = new Set(['stop', 'end_turn', 'completed', 'tool_calls', 'tool_use', 'STOP', 'eos', 'error']);

/**
 * An answer: streamed markdown with a caret while it grows, then a footer with the model, token
 * usage, an unusual stop reason (length limit, interrupted) and a copy button.
 */
export function AssistantMessage({ entity }: { entity: TimelineEntity }): JSX.Element {
  const message = entity.message ?? {};
  const text = message.content ?? '';
  const streaming = message.streaming === true;
  const metadata = message.metadata ?? {};
  const role = message.role && message.role !== 'assistant' ? message.role : undefined;
  const interrupted = metadata.interrupted === 'true' || metadata.stopReason === 'interrupted';
  const stopReason = metadata.stopReason && !ordinaryStops.has(metadata.stopReason) ? metadata.stopReason : undefined;
  const inputTokens = readInt64(metadata.inputTokens);
  const outputTokens = readInt64(metadata.outputTokens);
  const createdAtMs = readInt64(entity.createdAtMs);

  return (
    <article
      className="entry entry-assistant"
      data-streaming={streaming ? 'true' : 'false'}
      aria-label={role ? `${role} message` : 'Answer'}
      aria-busy={streaming}
    >
      <div className="avatar" aria-hidden="true">
        <Icon name="spark" size={16} />
      </div>
      <div className="entry-main">
        {role ? <div className="entry-role">{role}</div> : null}
        {text === '' && streaming ? (
          <div className="typing" role="status" aria-label="Writing">
            <span />
            <span />
            <span />
          </div>
        ) : (
          <MarkdownView text={text} streaming={streaming} />
        )}
        {!streaming ? (
          <div className="message-footer">
            {interrupted ? <span className="badge badge-warning">Stopped</span> : null}
            {stopReason && !interrupted ? <span className="badge badge-warning">{stopReason}</span> : null}
            {metadata.model ? <span className="meta-item">{metadata.model}</span> : null}
            {inputTokens || outputTokens ? (
              <span className="meta-item" title={`${inputTokens} input tokens, ${outputTokens} output tokens`}>
                {formatCount(inputTokens)} in · {formatCount(outputTokens)} out
              </span>
            ) : null}
            {createdAtMs ? <span className="meta-item">{formatClock(createdAtMs)}</span> : null}
            {text ? <CopyButton text={text} label="Copy" className="footer-copy" /> : null}
          </div>
        ) : null}
      </div>
    </article>
  );
}
