// GET /timeseries over long windows from rollups: each rollup row goes to the bucket of its hour
// (or day), the partial hours at the window's ends come from raw rows. That needs a time zone
// whose offset is a whole number of hours over the window (then each UTC hour lies in one bucket),
// and for daily rollups one at UTC's offset (each UTC day is then a local day); elsewhere the
// series is computed from raw rows. Counts and sums are exact; turn_p95_ms is read from the fine
// duration histograms.
import { CONVERSATION_HOURLY, fineBucketEstimateMs, LLM_HOURLY, TURN_HOURLY } from '@convotel/store';
import type { SqlClient } from '../db.js';
import type { FilterSubject } from '../filters.js';
import { timeOf, SUBJECT_TABLE } from '../scope.js';
import { SqlParams, isoText } from '../sql.js';
import { bucketing, type Bucketing } from '../time-buckets.js';
import type { SeriesQuestion, TimeseriesPoint } from '../timeseries.js';
import { TIMESERIES_METRIC_SQL, type TimeseriesMetric } from '../timeseries-metrics.js';
import { toNumber, toNumberOrNull } from '../values.js';
import { CONVERSATION_ROLLUPS, LLM_ROLLUPS, rollupRows, TURN_ROLLUPS, type RollupFamily } from './rollup-tables.js';
import { edgeConditions, splitWindow } from './rollup-window.js';
import { zoneAlignment } from './zone-alignment.js';

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;
const CH = CONVERSATION_HOURLY.columns;

/** A metric's rollups: the family, the column it sums (none: the p95 of the duration histograms). */
interface RollupMetric {
  readonly family: RollupFamily;
  readonly column: string | undefined;
}

const ROLLUP_METRICS: Readonly<Record<TimeseriesMetric, RollupMetric>> = {
  conversations: { family: CONVERSATION_ROLLUPS, column: CH.conversations.name },
  turns: { family: TURN_ROLLUPS, column: TH.turns.name },
  cost_usd: { family: TURN_ROLLUPS, column: TH.costUsd.name },
  errors: { family: TURN_ROLLUPS, column: TH.errors.name },
  turn_p95_ms: { family: TURN_ROLLUPS, column: undefined },
  llm_calls: { family: LLM_ROLLUPS, column: LH.count.name },
};

const P95 = 0.95;

/** The series from rollups, or undefined when it has to be computed from raw rows. */
export async function readRollupPoints(sql: SqlClient, question: SeriesQuestion): Promise<{ points: TimeseriesPoint[]; approximate: string[] } | undefined> {
  const { family, column } = ROLLUP_METRICS[question.metric];
  const alignment = await zoneAlignment(sql, question.window, question.tz);
  if (!alignment.hours) return undefined;
  const split = splitWindow(question.window, question.interval === 'day' && alignment.days);
  const params = new SqlParams();
  const columns = column === undefined ? [TH.durationBucketIndex.name, TH.durationBucketCount.name] : [column];
  const rows = rollupRows(family, columns, split, question.filters, params);
  if (rows === undefined) return undefined;
  const { subject, aggregate } = TIMESERIES_METRIC_SQL[question.metric];
  const inEdges = edgeConditions(subject, 'r', split.edges, question.filters, params);
  const buckets = bucketing(question.window, question.interval, question.tz, params);
  const limit = params.add(question.maxRows, 'integer');
  if (column === undefined) return { points: await readP95Points(sql, { params, buckets, rows, inEdges, subject, limit }), approximate: ['points'] };
  const { rows: points } = await sql.query(
    `WITH ${buckets.cte}, figures AS (
       SELECT ${buckets.bucketOf('h.t')} AS t, sum(h.${column}) AS value FROM ${rows} h GROUP BY 1
       UNION ALL
       SELECT ${buckets.bucketOf(timeOf(subject, 'r'))}, ${aggregate} FROM ${SUBJECT_TABLE[subject]} r WHERE ${inEdges} GROUP BY 1
     ), summed AS (SELECT t, sum(value) AS value FROM figures GROUP BY t)
     SELECT ${isoText('b.t')} AS t, coalesce(f.value, 0) AS value
       FROM buckets b LEFT JOIN summed f ON f.t = b.t
      ORDER BY b.t LIMIT ${limit}`,
    params.values,
  );
  return { points: points.map((row) => ({ t: String(row['t']), value: toNumber(row['value']) })), approximate: [] };
}

/**
 * p95 of turn durations per bucket: the rollup rows' buckets merged with the edges' rows, then
 * percentile_cont's rule on bucket estimates (as fineHistogramPercentile): the buckets holding
 * ranks floor(r) and ceil(r), r = 0.95·(n−1) in double precision, interpolated.
 */
async function readP95Points(
  sql: SqlClient,
  q: { params: SqlParams; buckets: Bucketing; rows: string; inEdges: string; subject: FilterSubject; limit: string },
): Promise<TimeseriesPoint[]> {
  const rank = `(${q.params.add(P95, 'double precision')} * (total - 1)::double precision)`;
  const { rows } = await sql.query(
    `WITH ${q.buckets.cte}, counts AS (
       SELECT ${q.buckets.bucketOf('h.t')} AS t, unnest(h.${TH.durationBucketIndex}) AS i, unnest(h.${TH.durationBucketCount}) AS n FROM ${q.rows} h
       UNION ALL
       SELECT ${q.buckets.bucketOf(timeOf(q.subject, 'r'))}, convotel_fine_bucket(r.duration_ms), 1
         FROM ${SUBJECT_TABLE[q.subject]} r WHERE (${q.inEdges}) AND r.duration_ms IS NOT NULL
     ), merged AS (SELECT t, i, sum(n) AS n FROM counts GROUP BY t, i),
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
