import { printJson } from '../cli-support.js';
import { entityRowFromColumns } from './entity-row.js';
import { printRows } from './output.js';
import { prefixPattern, withTimeline } from './sqlite-timeline.js';

/** Options of `timeline verify` (database file only). */
export interface VerifyOptions {
  db: string;
  json: boolean;
  convIdPrefix: string;
  /** Stop after this many issues (0 = unlimited). */
  limit: number;
  checkJson: boolean;
  emitOk: boolean;
}

interface Issue {
  conv_id: string;
  entity_id?: string;
  issue: string;
  details: Record<string, unknown>;
}

/**
 * `timeline verify`: missing_version_row, version_mismatch, updated_before_created, empty_kind and
 * (with `checkJson`) json_parse_error, in that order. Issues are the output; the exit code stays 0.
 */
export function verifyTimeline(options: VerifyOptions): void {
  const issues = withTimeline(options.db, (db) => {
    const found: Issue[] = [];
    const full = () => options.limit > 0 && found.length >= options.limit;
    const push = (issue: Issue) => {
      if (!full()) found.push(issue);
    };
    const pattern = prefixPattern(options.convIdPrefix);
    const conversations = db
      .prepare(
        `SELECT e.conv_id AS conv_id, count(*) AS entity_count, max(e.version) AS max_version, v.version AS stored
         FROM timeline_entities e LEFT JOIN timeline_versions v ON v.conv_id = e.conv_id
         WHERE e.conv_id LIKE ? ESCAPE '\\' GROUP BY e.conv_id ORDER BY e.conv_id`,
      )
      .all(pattern) as { conv_id: string; entity_count: number; max_version: number; stored: number | null }[];
    for (const row of conversations) {
      if (row.stored === null)
        push({ conv_id: row.conv_id, issue: 'missing_version_row', details: { entity_count: row.entity_count } });
      else if (row.max_version !== row.stored)
        push({
          conv_id: row.conv_id,
          issue: 'version_mismatch',
          details: { max_entity_version: row.max_version, current_version: row.stored },
        });
    }
    const entityRows = db
      .prepare(`SELECT * FROM timeline_entities WHERE conv_id LIKE ? ESCAPE '\\' ORDER BY conv_id, entity_id`)
      .iterate(pattern);
    for (const value of entityRows) {
      if (full()) break;
      const row = entityRowFromColumns(value);
      if (row.updated_at_ms < row.created_at_ms)
        push({
          conv_id: row.conv_id,
          entity_id: row.entity_id,
          issue: 'updated_before_created',
          details: { created_at_ms: row.created_at_ms, updated_at_ms: row.updated_at_ms },
        });
      if (row.kind.trim() === '')
        push({ conv_id: row.conv_id, entity_id: row.entity_id, issue: 'empty_kind', details: {} });
      if (options.checkJson) {
        try {
          JSON.parse(row.entity_json);
        } catch (error) {
          push({
            conv_id: row.conv_id,
            entity_id: row.entity_id,
            issue: 'json_parse_error',
            details: { error: error instanceof Error ? error.message : String(error) },
          });
        }
      }
    }
    return found;
  });
  if (issues.length === 0 && options.emitOk) {
    if (options.json) printJson([{ status: 'ok', issues: 0 }]);
    else process.stdout.write('status ok, 0 issues\n');
    return;
  }
  printRows(issues as unknown as Record<string, unknown>[], ['conv_id', 'entity_id', 'issue', 'details'], options.json);
}
