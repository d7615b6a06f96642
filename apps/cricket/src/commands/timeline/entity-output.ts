import type { EntityRow } from './entity-row.js';
import { summarizeEntity } from './summarize-entity.js';

/** Which optional columns `timeline entities` / `timeline entity` print. */
export interface EntityColumnsOptions {
  includeSummary: boolean;
  includeJson: boolean;
}

/** The columns, in order: the row's, then `summary` and `summary_error`, then `entity_json`. */
export function entityColumns(options: EntityColumnsOptions): string[] {
  const columns = ['conv_id', 'entity_id', 'kind', 'created_at_ms', 'updated_at_ms', 'version'];
  if (options.includeSummary) columns.push('summary', 'summary_error');
  if (options.includeJson) columns.push('entity_json');
  return columns;
}

/** One output row; `summary_error` replaces `summary` when the entity's JSON does not parse. */
export function entityOutputRow(row: EntityRow, options: EntityColumnsOptions): Record<string, unknown> {
  const result: Record<string, unknown> = {
    conv_id: row.conv_id,
    entity_id: row.entity_id,
    kind: row.kind,
    created_at_ms: row.created_at_ms,
    updated_at_ms: row.updated_at_ms,
    version: row.version,
  };
  if (options.includeSummary) {
    try {
      result.summary = summarizeEntity(row.entity_json);
    } catch (error) {
      result.summary_error = error instanceof Error ? error.message : String(error);
    }
  }
  if (options.includeJson) result.entity_json = row.entity_json;
  return result;
}
