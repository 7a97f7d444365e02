// `db_queries`: one row per SQL span inside a turn.
import { SPAN_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** `db_queries`, keyed by (trace_id, span_id, started_at), partitioned by week of started_at (a span's start never changes). */
export const DB_QUERIES = table(
  'db_queries',
  {
    ...SPAN_COLUMNS,
    system: column('system', 'text', 'not null'),
    dbName: column('db_name', 'text'),
    operation: column('operation', 'text'),
    /** Literals replaced by `?`. */
    statement: column('statement', 'text'),
    startedAt: column('started_at', 'timestamptz', 'not null'),
    durationMs: column('duration_ms', 'double precision', 'not null'),
    returnedRows: column('returned_rows', 'bigint'),
    status: column('status', 'text', 'not null'),
    errorType: column('error_type', 'text'),
    errorMessage: column('error_message', 'text'),
    scopeName: column('scope_name', 'text', 'not null'),
    serviceName: column('service_name', 'text'),
  },
  ['traceId', 'spanId', 'startedAt'],
  'startedAt',
);
