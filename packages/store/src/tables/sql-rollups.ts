// SQL spans by hour and by day (migration 0005): what /sql-queries/analysis reads over days
// instead of every db_queries row. A row per (time, database system, normalized statement).
// Statements can be long (an ORM's column lists run to kilobytes), and a btree key holds at
// most about 2.7 kB: rows are keyed by the statement's md5 (32 hex characters) and carry the
// text beside the key. Two statements with one md5 would share a row; for normalized SQL text
// that is not a practical concern, and the text kept is the first one written.
import { createHash } from 'node:crypto';
import { fineHistogramColumns } from './shared-columns.js';
import { column, table } from './table.js';

/** The key of a statement in the SQL rollups: md5 of its text (`''` for none) in hex, as SQL's `md5()`. */
export function statementHashOf(statement: string | undefined): string {
  return createHash('md5').update(statement ?? '', 'utf8').digest('hex');
}

const SQL_ROLLUP_COLUMNS = {
  system: column('system', 'text', 'not null'),
  /** {@link statementHashOf} the statement. */
  statementHash: column('statement_hash', 'text', 'not null'),
  /** The normalized statement (literals replaced by `?`; `''` for spans without one). */
  statement: column('statement', 'text', 'not null'),
  count: column('count', 'bigint', 'not null'),
  errors: column('errors', 'bigint', 'not null'),
  /** Rows returned, over the spans that report them. */
  returnedRows: column('returned_rows', 'bigint', 'not null'),
  latencySumMs: column('latency_sum_ms', 'numeric', 'not null'),
  latencyMinMs: column('latency_min_ms', 'numeric'),
  latencyMaxMs: column('latency_max_ms', 'numeric'),
  ...fineHistogramColumns('latency'),
} as const;

/** `sql_hourly`: SQL spans by the UTC hour they started in, database system and statement. */
export const SQL_HOURLY = table('sql_hourly', { hour: column('hour', 'timestamptz', 'not null'), ...SQL_ROLLUP_COLUMNS }, ['hour', 'system', 'statementHash']);

/** `sql_daily`: `sql_hourly` by UTC day. */
export const SQL_DAILY = table('sql_daily', { day: column('day', 'timestamptz', 'not null'), ...SQL_ROLLUP_COLUMNS }, ['day', 'system', 'statementHash']);
