// @convotel/store: the database both sides of convotel share. The write side (the ingest) and
// the read side import it; it imports neither.
export { createStore, DEFAULT_DATA_DIR, IN_MEMORY_DATA_DIR, storeOptionsFromEnv } from './create-store.js';
export type { CreateStoreOptions } from './create-store.js';
export { createPostgresStore } from './postgres.js';
export type { PostgresStoreOptions } from './postgres.js';
export { createPgliteStore } from './pglite.js';
export type { PgliteStoreOptions } from './pglite.js';
export { bulkColumn } from './store.js';
export type { BulkColumn, BulkInsert, BulkRows, BulkUpdate, Listener, ListenHandlers, QueryResult, SqlClient, SqlValue, Store, StoreTransaction, TransactionOptions } from './store.js';
// The live channel: what the ingest's write transaction announces and the API relays.
export { LIVE_CHANNEL, LIVE_NOTICE_TYPES, MAX_NOTICE_BYTES, MAX_NOTICE_TEXT_LENGTH } from './live-notices.js';
export type { ConversationNotice, ErrorNotice, LiveNotice, TurnNotice } from './live-notices.js';
export { DataDirInUseError, LOCK_FILE_NAME } from './data-dir-lock.js';
export type { LockHolder } from './data-dir-lock.js';
export { isDiscardedConnectionError, isRetryableTransactionError, isTransientDbError, isUniqueViolation } from './db-errors.js';
export { isSchemaCurrent, migrate, MigrationError, MIGRATIONS_DIR, readMigrations } from './migrate.js';
export type { MigrateResult, Migration } from './migrate.js';
export { migrateOrRetry } from './migrate-or-retry.js';
export type { BackgroundMigration, MigrateOrRetryOptions } from './migrate-or-retry.js';
export { cleanup, parseAgeDays } from './cleanup.js';
export type { CleanupResult } from './cleanup.js';
// The table contract: one spec per table, from which select lists, row readers and bulk columns are made.
export type { Column, Columns, SqlType, Table } from './tables/table.js';
export { identityOf } from './tables/table.js';
export { ensurePartitions, listPartitions, PARTITIONED_TABLES, WEEKS_AHEAD } from './partitions.js';
export type { Partition } from './partitions.js';
export { readRow, selectList } from './read-row.js';
export type { RowOf, SqlTypeValues } from './read-row.js';
export { TABLES, VIEWS } from './tables/schema.js';
export { CONVERSATIONS } from './tables/conversations.js';
export { SPAN_EDGES, TRACE_TURNS, TRACES, TURNS } from './tables/traces.js';
export { LLM_CALLS } from './tables/llm-calls.js';
export { STEPS } from './tables/steps.js';
export { DB_QUERIES } from './tables/db-queries.js';
export { EVENTS } from './tables/events.js';
export { LLM_HOURLY, STEP_DAILY, STEP_HOURLY } from './tables/rollups.js';
export { HISTOGRAM_BOUNDS, LATENCY_BUCKET_BOUNDS_MS, LATENCY_HISTOGRAM } from './tables/histogram-bounds.js';
export { CONVERSATION_HOURLY, LLM_DAILY, TURN_DAILY, TURN_HOURLY, USAGE_DAILY, USAGE_DIMENSIONS, USAGE_HOURLY } from './tables/window-rollups.js';
export { CONVERSATION_KEYS, COST_DAILY, COST_DIMENSIONS, COST_HOURLY } from './tables/cost-rollups.js';
export type { CostDimension } from './tables/cost-rollups.js';
export type { UsageDimension } from './tables/window-rollups.js';
export { SQL_DAILY, SQL_HOURLY, statementHashOf } from './tables/sql-rollups.js';
export { ERROR_OCCURRENCES } from './tables/error-occurrences.js';
export {
  EMPTY_FINE_HISTOGRAM,
  FINE_HISTOGRAM_ACCURACY,
  FINE_HISTOGRAM_GAMMA,
  FINE_HISTOGRAM_MIN_MS,
  FINE_HISTOGRAM_ZERO_BUCKET,
  fineBucketEstimateMs,
  fineBucketOf,
  fineHistogramCountAbove,
  fineHistogramOf,
  fineHistogramPercentile,
  fineHistogramTotal,
  mergeFineHistograms,
  toFineHistogram,
} from './tables/fine-histogram.js';
export type { FineHistogram } from './tables/fine-histogram.js';
