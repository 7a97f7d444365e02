// The buckets of a time series: calendar hours or days in a time zone, as a CTE of their starts
// and the bucket of any time.
import type { SqlParams } from './sql.js';
import type { TimeWindow } from './window.js';

/** The buckets of a series: a `buckets` CTE of their starts (column t), and a time's bucket. */
export interface Bucketing {
  /** `buckets AS (SELECT … AS t …)`, to follow WITH. */
  readonly cte: string;
  /** The bucket start of a timestamptz expression. */
  bucketOf(expression: string): string;
}

/** Buckets of `interval` in `tz` over the window; their parameters go into `params`. */
export function bucketing(window: TimeWindow, interval: 'hour' | 'day', tz: string, params: SqlParams): Bucketing {
  const zone = params.add(tz, 'text');
  const unit = params.add(interval, 'text');
  const from = params.add(window.from.toISOString(), 'timestamptz');
  const to = params.add(window.to.toISOString(), 'timestamptz');
  return {
    // The series steps in local time, so days stay calendar days across DST changes.
    cte: `buckets AS (
         SELECT s AT TIME ZONE ${zone} AS t
           FROM generate_series(date_trunc(${unit}, ${from} AT TIME ZONE ${zone}),
                                (${to} - interval '1 microsecond') AT TIME ZONE ${zone},
                                ('1 ' || ${unit})::interval) AS s
       )`,
    // Truncated in the zone's local time, turned back into an instant.
    bucketOf: (expression) => `(date_trunc(${unit}, ${expression} AT TIME ZONE ${zone}) AT TIME ZONE ${zone})`,
  };
}

