// GET /timeseries over long windows from the hourly rollups: each whole UTC hour's rollup rows go
// to the hour's bucket, the partial hours at the window's ends come from raw rows. That needs a
// time zone whose offset is a whole number of hours over the window (each UTC hour then lies in
// one bucket); elsewhere, and for metrics without a rollup (conversations), the series is raw.
// Counts and sums are exact; turn_p95_ms is read from the fine duration histograms.
import { fineBucketEstimateMs, LLM_HOURLY, TURN_HOURLY, type Column, type Table } from '@convotel/store';
import type { SqlClient } from '../db.js';
import type { FilterSubject } from '../filters.js';
import { timeOf, SUBJECT_TABLE } from '../scope.js';
import { SqlParams, isoText } from '../sql.js';
import { bucketing } from '../time-buckets.js';
import type { SeriesQuestion, TimeseriesPoint } from '../timeseries.js';
import { TIMESERIES_METRIC_SQL, type TimeseriesMetric } from '../timeseries-metrics.js';
import { toNumber, toNumberOrNull } from '../values.js';
import type { TimeWindow } from '../window.js';
import { LLM_HOURLY_DIMENSIONS, TURN_HOURLY_DIMENSIONS } from './rollup-dimensions.js';
import { edgeConditions, rollupFilterConditions, splitAtHours, type RollupDimensions } from './rollup-window.js';

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;

/** A metric's rollup: its table, hour column and dimensions, and its aggregate over the rollup rows (alias h; none: a percentile). */
interface RollupMetric {
  readonly table: Table;
  readonly hour: Column;
  readonly dimensions: RollupDimensions;
  readonly aggregate: string | undefined;
}

const turnMetric = (aggregate: string | undefined): RollupMetric => ({ table: TURN_HOURLY, hour: TH.hour, dimensions: TURN_HOURLY_DIMENSIONS, aggregate });

const ROLLUP_METRICS: Partial<Readonly<Record<TimeseriesMetric, RollupMetric>>> = {
  turns: turnMetric(`sum(h.${TH.turns})`),
  cost_usd: turnMetric(`sum(h.${TH.costUsd})`),
  errors: turnMetric(`sum(h.${TH.errors})`),
  turn_p95_ms: turnMetric(undefined),
  llm_calls: { table: LLM_HOURLY, hour: LH.hour, dimensions: LLM_HOURLY_DIMENSIONS, aggregate: `sum(h.${LH.count})` },
};

const P95 = 0.95;

/** The series from rollups, or undefined when it has to be computed from raw rows. */
export async function readRollupPoints(sql: SqlClient, question: SeriesQuestion): Promise<{ points: TimeseriesPoint[]; approximate: boolean } | undefined> {
  const metric = ROLLUP_METRICS[question.metric];
  const { hours, edges } = splitAtHours(question.window);
  if (metric === undefined || hours === undefined) return undefined;
  const params = new SqlParams();
  const filters = rollupFilterConditions(metric.dimensions, 'h', question.filters, params);
  if (filters === undefined || !(await hasWholeHourOffsets(sql, hours, question.tz))) return undefined;
  const inHours = [
    `h.${metric.hour} >= ${params.add(hours.from.toISOString(), 'timestamptz')}`,
    `h.${metric.hour} < ${params.add(hours.to.toISOString(), 'timestamptz')}`,
    ...filters,
  ].join(' AND ');
  const { subject, aggregate } = TIMESERIES_METRIC_SQL[question.metric];
  const inEdges = edgeConditions(subject, 'r', edges, question.filters, params);
  const buckets = bucketing(question.window, question.interval, question.tz, params);
  const limit = params.add(question.maxRows, 'integer');
  if (metric.aggregate === undefined) return { points: await readP95Points(sql, { params, buckets, inHours, inEdges, subject, limit }), approximate: true };
  const { rows } = await sql.query(
    `WITH ${buckets.cte}, figures AS (
       SELECT ${buckets.bucketOf(`h.${metric.hour}`)} AS t, ${metric.aggregate} AS value FROM ${metric.table} h WHERE ${inHours} GROUP BY 1
       UNION ALL
       SELECT ${buckets.bucketOf(timeOf(subject, 'r'))}, ${aggregate} FROM ${SUBJECT_TABLE[subject]} r WHERE ${inEdges} GROUP BY 1
     ), summed AS (SELECT t, sum(value) AS value FROM figures GROUP BY t)
     SELECT ${isoText('b.t')} AS t, coalesce(f.value, 0) AS value
       FROM buckets b LEFT JOIN summed f ON f.t = b.t
      ORDER BY b.t LIMIT ${limit}`,
    params.values,
  );
  return { points: rows.map((row) => ({ t: String(row['t']), value: toNumber(row['value']) })), approximate: false };
}

