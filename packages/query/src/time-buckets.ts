// Calendar buckets (hours or days) of a window in a time zone, as SQL. The series steps in
// local time, so days stay calendar days across DST changes; the first and last bucket may
// be partial.
import type { SqlParams } from './sql.js';
import type { TimeWindow } from './window.js';

export const BUCKET_INTERVALS = ['hour', 'day'] as const;
export type BucketInterval = (typeof BUCKET_INTERVALS)[number];

export interface BucketSql {
  /** The bucket start (timestamptz) of a time expression. */
  bucketOf(expression: string): string;
  /** `SELECT t` of every bucket overlapping the window, in order. */
  readonly series: string;
}

/** Bucketing of `window` by `interval` in `tz`; its values go into `params`. */
export function bucketSql(params: SqlParams, window: TimeWindow, interval: BucketInterval, tz: string): BucketSql {
  const zone = params.add(tz, 'text');
  const unit = params.add(interval, 'text');
  const from = params.add(window.from.toISOString(), 'timestamptz');
  const to = params.add(window.to.toISOString(), 'timestamptz');
  return {
    // Truncated in the zone's local time, turned back into an instant.
    bucketOf: (expression) => `(date_trunc(${unit}, ${expression} AT TIME ZONE ${zone}) AT TIME ZONE ${zone})`,
    series: `SELECT s AT TIME ZONE ${zone} AS t
               FROM generate_series(date_trunc(${unit}, ${from} AT TIME ZONE ${zone}),
                                    (${to} - interval '1 microsecond') AT TIME ZONE ${zone},
                                    ('1 ' || ${unit})::interval) AS s`,
  };
}

/** At most how many buckets `window` has (a partial bucket at each end included). */
export function maxBucketCount(window: TimeWindow, interval: BucketInterval): number {
  // A day of a DST change can be 23 hours short.
  const shortestMs = interval === 'hour' ? 3_600_000 : 23 * 3_600_000;
  return Math.ceil((window.to.getTime() - window.from.getTime()) / shortestMs) + 1;
}

/** The buckets of a series as a WITH item: a `buckets` CTE of their starts (column t), and a time's bucket. */
export interface Bucketing {
  /** `buckets AS (SELECT … AS t …)`, to follow WITH. */
  readonly cte: string;
  /** The bucket start of a timestamptz expression. */
  bucketOf(expression: string): string;
}

/** {@link bucketSql} as a `buckets` CTE. */
export function bucketing(window: TimeWindow, interval: BucketInterval, tz: string, params: SqlParams): Bucketing {
  const buckets = bucketSql(params, window, interval, tz);
  return { cte: `buckets AS (${buckets.series})`, bucketOf: (expression) => buckets.bucketOf(expression) };
}
