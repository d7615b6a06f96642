import { type Blame, CricketError, type CricketErrorOptions } from '@cricket/core';

/**
 * Codes of {@link StoreError}. `user` blame: the caller passed something the store refuses
 * (`store-invalid-argument`, `store-missing-filter`, `store-duplicate-key`). Everything else is `system`.
 */
export type StoreErrorCode =
  /** An empty id, a version ≤ 0, a non-integer timestamp… (blame `user`). */
  | 'store-invalid-argument'
  /** A query needs at least one of its filters (turn store: conv_id or session_id) (blame `user`). */
  | 'store-missing-filter'
  /** An insert hit an existing primary key (request store: idempotency key) (blame `user`). */
  | 'store-duplicate-key'
  /** An update targeted a row that does not exist. */
  | 'store-not-found'
  /** A write collided with a different row under the same key (turn store, event log). */
  | 'store-conflict'
  /** A stored row does not decode (bad JSON, wrong shape). */
  | 'store-corrupt-row'
  /** The database could not be opened (not a database, permissions, …). */
  | 'store-open-failed'
  /** The database was written by a newer Cricket: its `user_version` is above this build's latest migration. */
  | 'store-schema-too-new'
  /** A migration failed; the database stays at the previous version. */
  | 'store-migration-failed'
  /** The migration list itself is malformed (versions not 1, 2, 3, …). */
  | 'store-migration-list-invalid'
  /** A table still has the reference system's legacy layout and no legacy migration handled it. */
  | 'store-legacy-schema';

const userCodes: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>([
  'store-invalid-argument',
  'store-missing-filter',
  'store-duplicate-key',
]);

/**
 * A persistence failure. `code` is the stable thing to branch on; `blame` is `user` for refused input
 * and `system` for everything else (corruption, schema, I/O). The SQLite error, when there is one, is
 * the `cause`.
 */
export class StoreError extends CricketError<StoreErrorCode> {
  override readonly name = 'StoreError';
  readonly blame: Blame;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: CricketErrorOptions,
  ) {
    super(message, options);
    this.blame = userCodes.has(code) ? 'user' : 'system';
  }
}
