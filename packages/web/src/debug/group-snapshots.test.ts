import { describe, expect, it } from 'vitest';
import { createBlock, createRecord, createTurn } from './debug-fixtures.js';
import { defaultComparison, groupSnapshotsByInference, phaseTabs } from './group-snapshots.js';
import { readSnapshots } from './turn-snapshot.js';

const user = (id: string, text: string) => createBlock({ id, kind: 'user', role: 'user', payload: { text } });
const call = createBlock({ id: 'call_1', kind: 'tool_call', payload: { id: 'call_1', name: 'calc', args: {} } });
const answer = (id: string) => createBlock({ id, kind: 'llm_text', role: 'assistant', payload: { text: 'done' } });

/** The snapshots a two-call tool loop records for one prompt, oldest first. */
function toolLoopRecords(turnId: string, inferenceId: string, prompt: string, startMs: number) {
  const prefix = [user(`${turnId}-u`, prompt)];
  const turn = (blocks = prefix) => createTurn(blocks, { id: turnId });
  const fields = (offset: number) => ({ createdAtMs: startMs + offset, inferenceId });
  return [
    createRecord('pre_inference', turn(), fields(0)),
    createRecord('post_inference', turn([...prefix, call]), fields(1)),
    createRecord('post_tools', turn([...prefix, call]), fields(2)),
    createRecord('pre_inference', turn([...prefix, call]), fields(2)),
    createRecord('post_inference', turn([...prefix, call, answer(`${turnId}-a`)]), fields(3)),
    createRecord('final', turn([...prefix, call, answer(`${turnId}-a`)]), fields(3)),
  ];
}

/** Records as the API returns them: newest first. */
function newestFirst<T>(records: T[]): T[] {
  return [...records].reverse();
}

describe('groupSnapshotsByInference', () => {
  it('groups the snapshots of each inference and numbers repeated phases', () => {
    const records = [...toolLoopRecords('t1', 'i1', 'first', 1000), ...toolLoopRecords('t2', 'i2', 'second', 2000)];
    const groups = groupSnapshotsByInference(readSnapshots(newestFirst(records)));
    expect(groups.map((group) => [group.number, group.turnId, group.inferenceId, group.prompt])).toEqual([
      [1, 't1', 'i1', 'first'],
      [2, 't2', 'i2', 'second'],
    ]);
    const [first] = groups;
    expect(first?.steps.map((step) => step.label)).toEqual([
      'Pre-inference #1',
      'Post-inference #1',
      'Post-tools',
      'Pre-inference #2',
      'Post-inference #2',
      'Final',
    ]);
    expect(first?.engineCalls).toBe(2);
    expect(first?.isFinished).toBe(true);
    expect(first?.firstMs).toBe(1000);
    expect(first?.lastMs).toBe(1003);
    expect((first ? phaseTabs(first) : []).map((tab) => [tab.phase, tab.steps.length])).toEqual([
      ['pre_inference', 2],
      ['post_inference', 2],
      ['post_tools', 1],
      ['final', 1],
    ]);
  });

  it('keeps recording order when timestamps tie', () => {
    const groups = groupSnapshotsByInference(readSnapshots(newestFirst(toolLoopRecords('t', 'i', 'p', 0))));
    // post_tools and the second pre_inference share a millisecond; the store's order decides.
    expect(groups[0]?.steps.map((step) => step.snapshot.phase)).toEqual([
      'pre_inference',
      'post_inference',
      'post_tools',
      'pre_inference',
      'post_inference',
      'final',
    ]);
  });

  it('separates two inferences on the same turn id', () => {
    const turn = createTurn([user('u', 'x')], { id: 't' });
    const records = [
      createRecord('pre_inference', turn, { createdAtMs: 1, inferenceId: 'a' }),
      createRecord('final', turn, { createdAtMs: 2, inferenceId: 'a' }),
      createRecord('pre_inference', turn, { createdAtMs: 3, inferenceId: 'b' }),
      createRecord('final', turn, { createdAtMs: 4, inferenceId: 'b' }),
    ];
    const groups = groupSnapshotsByInference(readSnapshots(newestFirst(records)));
    expect(groups.map((group) => [group.inferenceId, group.steps.length])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('joins snapshots without an inference id to their turn, adopting the id seen later', () => {
    const turn = createTurn([user('u', 'x')], { id: 't' });
    const records = [
      createRecord('pre_inference', turn, { createdAtMs: 1 }),
      createRecord('post_inference', turn, { createdAtMs: 2, inferenceId: 'late' }),
      createRecord('final', turn, { createdAtMs: 3 }),
    ];
    const groups = groupSnapshotsByInference(readSnapshots(newestFirst(records)));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.inferenceId).toBe('late');
    expect(groups[0]?.key).toBe('session-1/t/late');
    expect(groups[0]?.steps).toHaveLength(3);
  });

  it('keeps unknown phases and unreadable snapshots visible', () => {
    const turn = createTurn([user('u', 'x')], { id: 't' });
    const broken = { ...createRecord('final', turn, { createdAtMs: 2, inferenceId: 'i' }), payload: 'blocks: [' };
    const records = [createRecord('draft', turn, { createdAtMs: 1, inferenceId: 'i' }), broken];
    const snapshots = readSnapshots(newestFirst(records));
    expect(snapshots[1]?.error).toMatch(/Flow sequence .*end with a \]/);
    const groups = groupSnapshotsByInference(snapshots);
    // The broken snapshot has no readable inference id, so it joins the turn's latest group.
    expect(groups).toHaveLength(1);
    expect(groups[0]?.steps.map((step) => step.label)).toEqual(['draft', 'Final']);
    expect(groups[0]?.phases.final).toHaveLength(1);
  });
});

describe('defaultComparison', () => {
  it('compares the first pre-inference snapshot with the final one', () => {
    const [group] = groupSnapshotsByInference(readSnapshots(newestFirst(toolLoopRecords('t', 'i', 'p', 0))));
    const comparison = group ? defaultComparison(group) : undefined;
    expect(comparison?.before.label).toBe('Pre-inference #1');
    expect(comparison?.after.label).toBe('Final');
  });

  it('falls back to first and latest, and needs two snapshots', () => {
    const turn = createTurn([user('u', 'x')], { id: 't' });
    const one = groupSnapshotsByInference(readSnapshots([createRecord('post_inference', turn, { createdAtMs: 1 })]));
    expect(one[0] ? defaultComparison(one[0]) : 'none').toBeUndefined();
    const two = groupSnapshotsByInference(
      readSnapshots(
        newestFirst([
          createRecord('post_inference', turn, { createdAtMs: 1 }),
          createRecord('post_tools', turn, { createdAtMs: 2 }),
        ]),
      ),
    );
    const comparison = two[0] ? defaultComparison(two[0]) : undefined;
    expect([comparison?.before.label, comparison?.after.label]).toEqual(['Post-inference', 'Post-tools']);
  });
});
