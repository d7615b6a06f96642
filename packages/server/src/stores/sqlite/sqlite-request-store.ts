import { chatRequestStatusSchema, chatResponseSchema } from '@cricket/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { type CorruptRowHandler, describeDecodeError, warnCorruptRow } from '../corrupt-row.js';
import type { ChatRequestRecord, RequestStore } from '../request-store.js';
import { StoreError } from '../store-error.js';

/** Options of {@link SqliteRequestStore}. */
export interface SqliteRequestStoreOptions {
  /** Receives rows that `queued` / `unfinished` skipped because they do not decode (default: a warning). */
  onCorruptRow?: CorruptRowHandler;
}

interface RequestParameters {
  idempotencyKey: string;
  convId: string;
  requestHash: string;
  status: string;
  responseJson: string;
  error: string | null;
  prompt: string;
  profile: string;
  overridesJson: string | null;
  enqueuedAtMs: number;
  startedAtMs: number | null;
  completedAtMs: number | null;
}

const jsonText = z.string().transform((text, context): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: `invalid JSON: ${describeDecodeError(error)}` });
    return z.NEVER;
  }
});

const requestRowSchema = z.object({
  idempotency_key: z.string(),
  conv_id: z.string(),
  request_hash: z.string(),
  status: chatRequestStatusSchema,
  response_json: jsonText.pipe(chatResponseSchema),
  error: z.string().nullable(),
  prompt: z.string(),
  profile: z.string(),
  overrides_json: jsonText.pipe(z.record(z.string(), z.unknown())).nullable(),
  enqueued_at_ms: z.number(),
  started_at_ms: z.number().nullable(),
  completed_at_ms: z.number().nullable(),
});

const columns = `idempotency_key, conv_id, request_hash, status, response_json, error, prompt, profile, overrides_json,
  enqueued_at_ms, started_at_ms, completed_at_ms`;

/**
 * The {@link RequestStore} on SQLite (table `chat_requests`, keyed by idempotency key). The stored
 * response's `status` is always the record's: it is overwritten on every write. `response_json` is
 * decoded with the protocol's `chatResponseSchema`.
 */
export class SqliteRequestStore implements RequestStore {
  readonly #onCorruptRow: CorruptRowHandler;
  readonly #insert: BetterSqlite3.Statement<RequestParameters>;
  readonly #update: BetterSqlite3.Statement<RequestParameters>;
  readonly #get: BetterSqlite3.Statement<[string], unknown>;
  readonly #queued: BetterSqlite3.Statement<[string], unknown>;
  readonly #unfinished: BetterSqlite3.Statement<[], unknown>;