/**
 * Whether `tz`'s offset is a whole number of hours at every hour start of the window (true of UTC
 * and most zones; not of Asia/Kolkata, +05:30).
 */
async function hasWholeHourOffsets(sql: SqlClient, hours: TimeWindow, tz: string): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT bool_and(date_trunc('hour', g AT TIME ZONE $1::text) = g AT TIME ZONE $1::text) AS whole
       FROM generate_series($2::timestamptz, $3::timestamptz, interval '1 hour') AS g`,
    [tz, hours.from.toISOString(), hours.to.toISOString()],
  );
  return rows[0]?.['whole'] === true;
}

/**
 * p95 of turn durations per bucket: the rollup hours' buckets merged with the edges' rows, then
 * percentile_cont's rule on bucket estimates (as fineHistogramPercentile): the buckets holding
 * ranks floor(r) and ceil(r), r = 0.95·(n−1) in double precision, interpolated.
 */
async function readP95Points(
  sql: SqlClient,
  q: { params: SqlParams; buckets: ReturnType<typeof bucketing>; inHours: string; inEdges: string; subject: FilterSubject; limit: string },
): Promise<TimeseriesPoint[]> {
  const rank = `(${q.params.add(P95, 'double precision')} * (total - 1)::double precision)`;
  const { rows } = await sql.query(
    `WITH ${q.buckets.cte}, buckets_of AS (
       SELECT ${q.buckets.bucketOf(`h.${TH.hour}`)} AS t, u.i, u.n
         FROM ${TURN_HOURLY} h, unnest(h.${TH.durationBucketIndex}, h.${TH.durationBucketCount}) AS u(i, n) WHERE ${q.inHours}
       UNION ALL
       SELECT ${q.buckets.bucketOf(timeOf(q.subject, 'r'))}, convotel_fine_bucket(r.duration_ms), 1
         FROM ${SUBJECT_TABLE[q.subject]} r WHERE (${q.inEdges}) AND r.duration_ms IS NOT NULL
     ), merged AS (SELECT t, i, sum(n) AS n FROM buckets_of GROUP BY t, i),
     running AS (SELECT t, i, sum(n) OVER (PARTITION BY t ORDER BY i) AS upto, sum(n) OVER (PARTITION BY t) AS total FROM merged),
     ranked AS (
       SELECT t, min(i) FILTER (WHERE upto > floor(${rank})) AS lower_bucket, min(i) FILTER (WHERE upto > ceil(${rank})) AS upper_bucket,
              min(${rank} - floor(${rank})) AS weight
         FROM running GROUP BY t
     )
     SELECT ${isoText('b.t')} AS t, r.lower_bucket, r.upper_bucket, r.weight
       FROM buckets b LEFT JOIN ranked r ON r.t = b.t
      ORDER BY b.t LIMIT ${q.limit}`,
    q.params.values,
  );
  return rows.map((row) => {
    const lower = toNumberOrNull(row['lower_bucket']);
    if (lower === null) return { t: String(row['t']), value: 0 };
    const low = fineBucketEstimateMs(lower);
    const high = fineBucketEstimateMs(toNumberOrNull(row['upper_bucket']) ?? lower);
    return { t: String(row['t']), value: low + toNumber(row['weight']) * (high - low) };
  });
}
