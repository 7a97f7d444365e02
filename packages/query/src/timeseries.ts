// GET /timeseries: one metric per hour or day of the window, empty buckets as 0. Buckets are
// calendar hours or days in `tz` (default UTC); the first and last may be partial. Windows
// longer than ROLLUP_MIN_WINDOW_HOURS read hourly rollups where they can (rollups/timeseries-rollups.ts).
import type { ReadDb, SqlClient } from './db.js';
import type { Filters } from './filters.js';
import { mayReadRollups, type ReadMode } from './rollups/read-mode.js';
import { readRollupPoints } from './rollups/timeseries-rollups.js';
import { scopeConditions, timeOf, SUBJECT_TABLE } from './scope.js';
import { SqlParams, isoText, whereClause } from './sql.js';
import { bucketing } from './time-buckets.js';
import { TIMESERIES_METRIC_SQL, type TimeseriesInterval, type TimeseriesMetric } from './timeseries-metrics.js';
import { toNumber } from './values.js';
import { resolveWindow, windowToJson, type TimeWindow, type WindowJson, type WindowParams } from './window.js';

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
  /** `['points']` when the values were read from rollup histograms (turn_p95_ms over long windows, within 1% of the exact ones); else empty. */
  readonly approximate: string[];
}

/** The series of a window; `mode` `exact` computes it from raw rows whatever the window (default `auto`). */
export async function getTimeseries(db: ReadDb, params: TimeseriesParams, now?: Date, options: { readonly mode?: ReadMode } = {}): Promise<Timeseries> {
  const window = resolveWindow(params, now);
  const interval = params.interval ?? 'hour';
  const tz = params.tz ?? 'UTC';
  const question: SeriesQuestion = { window, interval, tz, metric: params.metric, filters: params.filters ?? {}, maxRows: db.maxRows };
  const { points, approximate } = await db.read(async (sql) => {
    const fromRollups = mayReadRollups(window, options.mode) ? await readRollupPoints(sql, question) : undefined;
    return fromRollups ?? { points: await readRawPoints(sql, question), approximate: [] };
  });
  return { metric: params.metric, interval, tz, window: windowToJson(window), points, approximate };
}

/** What a series asks. */
export interface SeriesQuestion {
  readonly window: TimeWindow;
  readonly interval: TimeseriesInterval;
  readonly tz: string;
  readonly metric: TimeseriesMetric;
  readonly filters: Filters;
  readonly maxRows: number;
}

/** A series computed over raw rows: exact. */
async function readRawPoints(sql: SqlClient, question: SeriesQuestion): Promise<TimeseriesPoint[]> {
  const { subject, aggregate } = TIMESERIES_METRIC_SQL[question.metric];
  const sqlParams = new SqlParams();
  const conditions = scopeConditions(subject, 'r', { window: question.window, filters: question.filters }, sqlParams);
  const buckets = bucketing(question.window, question.interval, question.tz, sqlParams);
  const { rows } = await sql.query(
    `WITH ${buckets.cte}, figures AS (
       SELECT ${buckets.bucketOf(timeOf(subject, 'r'))} AS t, ${aggregate} AS value
         FROM ${SUBJECT_TABLE[subject]} r ${whereClause(conditions)}
        GROUP BY 1
     )
     SELECT ${isoText('b.t')} AS t, coalesce(f.value, 0) AS value
       FROM buckets b LEFT JOIN figures f ON f.t = b.t
      ORDER BY b.t LIMIT ${sqlParams.add(question.maxRows, 'integer')}`,
    sqlParams.values,
  );
  return rows.map((row) => ({ t: String(row['t']), value: toNumber(row['value']) }));
}