  constructor(db: CricketDatabase, options: SqliteRequestStoreOptions = {}) {
    this.#onCorruptRow = options.onCorruptRow ?? warnCorruptRow;
    this.#insert = db.raw.prepare(
      `INSERT INTO chat_requests (${columns})
       VALUES (@idempotencyKey, @convId, @requestHash, @status, @responseJson, @error, @prompt, @profile,
         @overridesJson, @enqueuedAtMs, @startedAtMs, @completedAtMs)
       ON CONFLICT DO NOTHING`,
    );
    this.#update = db.raw.prepare(
      `UPDATE chat_requests SET conv_id = @convId, request_hash = @requestHash, status = @status,
         response_json = @responseJson, error = @error, prompt = @prompt, profile = @profile,
         overrides_json = @overridesJson, enqueued_at_ms = @enqueuedAtMs, started_at_ms = @startedAtMs,
         completed_at_ms = @completedAtMs
       WHERE idempotency_key = @idempotencyKey`,
    );
    this.#get = db.raw.prepare(`SELECT ${columns} FROM chat_requests WHERE idempotency_key = ?`);
    this.#queued = db.raw.prepare(
      `SELECT ${columns} FROM chat_requests WHERE conv_id = ? AND status = 'queued'
       ORDER BY enqueued_at_ms ASC, rowid ASC`,
    );
    this.#unfinished = db.raw.prepare(
      `SELECT ${columns} FROM chat_requests WHERE status IN ('running', 'started')
       ORDER BY enqueued_at_ms ASC, rowid ASC`,
    );
  }

  /**
   * See {@link RequestStore.get}. A stored row that does not decode throws `store-corrupt-row` (reading
   * it as absent would let a retry overwrite the evidence).
   */
  get(idempotencyKey: string): ChatRequestRecord | undefined {
    const value = this.#get.get(idempotencyKey);
    if (value === undefined) return undefined;
    const row = requestRowSchema.safeParse(value);
    if (row.success) return toRecord(row.data);
    throw new StoreError(
      'store-corrupt-row',
      `chat request ${idempotencyKey} does not decode: ${describeDecodeError(row.error)}`,
    );
  }

  /**
   * See {@link RequestStore.insert}. Throws `store-duplicate-key` when the idempotency key is stored,
   * `store-invalid-argument` on an empty key or conv id.
   */
  insert(record: ChatRequestRecord): void {
    if (this.#insert.run(toParameters(record)).changes === 0) {
      throw new StoreError('store-duplicate-key', `chat request ${record.idempotencyKey} already exists`);
    }
  }

  /** See {@link RequestStore.update}. Throws `store-not-found` when the key is not stored. */
  update(record: ChatRequestRecord): void {
    if (this.#update.run(toParameters(record)).changes === 0) {
      throw new StoreError('store-not-found', `chat request ${record.idempotencyKey} does not exist`);
    }
  }

  /** See {@link RequestStore.queued}: oldest first; rows that do not decode are skipped and reported. */
  queued(convId: string): ChatRequestRecord[] {
    return this.#decodeAll(this.#queued.all(convId));
  }

  /** See {@link RequestStore.unfinished}: oldest first; rows that do not decode are skipped and reported. */
  unfinished(): ChatRequestRecord[] {
    return this.#decodeAll(this.#unfinished.all());
  }

  #decodeAll(rows: unknown[]): ChatRequestRecord[] {
    const out: ChatRequestRecord[] = [];
    for (const value of rows) {
      const row = requestRowSchema.safeParse(value);
      if (row.success) {
        out.push(toRecord(row.data));
        continue;
      }
      const key = typeof value === 'object' && value !== null && 'idempotency_key' in value;
      this.#onCorruptRow({
        table: 'chat_requests',
        key: key ? String(value.idempotency_key) : '?',
        reason: describeDecodeError(row.error),
      });
    }
    return out;
  }
}

function toParameters(record: ChatRequestRecord): RequestParameters {
  if (record.idempotencyKey === '') throw new StoreError('store-invalid-argument', 'chat request: empty key');
  if (record.convId === '') throw new StoreError('store-invalid-argument', 'chat request: empty conv_id');
  return {
    idempotencyKey: record.idempotencyKey,
    convId: record.convId,
    requestHash: record.requestHash,
    status: record.status,
    responseJson: JSON.stringify({ ...record.response, status: record.status }),
    error: record.error ?? null,
    prompt: record.prompt,
    profile: record.profile,
    overridesJson: record.overrides === undefined ? null : JSON.stringify(record.overrides),
    enqueuedAtMs: Math.trunc(record.enqueuedAtMs),
    startedAtMs: record.startedAtMs === undefined ? null : Math.trunc(record.startedAtMs),
    completedAtMs: record.completedAtMs === undefined ? null : Math.trunc(record.completedAtMs),
  };
}

function toRecord(row: z.infer<typeof requestRowSchema>): ChatRequestRecord {
  const record: ChatRequestRecord = {
    idempotencyKey: row.idempotency_key,
    convId: row.conv_id,
    requestHash: row.request_hash,
    status: row.status,
    response: row.response_json,
    prompt: row.prompt,
    profile: row.profile,
    enqueuedAtMs: row.enqueued_at_ms,
  };
  if (row.error !== null) record.error = row.error;
  if (row.overrides_json !== null) record.overrides = row.overrides_json;
  if (row.started_at_ms !== null) record.startedAtMs = row.started_at_ms;
  if (row.completed_at_ms !== null) record.completedAtMs = row.completed_at_ms;
  return record;
}
