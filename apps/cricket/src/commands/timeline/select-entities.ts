import { InvalidArgumentError } from 'commander';
import { CliFailure } from '../cli-support.js';
import type { EntityRow } from './entity-row.js';

/** What `--order` sorts by: `version` → version, `created` → created_at_ms, `updated` → updated_at_ms. */
export type EntityOrderKey = 'version' | 'created' | 'updated';

const orderKeys: readonly EntityOrderKey[] = ['version', 'created', 'updated'];

/** Commander parser of `--order`: a key, optionally prefixed with `-` for descending. */
export function parseEntityOrder(value: string): string {
  if (!orderKeys.includes(value.replace(/^-/, '') as EntityOrderKey))
    throw new InvalidArgumentError(`expected version, created or updated (optionally with -), got ${value}`);
  return value;
}

/**
 * The filters, order and limit of `timeline entities` / `timeline entity`, applied in memory to the
 * rows of any source. Version bounds are not here: only the source knows entity versions, so it
 * applies them when it reads (see `TimelineSource.entities`). Time bounds are inclusive; 0 = unset.
 */
export interface EntitySelection {
  kind?: string | undefined;
  entityId?: string | undefined;
  createdAfterMs: number;
  createdBeforeMs: number;
  updatedAfterMs: number;
  updatedBeforeMs: number;
  /** `version` | `created` | `updated`, `-` prefix for descending; ties by entity_id ascending. */
  order: string;
  /** At most this many rows (0 = all). */
  limit: number;
}

/** Message of the one order that rows without versions cannot honour. */
export const descendingVersionNeedsVersions =
  '--order -version needs the version of each entity, which a /timeline body does not carry; ' +
  'read the database with --db, or order by created or updated';

/**
 * The rows that pass `selection`, ordered and cut to the limit. Rows must come in the sources' order,
 * (version, entity_id) ascending: when versions are unknown (`null`), `--order version` keeps that
 * order and `--order -version` fails, since ties could not be broken by entity_id.
 */
export function selectEntityRows(rows: readonly EntityRow[], selection: EntitySelection): EntityRow[] {
  const within = (value: number, after: number, before: number) =>
    (after === 0 || value >= after) && (before === 0 || value <= before);
  const kept = rows.filter(
    (row) =>
      (!selection.kind || row.kind === selection.kind) &&
      (!selection.entityId || row.entity_id === selection.entityId) &&
      within(row.created_at_ms, selection.createdAfterMs, selection.createdBeforeMs) &&
      within(row.updated_at_ms, selection.updatedAfterMs, selection.updatedBeforeMs),
  );
  const ordered = orderRows(kept, selection.order);
  return selection.limit > 0 ? ordered.slice(0, selection.limit) : ordered;
}

function orderRows(rows: EntityRow[], order: string): EntityRow[] {
  const descending = order.startsWith('-');
  const key = order.replace(/^-/, '') as EntityOrderKey;
  if (key === 'version' && rows.some((row) => row.version === null)) {
    if (descending) throw new CliFailure(descendingVersionNeedsVersions);
    return rows;
  }
  const value = (row: EntityRow): number =>
    key === 'created' ? row.created_at_ms : key === 'updated' ? row.updated_at_ms : (row.version ?? 0);
  return rows.sort((a, b) => {
    const difference = value(a) - value(b);
    if (difference !== 0) return descending ? -difference : difference;
    return a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0;
  });
}
