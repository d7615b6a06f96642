import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import type { ConversationRecord, ConversationStore } from '../conversation-store.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import { StoreError } from '../store-error.js';

/** Options of {@link SqliteConversationStore}. */
export interface SqliteConversationStoreOptions {
  /** Receives rows that do not decode; they are skipped (default: a process warning). */
  onCorruptRow?: CorruptRowHandler;
}

const conversationRowSchema = z.object({
  conv_id: z.string(),
  session_id: z.string(),
  profile: z.string(),
  created_at_ms: z.number(),
  last_activity_ms: z.number(),
  title: z.string().nullable(),
});

const columns = 'conv_id, session_id, profile, created_at_ms, last_activity_ms, title';

/** The {@link ConversationStore} on SQLite (table `conversations`). */
export class SqliteConversationStore implements ConversationStore {
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #save: BetterSqlite3.Statement<[string, string, string, number, number, string | null]>;
  readonly #get: BetterSqlite3.Statement<[string], unknown>;
  readonly #list: BetterSqlite3.Statement<[number], unknown>;
  readonly #touch: BetterSqlite3.Statement<[number, string | null, string]>;

  constructor(db: CricketDatabase, options: SqliteConversationStoreOptions = {}) {
    this.#onCorruptRow = options.onCorruptRow ?? warnCorruptRow;
    this.#save = db.raw.prepare(
      `INSERT INTO conversations (${columns}) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conv_id) DO UPDATE SET
         session_id = excluded.session_id, profile = excluded.profile, created_at_ms = excluded.created_at_ms,
         last_activity_ms = excluded.last_activity_ms, title = excluded.title`,
    );
    this.#get = db.raw.prepare(`SELECT ${columns} FROM conversations WHERE conv_id = ?`);
    this.#list = db.raw.prepare(
      `SELECT ${columns} FROM conversations ORDER BY last_activity_ms DESC, conv_id ASC LIMIT ?`,
    );
    this.#touch = db.raw.prepare(
      `UPDATE conversations SET last_activity_ms = ?, title = COALESCE(NULLIF(title, ''), ?) WHERE conv_id = ?`,
    );
  }

  /**
   * See {@link ConversationStore.save}: inserts or replaces every column. Refuses
   * (`store-invalid-argument`) an empty conv id or session id.
   */
  save(record: ConversationRecord): void {
    if (record.convId === '') throw new StoreError('store-invalid-argument', 'conversation: empty conv_id');
    if (record.sessionId === '') throw new StoreError('store-invalid-argument', 'conversation: empty session_id');
    this.#save.run(
      record.convId,
      record.sessionId,
      record.profile,
      Math.trunc(record.createdAtMs),
      Math.trunc(record.lastActivityMs),
      record.title ?? null,
    );
  }

  /** See {@link ConversationStore.get}. A row that does not decode reads as absent (and is reported). */
  get(convId: string): ConversationRecord | undefined {
    const row = this.#get.get(convId);
    return row === undefined ? undefined : this.#decode(row);
  }

  /** See {@link ConversationStore.list}: most recently active first (ties by conv id); no limit by default. */
  list(options: { limit?: number } = {}): ConversationRecord[] {
    const limit = Math.trunc(options.limit ?? 0);
    const out: ConversationRecord[] = [];
    for (const row of this.#list.all(limit > 0 ? limit : -1)) {
      const record = this.#decode(row);
      if (record !== undefined) out.push(record);
    }
    return out;
  }

  /**
   * See {@link ConversationStore.touch}: sets `lastActivityMs`, and the title when given and none (or an
   * empty one) is stored. An unknown conversation is left alone (nothing to touch).
   */
  touch(convId: string, atMs: number, title?: string): void {
    this.#touch.run(Math.trunc(atMs), title === undefined || title === '' ? null : title, convId);
  }

  #decode(value: unknown): ConversationRecord | undefined {
    const row = conversationRowSchema.safeParse(value);
    if (!row.success) {
      const key = typeof value === 'object' && value !== null && 'conv_id' in value ? String(value.conv_id) : '?';
      this.#onCorruptRow({ table: 'conversations', key, reason: describeDecodeError(row.error) });
      return undefined;
    }
    const record: ConversationRecord = {
      convId: row.data.conv_id,
      sessionId: row.data.session_id,
      profile: row.data.profile,
      createdAtMs: row.data.created_at_ms,
      lastActivityMs: row.data.last_activity_ms,
    };
    if (row.data.title !== null) record.title = row.data.title;
    return record;
  }
}
