import { describe, expect, it } from 'vitest';
import { CliFailure } from '../cli-support.js';
import type { EntityRow } from './entity-row.js';
import { type EntitySelection, parseEntityOrder, selectEntityRows } from './select-entities.js';

function row(
  entity_id: string,
  version: number | null,
  created_at_ms: number,
  updated_at_ms: number,
  kind = 'message',
) {
  return { conv_id: 'c', entity_id, kind, created_at_ms, updated_at_ms, version, entity_json: '{}' } as EntityRow;
}

/** In the sources' order: (version, entity_id) ascending. */
const rows: EntityRow[] = [
  row('b', 1, 30, 30),
  row('a', 2, 10, 50, 'tool_call'),
  row('c', 2, 20, 40),
  row('d', 5, 20, 60, 'status'),
];

const all: EntitySelection = {
  createdAfterMs: 0,
  createdBeforeMs: 0,
  updatedAfterMs: 0,
  updatedBeforeMs: 0,
  order: 'version',
  limit: 0,
};

const ids = (selected: EntityRow[]) => selected.map((entry) => entry.entity_id);

describe('selectEntityRows', () => {
  it('filters by kind, entity id and inclusive time bounds (0 = unset)', () => {
    expect(ids(selectEntityRows(rows, all))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(selectEntityRows(rows, { ...all, kind: 'message' }))).toEqual(['b', 'c']);
    expect(ids(selectEntityRows(rows, { ...all, entityId: 'c' }))).toEqual(['c']);
    expect(ids(selectEntityRows(rows, { ...all, createdAfterMs: 20 }))).toEqual(['b', 'c', 'd']);
    expect(ids(selectEntityRows(rows, { ...all, createdBeforeMs: 20 }))).toEqual(['a', 'c', 'd']);
    expect(ids(selectEntityRows(rows, { ...all, updatedAfterMs: 40, updatedBeforeMs: 50 }))).toEqual(['a', 'c']);
  });

  it('orders by version, created or updated, either way, with ties by entity_id ascending', () => {
    expect(ids(selectEntityRows(rows, { ...all, order: '-version' }))).toEqual(['d', 'a', 'c', 'b']);
    expect(ids(selectEntityRows(rows, { ...all, order: 'created' }))).toEqual(['a', 'c', 'd', 'b']);
    expect(ids(selectEntityRows(rows, { ...all, order: '-created' }))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(selectEntityRows(rows, { ...all, order: '-updated' }))).toEqual(['d', 'a', 'c', 'b']);
    expect(ids(selectEntityRows([...rows].reverse(), all))).toEqual(['b', 'a', 'c', 'd']);
  });

  it('cuts to the limit after filtering and ordering', () => {
    expect(ids(selectEntityRows(rows, { ...all, order: '-updated', limit: 2 }))).toEqual(['d', 'a']);
    expect(ids(selectEntityRows(rows, { ...all, kind: 'message', limit: 1 }))).toEqual(['b']);
  });

  it('keeps the source order for version without versions, and refuses -version', () => {
    const unknown = rows.map((entry) => ({ ...entry, version: null }));
    expect(ids(selectEntityRows(unknown, all))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(selectEntityRows(unknown, { ...all, order: 'created' }))).toEqual(['a', 'c', 'd', 'b']);
    expect(() => selectEntityRows(unknown, { ...all, order: '-version' })).toThrow(CliFailure);
    expect(() => selectEntityRows(unknown, { ...all, order: '-version' })).toThrow(/--order -version/);
  });

  it('does not change the rows it is given', () => {
    const copy = rows.map((entry) => ({ ...entry }));
    selectEntityRows(copy, { ...all, order: '-created' });
    expect(ids(copy)).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('parseEntityOrder', () => {
  it('accepts the three keys with an optional "-" and rejects anything else', () => {
    for (const order of ['version', '-version', 'created', '-created', 'updated', '-updated'])
      expect(parseEntityOrder(order)).toBe(order);
    for (const order of ['size', '--version', '+created', ''])
      expect(() => parseEntityOrder(order)).toThrow(/expected/);
  });
});
