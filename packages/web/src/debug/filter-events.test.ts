import { describe, expect, it } from 'vitest';
import { createEntity, createEvent } from './debug-fixtures.js';
import {
  countInferences,
  countTypes,
  describeEvent,
  emptyEventFilter,
  entityIdsOfEvent,
  eventSeqsOfEntity,
  filterEvents,
  isFilterEmpty,
  noInference,
} from './filter-events.js';

// The event log of "what is 2+2?" answered with one tool call.
const inference = { inferenceId: 'inf-1', turnId: 'turn-1' };
const events = [
  createEvent(
    1,
    'timeline.upsert',
    'user-turn-1',
    { entity: { id: 'user-turn-1', kind: 'message' } },
    { turnId: 'turn-1' },
  ),
  createEvent(2, 'tool.start', 'call_1', { name: 'calculator', input: { expression: '2+2' } }, inference),
  createEvent(3, 'tool.result', 'call_1', { result: '{"result":4}' }, inference),
  createEvent(4, 'tool.done', 'call_1', {}, inference),
  createEvent(5, 'llm.start', 'msg-1', { role: 'assistant' }, inference),
  createEvent(6, 'llm.delta', 'msg-1', { delta: 'It is ', cumulative: 'It is ' }, inference),
  createEvent(7, 'llm.delta', 'msg-1', { delta: '4.', cumulative: 'It is 4.' }, inference),
  createEvent(8, 'llm.final', 'msg-1', { text: 'It is 4.' }, inference),
];
const entities = [
  createEntity('user-turn-1', 'message', 1, 1, { message: { role: 'user', content: 'what is 2+2?' } }),
  createEntity('call_1:result', 'tool_result', 3, 3, {
    toolResult: { toolCallId: 'call_1', resultRaw: '{"result":4}' },
  }),
  createEntity('call_1', 'tool_call', 4, 2, { toolCall: { name: 'calculator', done: true } }),
  createEntity('msg-1', 'message', 8, 5, { message: { role: 'assistant', content: 'It is 4.' } }),
];

const seqs = (list: { seq: number }[]) => list.map((event) => event.seq);

/** The item at `index`, failing the test when it is missing. */
function itemAt<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

describe('filterEvents', () => {
  it('keeps everything with the empty filter', () => {
    expect(isFilterEmpty(emptyEventFilter)).toBe(true);
    expect(filterEvents(events, emptyEventFilter)).toHaveLength(events.length);
  });

  it('filters by type, inference and text, combined', () => {
    expect(seqs(filterEvents(events, { ...emptyEventFilter, types: ['llm.delta', 'llm.final'] }))).toEqual([6, 7, 8]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, inferenceId: 'inf-1' }))).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, inferenceId: noInference }))).toEqual([1]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: 'CALCULATOR' }))).toEqual([2]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: ' 4. ' }))).toEqual([7, 8]);
    expect(seqs(filterEvents(events, { types: ['llm.delta'], inferenceId: 'inf-1', text: 'is' }))).toEqual([6, 7]);
    expect(filterEvents(events, { ...emptyEventFilter, inferenceId: 'other' })).toEqual([]);
  });

  it('searches ids and seqs too', () => {
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: 'turn-1' }))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: 'msg-1' }))).toEqual([5, 6, 7, 8]);
    // Payload strings are searched as they read, not JSON-escaped.
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: '"result":4' }))).toEqual([3]);
    expect(seqs(filterEvents(events, { ...emptyEventFilter, text: 'expression' }))).toEqual([2]);
  });
});

describe('facets', () => {
  it('counts types by frequency and inferences by first appearance', () => {
    expect(countTypes(events).slice(0, 2)).toEqual([
      { value: 'llm.delta', count: 2 },
      { value: 'llm.final', count: 1 },
    ]);
    expect(countInferences(events)).toEqual([
      { value: noInference, count: 1 },
      { value: 'inf-1', count: 7 },
    ]);
  });
});

describe('entity ↔ event correlation', () => {
  it('finds the events that produced each entity', () => {
    expect(entities.map((entity) => [...eventSeqsOfEntity(entity, events)])).toEqual([
      [1],
      [3],
      [2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });

  it('finds the entities an event contributed to', () => {
    expect([...entityIdsOfEvent(itemAt(events, 2), entities)].sort()).toEqual(['call_1', 'call_1:result']);
    expect([...entityIdsOfEvent(itemAt(events, 6), entities)]).toEqual(['msg-1']);
  });

  it('ignores events after the entity was last written', () => {
    const late = createEvent(20, 'llm.delta', 'msg-1', { delta: 'late' });
    expect(eventSeqsOfEntity(itemAt(entities, 3), [late]).size).toBe(0);
  });
});

describe('describeEvent', () => {
  it('summarises common frames', () => {
    expect(events.map(describeEvent)).toEqual([
      'message user-turn-1',
      'calculator({"expression":"2+2"})',
      '{"result":4}',
      'done',
      'assistant started',
      'It is ',
      '4.',
      'It is 4.',
    ]);
  });

  it('says when a frame is malformed', () => {
    const broken = { ...createEvent(9, 'llm.delta', 'x'), envelope: undefined, frameError: 'expected object' };
    expect(describeEvent(broken)).toBe('malformed frame: expected object');
  });
});
