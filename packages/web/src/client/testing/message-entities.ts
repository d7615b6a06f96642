import type { TimelineEntity } from '@cricket/protocol';

/** A user message entity created by frame `seq` (test fixture). */
export function userMessage(id: string, content: string, seq: number): TimelineEntity {
  return { id, kind: 'message', createdVersion: String(seq), message: { role: 'user', content } };
}

/** An assistant message entity created by frame `seq`, streaming or finished (test fixture). */
export function assistantMessage(
  id: string,
  content: string,
  seq: number,
  options: { streaming?: boolean; metadata?: Record<string, string> } = {},
): TimelineEntity {
  return {
    id,
    kind: 'message',
    createdVersion: String(seq),
    message: {
      role: 'assistant',
      content,
      streaming: options.streaming ?? false,
      ...(options.metadata ? { metadata: options.metadata } : {}),
    },
  };
}
