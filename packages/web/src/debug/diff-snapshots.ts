import type { SnapshotBlock, SnapshotTurn } from './turn-snapshot.js';

/** How a block differs between two snapshots. */
export type BlockDiffStatus = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';

/** What differs in a block present on both sides. */
export type BlockAspect = 'kind' | 'role' | 'payload' | 'metadata' | 'position';

/** A key of a JSON object that was added, removed or changed. */
export interface KeyChange {
  key: string;
  status: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** One row of a snapshot diff; `before` and/or `after` are set depending on `status`. */
export interface BlockDiffRow {
  status: BlockDiffStatus;
  before?: SnapshotBlock;
  after?: SnapshotBlock;
  /** For blocks on both sides: what differs (`position` = moved relative to the other matched blocks). */
  aspects: BlockAspect[];
  /** Payload keys that differ, for blocks on both sides. */
  payloadChanges: KeyChange[];
  /** Metadata keys that differ, for blocks on both sides. */
  metadataChanges: KeyChange[];
}

/** Counts per status. */
export type DiffSummary = Record<BlockDiffStatus, number>;

/** The difference between two snapshots of a turn (or of two turns). */
export interface SnapshotDiff {
  rows: BlockDiffRow[];
  summary: DiffSummary;
  /** Turn metadata keys that differ. */
  metadata: KeyChange[];
  /** Turn data keys that differ. */
  data: KeyChange[];
  /** Nothing differs at all. */
  isEmpty: boolean;
}

/**
 * Compares two snapshots block by block. Blocks are matched by id first; blocks without an id (or
 * whose id has no partner) match the first unmatched block on the other side with the same kind and
 * the same payload. Matched blocks are `changed` when kind, role, payload or metadata differ, and
 * `moved` when only their order relative to the other matched blocks changed: a block that merely
 * shifted because others were inserted before it is `unchanged`. Rows follow the `after` order, each
 * removed block placed where it was. Turn metadata and data are compared key by key.
 */
export function diffSnapshots(before: SnapshotTurn, after: SnapshotTurn): SnapshotDiff {
  const pairs = matchBlocks(before.blocks, after.blocks);
  const stable = stableIndices(pairs);
  const matchedBefore = new Set<number>();
  const partnerOfAfter = new Map<number, number>();
  pairs.forEach(([beforeIndex, afterIndex]) => {
    matchedBefore.add(beforeIndex);
    partnerOfAfter.set(afterIndex, beforeIndex);
  });

  const rows: BlockDiffRow[] = [];
  let nextRemoved = 0;
  const flushRemovedBefore = (limit: number) => {
    for (; nextRemoved < limit; nextRemoved += 1) {
      const block = before.blocks[nextRemoved];
      if (block && !matchedBefore.has(nextRemoved)) rows.push(removedRow(block));
    }
  };
  after.blocks.forEach((block, afterIndex) => {
    const beforeIndex = partnerOfAfter.get(afterIndex);
    if (beforeIndex === undefined) {
      rows.push({ status: 'added', after: block, aspects: [], payloadChanges: [], metadataChanges: [] });
      return;
    }
    if (stable.has(beforeIndex)) flushRemovedBefore(beforeIndex);
    const previous = before.blocks[beforeIndex];
    if (previous) rows.push(pairedRow(previous, block, !stable.has(beforeIndex)));
  });
  flushRemovedBefore(before.blocks.length);

  const summary: DiffSummary = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 };
  for (const row of rows) summary[row.status] += 1;
  const metadata = diffKeys(before.metadata, after.metadata);
  const data = diffKeys(before.data, after.data);
  const isEmpty = summary.unchanged === rows.length && metadata.length === 0 && data.length === 0;
  return { rows, summary, metadata, data, isEmpty };
}

function removedRow(block: SnapshotBlock): BlockDiffRow {
  return { status: 'removed', before: block, aspects: [], payloadChanges: [], metadataChanges: [] };
}

