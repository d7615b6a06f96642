// Public surface of the stores: interfaces, errors, the in-memory and SQLite implementations.
// Explicit exports only. The shared contract suite (`timeline-store.contract.ts`) imports Vitest and is
// deliberately not exported here.

export type { ConversationRecord, ConversationStore } from './conversation-store.js';
export { type CorruptRowHandler, type CorruptRowReport, describeDecodeError, warnCorruptRow } from './corrupt-row.js';
export type { EventLog, EventLogReadOptions, StoredFrame } from './event-log.js';
export {
  defaultMemoryTimelineCapacity,
  MemoryTimelineStore,
  type MemoryTimelineStoreOptions,
} from './memory/memory-timeline-store.js';
export type { ChatRequestRecord, RequestStore } from './request-store.js';
export { SqliteConversationStore, type SqliteConversationStoreOptions } from './sqlite/sqlite-conversation-store.js';
export { defaultEventLogReadLimit, SqliteEventLog, type SqliteEventLogOptions } from './sqlite/sqlite-event-log.js';
export { SqliteRequestStore, type SqliteRequestStoreOptions } from './sqlite/sqlite-request-store.js';
export { SqliteTimelineStore, type SqliteTimelineStoreOptions } from './sqlite/sqlite-timeline-store.js';
export {
  defaultTurnListLimit,
  SqliteTurnStore,
  type SqliteTurnStoreOptions,
  type TurnSessionSummary,
} from './sqlite/sqlite-turn-store.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
export { stampTimelineEntity, type TimelineStamp } from './timeline-entity-encoding.js';
export {
  defaultTimelineLimit,
  type TimelineSnapshotOptions,
  type TimelineStore,
} from './timeline-store.js';
export {
  assertUpsertArguments,
  buildTimelineSnapshot,
  compareVersionThenId,
  firstWriteCreation,
  resolveSnapshotOptions,
} from './timeline-store-rules.js';
export type { TurnQuery, TurnStore } from './turn-store.js';
