import { describe, expect, it } from 'vitest';
import { createBlock, createTurn } from './debug-fixtures.js';
import { diffKeys, diffSnapshots, isDeepEqual } from './diff-snapshots.js';

const system = createBlock({ id: 's', kind: 'system', role: 'system', payload: { text: 'Be brief.' } });
const user = createBlock({ id: 'u', kind: 'user', role: 'user', payload: { text: 'what is 2+2?' } });
const call = createBlock({
  id: 'call_1',
  kind: 'tool_call',
  payload: { id: 'call_1', name: 'calc', args: { x: '2+2' } },
});
const result = createBlock({ id: 'r', kind: 'tool_use', payload: { id: 'call_1', result: '4', error: '' } });
const answer = createBlock({ id: 'a', kind: 'llm_text', role: 'assistant', payload: { text: 'It is 4.' } });

describe('diffSnapshots', () => {
  it('reports the blocks an inference added, in order, with the rest unchanged', () => {
    const diff = diffSnapshots(createTurn([system, user]), createTurn([system, user, call, result, answer]));
    expect(diff.rows.map((row) => [row.status, row.after?.kind])).toEqual([
      ['unchanged', 'system'],
      ['unchanged', 'user'],
      ['added', 'tool_call'],
      ['added', 'tool_use'],
      ['added', 'llm_text'],
    ]);
    expect(diff.summary).toEqual({ added: 3, removed: 0, changed: 0, moved: 0, unchanged: 2 });
    expect(diff.isEmpty).toBe(false);
  });

  it('is empty for identical snapshots', () => {
    const diff = diffSnapshots(createTurn([system, user]), createTurn([system, user]));
    expect(diff.isEmpty).toBe(true);
    expect(diff.summary.unchanged).toBe(2);
  });

  it('places removed blocks where they were', () => {
    const diff = diffSnapshots(createTurn([system, user, answer]), createTurn([user, answer]));
    expect(diff.rows.map((row) => [row.status, (row.before ?? row.after)?.id])).toEqual([
      ['removed', 's'],
      ['unchanged', 'u'],
      ['unchanged', 'a'],
    ]);
    const middle = diffSnapshots(createTurn([system, user, answer]), createTurn([system, answer]));
    expect(middle.rows.map((row) => [row.status, (row.before ?? row.after)?.id])).toEqual([
      ['unchanged', 's'],
      ['removed', 'u'],
      ['unchanged', 'a'],
    ]);
  });

  it('reports changed payload, role and metadata keys of a block with the same id', () => {
    const edited = { ...answer, role: 'model', payload: { text: 'It is four.' }, metadata: { 'x@v1': 1 } };
    const diff = diffSnapshots(createTurn([answer]), createTurn([edited]));
    const [row] = diff.rows;
    expect(row?.status).toBe('changed');
    expect(row?.aspects).toEqual(['role', 'payload', 'metadata']);
    expect(row?.payloadChanges).toEqual([{ key: 'text', status: 'changed', before: 'It is 4.', after: 'It is four.' }]);
    expect(row?.metadataChanges).toEqual([{ key: 'x@v1', status: 'added', after: 1 }]);
  });

  it('marks only blocks that changed their relative order as moved', () => {
    // The system block moves to the end; user and answer keep their relative order.
    const diff = diffSnapshots(createTurn([system, user, answer]), createTurn([user, answer, system]));
    expect(diff.rows.map((row) => [row.status, row.after?.id])).toEqual([
      ['unchanged', 'u'],
      ['unchanged', 'a'],
      ['moved', 's'],
    ]);
    expect(diff.rows[2]?.aspects).toEqual(['position']);
  });

  it('does not call blocks moved when an insertion shifted them', () => {
    const diff = diffSnapshots(createTurn([user, answer]), createTurn([system, user, answer]));
    expect(diff.summary).toEqual({ added: 1, removed: 0, changed: 0, moved: 0, unchanged: 2 });
  });

  it('matches blocks without ids by kind and payload', () => {
    const anonymous = (text: string) => createBlock({ kind: 'user', role: 'user', payload: { text } });
    const diff = diffSnapshots(
      createTurn([anonymous('a'), anonymous('b')]),
      createTurn([anonymous('b'), anonymous('c')]),
    );
    expect(diff.rows.map((row) => [row.status, String((row.before ?? row.after)?.payload.text)])).toEqual([
      ['removed', 'a'],
      ['unchanged', 'b'],
      ['added', 'c'],
    ]);
  });

  it('never pairs two blocks whose ids differ, even with equal payloads', () => {
    const twin = { ...user, id: 'u2' };
    const diff = diffSnapshots(createTurn([user]), createTurn([twin]));
    expect(diff.summary).toMatchObject({ added: 1, removed: 1, unchanged: 0 });
  });

  it('compares turn metadata and data key by key', () => {
    const before = createTurn([], { metadata: { a: 1, b: { x: 1 } }, data: { keep: true } });
    const after = createTurn([], { metadata: { b: { x: 2 }, c: 'new' }, data: { keep: true } });
    const diff = diffSnapshots(before, after);
    expect(diff.metadata).toEqual([
      { key: 'a', status: 'removed', before: 1 },
      { key: 'b', status: 'changed', before: { x: 1 }, after: { x: 2 } },
      { key: 'c', status: 'added', after: 'new' },
    ]);
    expect(diff.data).toEqual([]);
    expect(diff.isEmpty).toBe(false);
  });

  it('handles duplicate ids by pairing them in order', () => {
    const first = { ...answer, payload: { text: 'one' } };
    const second = { ...answer, payload: { text: 'two' } };
    const diff = diffSnapshots(createTurn([first, second]), createTurn([first, second]));
    expect(diff.isEmpty).toBe(true);
  });
});

describe('diffKeys and isDeepEqual', () => {
  it('ignores key order and compares arrays by position', () => {
    expect(isDeepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(isDeepEqual([1, 2], [2, 1])).toBe(false);
    expect(isDeepEqual({ a: undefined }, {})).toBe(false);
    expect(isDeepEqual(null, {})).toBe(false);
    expect(isDeepEqual([], {})).toBe(false);
    expect(isDeepEqual(Number.NaN, Number.NaN)).toBe(true);
  });

  it('lists keys sorted', () => {
    expect(diffKeys({ z: 1, a: 1 }, { z: 2, m: 1 }).map((change) => `${change.status}:${change.key}`)).toEqual([
      'removed:a',
      'added:m',
      'changed:z',
    ]);
  });
});
