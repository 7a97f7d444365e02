// The metrics and intervals of GET /timeseries, and what each metric aggregates over raw rows.
import type { FilterSubject } from './filters.js';
import { BUCKET_INTERVALS, type BucketInterval } from './time-buckets.js';

export const TIMESERIES_METRICS = ['conversations', 'turns', 'llm_calls', 'cost_usd', 'errors', 'turn_p95_ms'] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];
export const TIMESERIES_INTERVALS = BUCKET_INTERVALS;
export type TimeseriesInterval = BucketInterval;

/** What each metric aggregates: over which rows (alias r), as which SQL aggregate. */
export const TIMESERIES_METRIC_SQL: Readonly<Record<TimeseriesMetric, { subject: FilterSubject; aggregate: string }>> = {
  conversations: { subject: 'conversations', aggregate: 'count(*)' },
  turns: { subject: 'turns', aggregate: 'count(*)' },
  llm_calls: { subject: 'llm_calls', aggregate: 'count(*)' },
  cost_usd: { subject: 'turns', aggregate: 'sum(r.cost_usd)' },
  errors: { subject: 'turns', aggregate: `count(*) FILTER (WHERE r.status = 'error')` },
  turn_p95_ms: { subject: 'turns', aggregate: 'percentile_cont(0.95) WITHIN GROUP (ORDER BY r.duration_ms)' },
};

