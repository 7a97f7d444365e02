// sql_hourly and sql_daily: the deltas of new SQL spans folded in with additive upserts, like
// llm_hourly's. SQL spans are never removed or relabelled in a way their keys see (system and
// statement are the span's own), so only new rows add. Every measure is exact (integers, µs
// latencies, histogram counts): the order rows arrive in never changes a total.
import { SQL_DAILY, SQL_HOURLY, statementHashOf, type SqlClient, type Table } from '@convotel/store';
import type { DbQueryRow } from '../../normalize/rows.js';
import { INT64_MAX, saturateMillisSum } from '../../normalize/units/column-range.js';
import { microsToMillisText, microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { FineHistogramDelta, RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { toRollupUpsert, upsertRollup, type RollupColumn } from './rollup-upsert.js';

/** A statement's key besides the time: its system and the md5 of its text. */
type SqlRollupKey = { system: string; statementHash: string };

interface SqlMeasures {
  statement: string;
  count: number;
  errors: number;
  returnedRows: bigint;
  latencySumUs: bigint;
  latencyMinUs: bigint | undefined;
  latencyMaxUs: bigint | undefined;
  latency: FineHistogramDelta;
}

/** `sql_hourly` (or, by `dayOf`, `sql_daily`) deltas of a batch's new SQL spans. */
export class SqlRollup extends RollupDeltas<SqlRollupKey, SqlMeasures> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros) {
    super(() => ({ statement: '', count: 0, errors: 0, returnedRows: 0n, latencySumUs: 0n, latencyMinUs: undefined, latencyMaxUs: undefined, latency: new FineHistogramDelta() }));
    this.#bucketOf = bucketOf;
  }

  addRow(row: Pick<DbQueryRow, 'startedAt' | 'durationUs' | 'status' | 'system' | 'statement' | 'returnedRows'>): void {
    const statement = row.statement ?? '';
    const m = this.measuresOf(this.#bucketOf(row.startedAt), { system: row.system, statementHash: statementHashOf(statement) });
    m.statement = statement;
    m.count += 1;
    m.errors += row.status === 'error' ? 1 : 0;
    m.returnedRows += BigInt(row.returnedRows ?? 0);
    m.latencySumUs += row.durationUs;
    m.latencyMinUs = m.latencyMinUs === undefined || row.durationUs < m.latencyMinUs ? row.durationUs : m.latencyMinUs;
    m.latencyMaxUs = m.latencyMaxUs === undefined || row.durationUs > m.latencyMaxUs ? row.durationUs : m.latencyMaxUs;
    m.latency.add(Number(row.durationUs) / 1000, 1);
  }
}

type Entry = RollupEntry<SqlRollupKey, SqlMeasures>;

function saturatedRows(rows: bigint): string {
  return (rows > INT64_MAX ? INT64_MAX : rows < -INT64_MAX - 1n ? -INT64_MAX - 1n : rows).toString();
}

/** The upsert of `table` (sql_hourly or sql_daily: the same columns but the first). The statement text is written with its row, never changed. */
function sqlRollupUpsert(table: typeof SQL_HOURLY | typeof SQL_DAILY, time: Table['key'][number]) {
  const c = table.columns;
  const columns: readonly RollupColumn<Entry>[] = [
    { column: time, value: (e) => microsToTimestamp(e.time) },
    { column: c.system, value: (e) => e.key.system },
    { column: c.statementHash, value: (e) => e.key.statementHash },
    { column: c.statement, value: (e) => e.measures.statement },
    { column: c.count, value: (e) => e.measures.count, merge: 'add' },
    { column: c.errors, value: (e) => e.measures.errors, merge: 'add' },
    { column: c.returnedRows, value: (e) => saturatedRows(e.measures.returnedRows), merge: 'addTokens' },
    { column: c.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
    { column: c.latencyMinMs, value: (e) => (e.measures.latencyMinUs === undefined ? null : microsToMillisText(e.measures.latencyMinUs)), merge: 'least' },
    { column: c.latencyMaxMs, value: (e) => (e.measures.latencyMaxUs === undefined ? null : microsToMillisText(e.measures.latencyMaxUs)), merge: 'greatest' },
    { histogram: [c.latencyBucketIndex, c.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
  ];
  return toRollupUpsert(table, columns);
}

const SQL_HOURLY_UPSERT = sqlRollupUpsert(SQL_HOURLY, SQL_HOURLY.columns.hour);
const SQL_DAILY_UPSERT = sqlRollupUpsert(SQL_DAILY, SQL_DAILY.columns.day);

/** Adds the deltas to `sql_hourly` and `sql_daily`, one upsert each, in key order. */
export async function upsertSqlRollups(client: SqlClient, hourly: SqlRollup, daily: SqlRollup): Promise<void> {
  await upsertRollup(client, SQL_HOURLY_UPSERT, hourly.entries());
  await upsertRollup(client, SQL_DAILY_UPSERT, daily.entries());
}
