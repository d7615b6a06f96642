import type { TimelineEntity } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import { isInferenceRunning } from './inference-activity.js';
import { assistantMessage, userMessage } from './testing/message-entities.js';

const user = userMessage;
const assistant = (id: string, content: string, seq: number, streaming = false) =>
  assistantMessage(id, content, seq, { streaming });

describe('isInferenceRunning', () => {
  it('is false for an empty or answered conversation', () => {
    expect(isInferenceRunning([])).toBe(false);
    expect(isInferenceRunning([user('u1', 'hi', 1), assistant('a1', 'hello', 2)])).toBe(false);
  });

  it('is true while something streams or a tool runs, or the prompt waits for its answer', () => {
    expect(isInferenceRunning([user('u1', 'hi', 1)])).toBe(true);
    expect(isInferenceRunning([user('u1', 'hi', 1), assistant('a1', 'hel', 2, true)])).toBe(true);
    const tool: TimelineEntity = { id: 't', kind: 'tool_call', toolCall: { status: 'running' } };
    expect(isInferenceRunning([user('u1', 'hi', 1), tool])).toBe(true);
    const done: TimelineEntity = { id: 't', kind: 'tool_call', toolCall: { status: 'completed' } };
    expect(isInferenceRunning([user('u1', 'hi', 1), done])).toBe(true);
  });

  it('is false after an error or an interrupted tool', () => {
    const error: TimelineEntity = { id: 'e', kind: 'error', error: { message: 'boom' } };
    expect(isInferenceRunning([user('u1', 'hi', 1), error])).toBe(false);
    const interrupted: TimelineEntity = { id: 't', kind: 'tool_call', toolCall: { status: 'interrupted' } };
    expect(isInferenceRunning([user('u1', 'hi', 1), interrupted])).toBe(false);
  });
});
