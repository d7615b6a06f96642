import { type TurnSnapshotRecord, turnSnapshotSchema } from '@cricket/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import { StoreError } from '../store-error.js';
import type { TurnQuery, TurnStore } from '../turn-store.js';

/** Default page size of {@link SqliteTurnStore.list} (the reference's). */
export const defaultTurnListLimit = 200;

/** Options of {@link SqliteTurnStore}. */
export interface SqliteTurnStoreOptions {
  /** Receives rows that do not decode; they are skipped (default: a process warning). */
  onCorruptRow?: CorruptRowHandler;
  /** Clock for snapshots saved with `created_at_ms` ≤ 0 (default `Date.now`). */
  now?: () => number;
}

/** One row of {@link SqliteTurnStore.sessions}. */
export interface TurnSessionSummary {
  session_id: string;
  first_ms: number;
  last_ms: number;
  snapshots: number;
}

type TurnParameters = [string, string, string, string, number, string];

const sessionRowSchema = z.object({
  session_id: z.string(),
  first_ms: z.number(),
  last_ms: z.number(),
  snapshots: z.number().int(),
});
const columns = 'conv_id, session_id, turn_id, phase, created_at_ms, payload';

/**
 * The {@link TurnStore} on SQLite (table `turns`, the reference's current layout). Semantics of the
 * reference: ids must be non-blank, `created_at_ms` ≤ 0 means now, `list` needs a conv or session id,
 * filters are equalities plus an inclusive `since_ms`, newest first, 200 by default. Difference: saving
 * a row identical to a stored one (same key, same payload) is a no-op instead of a failed insert; the
 * same key with another payload throws `store-conflict`. Ties on `created_at_ms` list the later insert
 * first.
 */
export class SqliteTurnStore implements TurnStore {
  readonly #raw: BetterSqlite3.Database;
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #now: () => number;
  readonly #insert: BetterSqlite3.Statement<TurnParameters>;
  readonly #payloadOf: BetterSqlite3.Statement<[string, string, string, string, number], unknown>;
  readonly #latest: BetterSqlite3.Statement<[string], unknown>;
  readonly #sessions: BetterSqlite3.Statement<[string], unknown>;
  /** `list` statements by filter shape, prepared on first use. */
  readonly #lists = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();

  constructor(db: CricketDatabase, options: SqliteTurnStoreOptions = {}) {
    this.#raw = db.raw;
    this.#onCorruptRow = options.onCorruptRow ?? warnCorruptRow;
    this.#now = options.now ?? Date.now;
    this.#insert = db.raw.prepare(`INSERT INTO turns (${columns}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.#payloadOf = db.raw
      .prepare<[string, string, string, string, number], unknown>(
        `SELECT payload FROM turns
         WHERE conv_id = ? AND session_id = ? AND turn_id = ? AND phase = ? AND created_at_ms = ?`,
      )
      .pluck(true);
    this.#latest = db.raw.prepare(
      `SELECT ${columns} FROM turns WHERE session_id = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1`,
    );
    this.#sessions = db.raw.prepare(
      `SELECT session_id, min(created_at_ms) AS first_ms, max(created_at_ms) AS last_ms, count(*) AS snapshots
       FROM turns WHERE conv_id = ? GROUP BY session_id ORDER BY first_ms ASC, session_id ASC`,
    );
  }

  /**
   * See {@link TurnStore.save}. Throws `store-invalid-argument` on a blank id or phase, `store-conflict`
   * when the same (conv, session, turn, phase, created_at_ms) is stored with a different payload.
   */
  save(record: TurnSnapshotRecord): void {
    for (const field of ['conv_id', 'session_id', 'turn_id', 'phase'] as const) {
      if (record[field].trim() === '') throw new StoreError('store-invalid-argument', `turn snapshot: blank ${field}`);
    }
    if (!Number.isFinite(record.created_at_ms)) {
      throw new StoreError('store-invalid-argument', 'turn snapshot: created_at_ms must be finite');
    }
    const createdAtMs = record.created_at_ms > 0 ? Math.trunc(record.created_at_ms) : Math.trunc(this.#now());
    const key = [record.conv_id, record.session_id, record.turn_id, record.phase, createdAtMs] as const;
    if (this.#insert.run(...key, record.payload).changes > 0) return;
    if (this.#payloadOf.get(...key) === record.payload) return;
    throw new StoreError(
      'store-conflict',
      `turn snapshot ${record.turn_id} (${record.phase} at ${createdAtMs}) is already stored with a different payload`,
    );
  }

  /**
   * See {@link TurnStore.list}. Blank filters are ignored; when both conv and session are blank, throws
   * `store-missing-filter` ("missing conv_id or session_id"). `limit` ≤ 0 means 200.
   */
  list(query: TurnQuery): TurnSnapshotRecord[] {
    const convId = query.convId?.trim() ?? '';
    const sessionId = query.sessionId?.trim() ?? '';
    const phase = query.phase?.trim() ?? '';
    const sinceMs = Math.trunc(query.sinceMs ?? 0);
    if (convId === '' && sessionId === '') {
      throw new StoreError('store-missing-filter', 'missing conv_id or session_id');
    }
    const filters: [condition: string, value: string | number][] = [];
    if (convId !== '') filters.push(['conv_id = ?', convId]);
    if (sessionId !== '') filters.push(['session_id = ?', sessionId]);
    if (phase !== '') filters.push(['phase = ?', phase]);
    if (sinceMs > 0) filters.push(['created_at_ms >= ?', sinceMs]);
    const limit = Math.trunc(query.limit ?? 0);
    const conditions = filters.map(([condition]) => condition);
    const parameters = [...filters.map(([, value]) => value), limit > 0 ? limit : defaultTurnListLimit];
    return this.#decodeAll(this.#listStatement(conditions).all(...parameters));
  }

  /** See {@link TurnStore.latestForSession}: the newest snapshot of any phase (latest insert on ties). */
  latestForSession(sessionId: string): TurnSnapshotRecord | undefined {
    const row = this.#latest.get(sessionId);
    return row === undefined ? undefined : this.#decodeAll([row])[0];
  }

  /** See {@link TurnStore.sessions}: ordered by first snapshot time, then session id. */
  sessions(convId: string): TurnSessionSummary[] {
    const out: TurnSessionSummary[] = [];
    for (const value of this.#sessions.all(convId)) {
      const row = sessionRowSchema.safeParse(value);
      if (row.success) out.push(row.data);
      else this.#onCorruptRow({ table: 'turns', key: convId, reason: describeDecodeError(row.error) });
    }
    return out;
  }

  #listStatement(conditions: string[]): BetterSqlite3.Statement<unknown[], unknown> {
    const where = conditions.join(' AND ');
    let statement = this.#lists.get(where);
    if (statement === undefined) {
      statement = this.#raw.prepare<unknown[], unknown>(
        `SELECT ${columns} FROM turns WHERE ${where} ORDER BY created_at_ms DESC, rowid DESC LIMIT ?`,
      );
      this.#lists.set(where, statement);
    }
    return statement;
  }

  #decodeAll(rows: unknown[]): TurnSnapshotRecord[] {
    const out: TurnSnapshotRecord[] = [];
    for (const value of rows) {
      const row = turnSnapshotSchema.safeParse(value);
      if (row.success) out.push(row.data);
      else this.#onCorruptRow({ table: 'turns', key: turnKey(value), reason: describeDecodeError(row.error) });
    }
    return out;
  }
}

function turnKey(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '?';
  const record: Record<string, unknown> = { ...value };
  return [record.conv_id, record.session_id, record.turn_id, record.phase, record.created_at_ms].map(String).join('/');
}
