import type BetterSqlite3 from 'better-sqlite3';
import { printRows } from './output.js';
import { prefixPattern, sqlLimit, withTimeline } from './sqlite-timeline.js';

/** Options of `timeline list` and `timeline stats` (database file only). */
export interface ConversationReportOptions {
  db: string;
  json: boolean;
  convIdPrefix: string;
  limit: number;
}

const conversationColumns = ['conv_id', 'version', 'entity_count', 'min_created_at_ms', 'max_updated_at_ms'];

function conversationRows(db: BetterSqlite3.Database, prefix: string, limit: number): Record<string, unknown>[] {
  return db
    .prepare(
      `SELECT e.conv_id AS conv_id,
              coalesce(v.version, max(e.version)) AS version,
              count(*) AS entity_count,
              min(e.created_at_ms) AS min_created_at_ms,
              max(e.updated_at_ms) AS max_updated_at_ms
       FROM timeline_entities e LEFT JOIN timeline_versions v ON v.conv_id = e.conv_id
       WHERE e.conv_id LIKE ? ESCAPE '\\'
       GROUP BY e.conv_id ORDER BY e.conv_id LIMIT ?`,
    )
    .all(prefixPattern(prefix), sqlLimit(limit)) as Record<string, unknown>[];
}

/** `timeline list`: one row per conversation that has entities, by conv_id. */
export function listConversations(options: ConversationReportOptions): void {
  const rows = withTimeline(options.db, (db) => conversationRows(db, options.convIdPrefix, options.limit));
  printRows(rows, conversationColumns, options.json);
}

/** `timeline stats`: the `list` columns plus `kind_counts` (kind → number of entities). */
export function conversationStats(options: ConversationReportOptions): void {
  const rows = withTimeline(options.db, (db) => {
    const conversations = conversationRows(db, options.convIdPrefix, options.limit);
    const kinds = db.prepare('SELECT kind, count(*) AS n FROM timeline_entities WHERE conv_id = ? GROUP BY kind');
    return conversations.map((row) => {
      const kind_counts: Record<string, number> = {};
      for (const kind of kinds.all(row.conv_id) as { kind: string; n: number }[]) kind_counts[kind.kind] = kind.n;
      return { ...row, kind_counts };
    });
  });
  printRows(rows, [...conversationColumns, 'kind_counts'], options.json);
}
