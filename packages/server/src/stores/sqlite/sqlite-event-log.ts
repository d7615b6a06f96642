import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import type { EventLog, EventLogReadOptions, StoredFrame } from '../event-log.js';
import { StoreError } from '../store-error.js';
import { readInteger } from './read-integer.js';
import { isPrimaryKeyViolation } from './sqlite-constraint.js';

/** Default page size of {@link SqliteEventLog.read}. */
export const defaultEventLogReadLimit = 1000;

/** Options of {@link SqliteEventLog}. */
export interface SqliteEventLogOptions {
  /** Receives rows that do not decode; they are skipped (default: a process warning). */
  onCorruptRow?: CorruptRowHandler;
}

type FrameParameters = [string, number, string, string, string | null, string | null, string | null, number, string];
interface ReadParameters {
  convId: string;
  sinceSeq: number;
  types: string | null;
  inferenceId: string | null;
  limit: number;
}

const frameRowSchema = z.object({
  conv_id: z.string(),
  seq: z.number().int(),
  type: z.string(),
  entity_id: z.string(),
  session_id: z.string().nullable(),
  inference_id: z.string().nullable(),
  turn_id: z.string().nullable(),
  created_at_ms: z.number(),
  frame_json: z.string(),
});

/**
 * The {@link EventLog} on SQLite (table `event_log`, key `(conv_id, seq)`). `append` reuses one
 * prepared insert and joins the caller's transaction (the pipeline's group commit) when there is one;
 * the frame text is stored as given, never re-parsed. `read` is one prepared statement for every
 * filter combination (the type list travels as a JSON array).
 */
export class SqliteEventLog implements EventLog {
  readonly #db: CricketDatabase;
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #insert: BetterSqlite3.Statement<FrameParameters>;
  readonly #read: BetterSqlite3.Statement<ReadParameters, unknown>;
  readonly #lastSeq: BetterSqlite3.Statement<[string], unknown>;
  readonly #latestForEntity: BetterSqlite3.Statement<[string, string], unknown>;

  constructor(db: CricketDatabase, options: SqliteEventLogOptions = {}) {
    this.#db = db;
    this.#onCorruptRow = options.onCorruptRow ?? warnCorruptRow;
    this.#insert = db.raw.prepare(
      `INSERT INTO event_log
         (conv_id, seq, type, entity_id, session_id, inference_id, turn_id, created_at_ms, frame_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#read = db.raw.prepare(
      `SELECT conv_id, seq, type, entity_id, session_id, inference_id, turn_id, created_at_ms, frame_json
       FROM event_log
       WHERE conv_id = @convId AND seq > @sinceSeq
         AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
         AND (@inferenceId IS NULL OR inference_id = @inferenceId)
       ORDER BY seq LIMIT @limit`,
    );
    this.#lastSeq = db.raw.prepare<[string], unknown>('SELECT max(seq) FROM event_log WHERE conv_id = ?').pluck(true);
    this.#latestForEntity = db.raw.prepare<[string, string], unknown>(
      `SELECT conv_id, seq, type, entity_id, session_id, inference_id, turn_id, created_at_ms, frame_json
       FROM event_log WHERE conv_id = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1`,
    );
  }

  /** See {@link EventLog.latestForEntity}. */
  latestForEntity(convId: string, entityId: string): StoredFrame | undefined {
    const row = this.#latestForEntity.get(convId, entityId);
    if (row === undefined) return undefined;
    return this.#toFrames(convId, [row])[0];
  }

  /**
   * See {@link EventLog.append}. All or nothing: a frame with an empty conv id or a `seq` that is not a
   * positive integer is refused (`store-invalid-argument`) before anything is written; a `(conv_id,
   * seq)` already stored fails the whole call with `store-conflict`.
   */
  append(frames: readonly StoredFrame[]): void {
    for (const frame of frames) {
      if (frame.convId === '') throw new StoreError('store-invalid-argument', 'event log: frame with empty conv_id');
      if (!Number.isSafeInteger(frame.seq) || frame.seq <= 0) {
        throw new StoreError('store-invalid-argument', `event log: seq must be a positive integer, got ${frame.seq}`);
      }
    }
    if (frames.length === 0) return;
    try {
      this.#db.transaction(() => {
        for (const frame of frames) {
          this.#insert.run(
            frame.convId,
            frame.seq,
            frame.type,
            frame.entityId,
            frame.sessionId ?? null,
            frame.inferenceId ?? null,
            frame.turnId ?? null,
            Math.trunc(frame.createdAtMs),
            frame.frame,
          );
        }
      });
    } catch (error) {
      if (isPrimaryKeyViolation(error)) {
        throw new StoreError('store-conflict', `event log: a frame with this (conv_id, seq) is already stored`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * See {@link EventLog.read}: `seq` ascending; `limit` ≤ 0 means the default (1000); an empty `types`
   * list means no type filter. Rows that do not decode are skipped and reported.
   */
  read(convId: string, options: EventLogReadOptions = {}): StoredFrame[] {
    const limit = Math.trunc(options.limit ?? 0);
    const rows = this.#read.all({
      convId,
      sinceSeq: Math.max(0, Math.trunc(options.sinceSeq ?? 0)),
      types: options.types === undefined || options.types.length === 0 ? null : JSON.stringify(options.types),
      inferenceId: options.inferenceId ?? null,
      limit: limit > 0 ? limit : defaultEventLogReadLimit,
    });
    return this.#toFrames(convId, rows);
  }

  #toFrames(convId: string, rows: readonly unknown[]): StoredFrame[] {
    const frames: StoredFrame[] = [];
    for (const value of rows) {
      const row = frameRowSchema.safeParse(value);
      if (row.success) frames.push(toStoredFrame(row.data));
      else
        this.#onCorruptRow({
          table: 'event_log',
          key: frameKey(convId, value),
          reason: describeDecodeError(row.error),
        });
    }
    return frames;
  }

  /** See {@link EventLog.lastSeq}. Throws `store-corrupt-row` when the stored maximum is not an integer. */
  lastSeq(convId: string): number {
    return readInteger(this.#lastSeq.get(convId), `event_log max(seq) of ${convId}`);
  }
}

function toStoredFrame(row: z.infer<typeof frameRowSchema>): StoredFrame {
  const frame: StoredFrame = {
    convId: row.conv_id,
    seq: row.seq,
    type: row.type,
    entityId: row.entity_id,
    createdAtMs: row.created_at_ms,
    frame: row.frame_json,
  };
  if (row.session_id !== null) frame.sessionId = row.session_id;
  if (row.inference_id !== null) frame.inferenceId = row.inference_id;
  if (row.turn_id !== null) frame.turnId = row.turn_id;
  return frame;
}

function frameKey(convId: string, value: unknown): string {
  const seq = typeof value === 'object' && value !== null && 'seq' in value ? String(value.seq) : '?';
  return `${convId}/${seq}`;
}