function pairedRow(before: SnapshotBlock, after: SnapshotBlock, isMoved: boolean): BlockDiffRow {
  const payloadChanges = diffKeys(before.payload, after.payload);
  const metadataChanges = diffKeys(before.metadata, after.metadata);
  const aspects: BlockAspect[] = [];
  if (before.kind !== after.kind) aspects.push('kind');
  if (before.role !== after.role) aspects.push('role');
  if (payloadChanges.length > 0) aspects.push('payload');
  if (metadataChanges.length > 0) aspects.push('metadata');
  const isChanged = aspects.length > 0;
  if (isMoved) aspects.push('position');
  const status: BlockDiffStatus = isChanged ? 'changed' : isMoved ? 'moved' : 'unchanged';
  return { status, before, after, aspects, payloadChanges, metadataChanges };
}

/** Pairs `[beforeIndex, afterIndex]` of matching blocks. */
function matchBlocks(before: SnapshotBlock[], after: SnapshotBlock[]): [number, number][] {
  const pairs: [number, number][] = [];
  const takenAfter = new Set<number>();
  const takenBefore = new Set<number>();
  const afterById = new Map<string, number[]>();
  after.forEach((block, index) => {
    if (!block.id) return;
    const list = afterById.get(block.id) ?? [];
    list.push(index);
    afterById.set(block.id, list);
  });
  before.forEach((block, beforeIndex) => {
    if (!block.id) return;
    const afterIndex = afterById.get(block.id)?.find((index) => !takenAfter.has(index));
    if (afterIndex === undefined) return;
    pairs.push([beforeIndex, afterIndex]);
    takenAfter.add(afterIndex);
    takenBefore.add(beforeIndex);
  });
  before.forEach((block, beforeIndex) => {
    if (takenBefore.has(beforeIndex)) return;
    const afterIndex = after.findIndex(
      (candidate, index) =>
        !takenAfter.has(index) &&
        (!candidate.id || !block.id) &&
        candidate.kind === block.kind &&
        isDeepEqual(candidate.payload, block.payload),
    );
    if (afterIndex < 0) return;
    pairs.push([beforeIndex, afterIndex]);
    takenAfter.add(afterIndex);
    takenBefore.add(beforeIndex);
  });
  return pairs;
}

/**
 * Before-indices of the matched blocks that kept their relative order: the longest run of pairs
 * increasing on both sides. The other matched blocks moved.
 */
function stableIndices(pairs: [number, number][]): Set<number> {
  const byAfter = [...pairs].sort((a, b) => a[1] - b[1]);
  const beforeOrder = byAfter.map(([beforeIndex]) => beforeIndex);
  // Longest increasing subsequence (patience sorting), keeping predecessors to rebuild it.
  const tails: number[] = [];
  const previous: number[] = new Array(beforeOrder.length).fill(-1);
  beforeOrder.forEach((value, position) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const tail = tails[middle] ?? 0;
      if ((beforeOrder[tail] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[position] = tails[low - 1] ?? -1;
    tails[low] = position;
  });
  const stable = new Set<number>();
  let cursor = tails.at(-1) ?? -1;
  while (cursor >= 0) {
    const value = beforeOrder[cursor];
    if (value !== undefined) stable.add(value);
    cursor = previous[cursor] ?? -1;
  }
  return stable;
}

/** Keys of two JSON objects that were added, removed or changed, sorted by key. */
export function diffKeys(before: Record<string, unknown>, after: Record<string, unknown>): KeyChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: KeyChange[] = [];
  for (const key of keys) {
    const hasBefore = Object.hasOwn(before, key);
    const hasAfter = Object.hasOwn(after, key);
    if (hasBefore && !hasAfter) changes.push({ key, status: 'removed', before: before[key] });
    else if (!hasBefore && hasAfter) changes.push({ key, status: 'added', after: after[key] });
    else if (!isDeepEqual(before[key], after[key]))
      changes.push({ key, status: 'changed', before: before[key], after: after[key] });
  }
  return changes;
}

/** Structural equality of JSON values (object key order does not matter). */
export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((value, index) => isDeepEqual(value, right[index]));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const leftKeys = Object.keys(leftRecord);
  if (leftKeys.length !== Object.keys(rightRecord).length) return false;
  return leftKeys.every((key) => Object.hasOwn(rightRecord, key) && isDeepEqual(leftRecord[key], rightRecord[key]));
}
