// GET /timeseries: one metric per hour or day of the window, empty buckets as 0. Buckets are
// calendar hours or days in `tz` (default UTC); the first and last may be partial.
import type { ReadDb } from './db.js';
import type { FilterSubject, Filters } from './filters.js';
import { scopeConditions, timeOf, SUBJECT_TABLE } from './scope.js';
import { SqlParams, isoText, whereClause } from './sql.js';
import { BUCKET_INTERVALS, bucketSql, type BucketInterval } from './time-buckets.js';
import { toNumber } from './values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from './window.js';

export const TIMESERIES_METRICS = ['conversations', 'turns', 'llm_calls', 'cost_usd', 'errors', 'turn_p95_ms'] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];
export const TIMESERIES_INTERVALS = BUCKET_INTERVALS;
export type TimeseriesInterval = BucketInterval;

export interface TimeseriesParams extends WindowParams {
  readonly metric: TimeseriesMetric;
  /** Default `hour`. */
  readonly interval?: TimeseriesInterval | undefined;
  /** IANA time zone of the buckets' boundaries. Default `UTC`. */
  readonly tz?: string | undefined;
  readonly filters?: Filters;
}

export interface TimeseriesPoint {
  /** Bucket start, ISO-8601 UTC. */
  readonly t: string;
  readonly value: number;
}

export interface Timeseries {
  readonly metric: TimeseriesMetric;
  readonly interval: TimeseriesInterval;
  readonly tz: string;
  readonly window: WindowJson;
  readonly points: TimeseriesPoint[];
}

/** What each metric aggregates: over which rows (alias r), as which SQL aggregate. */
const METRICS: Readonly<Record<TimeseriesMetric, { subject: FilterSubject; aggregate: string }>> = {
  conversations: { subject: 'conversations', aggregate: 'count(*)' },
  turns: { subject: 'turns', aggregate: 'count(*)' },
  llm_calls: { subject: 'llm_calls', aggregate: 'count(*)' },
  cost_usd: { subject: 'turns', aggregate: 'sum(r.cost_usd)' },
  errors: { subject: 'turns', aggregate: `count(*) FILTER (WHERE r.status = 'error')` },
  turn_p95_ms: { subject: 'turns', aggregate: 'percentile_cont(0.95) WITHIN GROUP (ORDER BY r.duration_ms)' },
};

export async function getTimeseries(db: ReadDb, params: TimeseriesParams, now?: Date): Promise<Timeseries> {
  const window = resolveWindow(params, now);
  const interval = params.interval ?? 'hour';
  const tz = params.tz ?? 'UTC';
  const { subject, aggregate } = METRICS[params.metric];
  const sqlParams = new SqlParams();
  const conditions = scopeConditions(subject, 'r', { window, filters: params.filters ?? {} }, sqlParams);
  const buckets = bucketSql(sqlParams, window, interval, tz);
  const points = await db.read(async (sql) => {
    const { rows } = await sql.query(
      `WITH buckets AS (${buckets.series}
       ), figures AS (
         SELECT ${buckets.bucketOf(timeOf(subject, 'r'))} AS t, ${aggregate} AS value
           FROM ${SUBJECT_TABLE[subject]} r ${whereClause(conditions)}
          GROUP BY 1
       )
       SELECT ${isoText('b.t')} AS t, coalesce(f.value, 0) AS value
         FROM buckets b LEFT JOIN figures f ON f.t = b.t
        ORDER BY b.t LIMIT ${sqlParams.add(db.maxRows, 'integer')}`,
      sqlParams.values,
    );
    return rows.map((row) => ({ t: String(row['t']), value: toNumber(row['value']) }));
  });
  return { metric: params.metric, interval, tz, window: windowToJson(window), points };
}
