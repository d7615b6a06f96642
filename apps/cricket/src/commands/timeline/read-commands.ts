import { CliFailure, printJson, printTable } from '../cli-support.js';
import { entityColumns, entityOutputRow } from './entity-output.js';
import { HttpTimelineSource } from './http-timeline.js';
import { printRecord, printRows } from './output.js';
import { descendingVersionNeedsVersions, type EntitySelection, selectEntityRows } from './select-entities.js';
import { SqliteTimelineSource } from './sqlite-timeline.js';
import type { TimelineSource } from './timeline-source.js';

/** Options shared by `snapshot`, `entities` and `entity`: a database file, or a server with `--base-url`. */
export interface SourceOptions {
  db: string;
  json: boolean;
  baseUrl?: string;
  authToken?: string;
}

/** The server at `--base-url` when given, else the database file `--db`. */
export function timelineSource(options: SourceOptions): TimelineSource {
  if (options.baseUrl) return new HttpTimelineSource({ baseUrl: options.baseUrl, authToken: options.authToken });
  return new SqliteTimelineSource(options.db);
}

// ---- snapshot -----------------------------------------------------------------------------------

/** Options of `timeline snapshot`. */
export interface SnapshotOptions extends SourceOptions {
  convId: string;
  sinceVersion: number;
  limit: number;
  includeEntities: boolean;
  rawJson: boolean;
}

/** `timeline snapshot`: one row `conv_id, version, server_time_ms, entity_count[, entities][, snapshot_json]`. */
export async function snapshot(options: SnapshotOptions): Promise<void> {
  const view = await timelineSource(options).snapshot(options.convId, {
    sinceVersion: options.sinceVersion,
    limit: options.limit,
  });
  const summary: Record<string, unknown> = {
    conv_id: view.convId,
    version: view.version,
    server_time_ms: view.serverTimeMs,
    entity_count: view.entities.length,
  };
  if (options.rawJson) summary.snapshot_json = view.json;
  if (options.json) {
    const { snapshot_json, ...rest } = summary;
    printJson({
      ...rest,
      ...(options.includeEntities ? { entities: view.entities } : {}),
      ...(options.rawJson ? { snapshot_json } : {}),
    });
    return;
  }
  printTable([summary], Object.keys(summary));
  if (options.includeEntities) for (const entity of view.entities) process.stdout.write(`${JSON.stringify(entity)}\n`);
}

// ---- entities and entity ------------------------------------------------------------------------

/** Options of `timeline entities`. */
export interface EntitiesOptions extends SourceOptions, EntitySelection {
  convId: string;
  /** Inclusive version bounds (0 = unbounded). */
  versionMin: number;
  versionMax: number;
  includeJson: boolean;
  includeSummary: boolean;
}

/** `timeline entities`: the conversation's entities, filtered, ordered and cut to the limit. */
export async function entities(options: EntitiesOptions): Promise<void> {
  const source = timelineSource(options);
  if (!source.perEntityVersions && options.order === '-version') throw new CliFailure(descendingVersionNeedsVersions);
  const rows = await source.entities(options.convId, { min: options.versionMin, max: options.versionMax });
  const selected = selectEntityRows(rows, options);
  printRows(
    selected.map((row) => entityOutputRow(row, options)),
    entityColumns(options),
    options.json,
  );
}

/** Options of `timeline entity`. */
export interface EntityOptions extends SourceOptions {
  convId: string;
  entityId: string;
  includeJson: boolean;
  includeSummary: boolean;
}

/** `timeline entity`: one entity with the `entities` columns; fails with `entity not found: <id>`. */
export async function entity(options: EntityOptions): Promise<void> {
  const rows = await timelineSource(options).entities(options.convId, { min: 0, max: 0 });
  const row = rows.find((candidate) => candidate.entity_id === options.entityId);
  if (!row) throw new CliFailure(`entity not found: ${options.entityId}`);
  printRecord(entityOutputRow(row, options), entityColumns(options), options.json);
}
