import { describe, expect, it } from 'vitest';
import { readSelection, writeSelection } from './use-debug-selection.js';

describe('debug page URL', () => {
  it('round-trips the selection and leaves defaults out', () => {
    const selection = { convId: 'c 1', sessionId: 's', inferenceKey: 's/t/i', tab: 'events' as const };
    expect(readSelection(writeSelection(selection))).toEqual(selection);
    expect(writeSelection({ convId: undefined, sessionId: undefined, inferenceKey: undefined, tab: 'turns' })).toBe('');
  });

  it("accepts the reference's conv_id spelling and ignores unknown tabs", () => {
    expect(readSelection('?conv_id=abc&tab=nope')).toEqual({
      convId: 'abc',
      sessionId: undefined,
      inferenceKey: undefined,
      tab: 'turns',
    });
  });
});
