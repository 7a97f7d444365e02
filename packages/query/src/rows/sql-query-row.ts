// A SQL query span as the API shows it; its columns are selected here only.
import { isoText } from '../sql.js';
import { toNumber, toNumberOrNull, toText } from '../values.js';

export interface SqlQueryItem {
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id: string | null;
  readonly system: string;
  readonly db_name: string | null;
  readonly operation: string | null;
  /** Literals replaced by `?`. */
  readonly statement: string | null;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly returned_rows: number | null;
  readonly status: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
}

/** Columns of `db_queries` aliased `d`. */
export const SQL_QUERY_COLUMNS = `d.trace_id, d.span_id, d.parent_span_id, d.system, d.db_name, d.operation, d.statement,
  ${isoText('d.started_at')} AS started_at, d.duration_ms, d.returned_rows, d.status, d.error_type, d.error_message`;

export function toSqlQueryItem(row: Record<string, unknown>): SqlQueryItem {
  return {
    trace_id: String(row['trace_id']),
    span_id: String(row['span_id']),
    parent_span_id: toText(row['parent_span_id']),
    system: String(row['system']),
    db_name: toText(row['db_name']),
    operation: toText(row['operation']),
    statement: toText(row['statement']),
    started_at: String(row['started_at']),
    duration_ms: toNumber(row['duration_ms']),
    returned_rows: toNumberOrNull(row['returned_rows']),
    status: String(row['status']),
    error_type: toText(row['error_type']),
    error_message: toText(row['error_message']),
  };
}
