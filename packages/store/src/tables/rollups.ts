// Hourly rollups, so dashboards over weeks never scan raw rows (and steps by day beside them,
// migration 0004). Retention keeps them.
import { ROLLUP_MEASURE_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** `llm_hourly`: counted LLM calls by hour, provider, model, call type and status. */
export const LLM_HOURLY = table(
  'llm_hourly',
  {
    hour: column('hour', 'timestamptz', 'not null'),
    provider: column('provider', 'text', 'not null'),
    /** Response model, else request model (`''` when neither is known). */
    model: column('model', 'text', 'not null'),
    callType: column('call_type', 'text', 'not null'),
    status: column('status', 'text', 'not null'),
    ...ROLLUP_MEASURE_COLUMNS,
    inputTokens: column('input_tokens', 'bigint', 'not null'),
    outputTokens: column('output_tokens', 'bigint', 'not null'),
    cacheReadTokens: column('cache_read_tokens', 'bigint', 'not null'),
    cacheWriteTokens: column('cache_write_tokens', 'bigint', 'not null'),
    reasoningTokens: column('reasoning_tokens', 'bigint', 'not null'),
    ttftSumMs: column('ttft_sum_ms', 'numeric', 'not null'),
    ttftCount: column('ttft_count', 'bigint', 'not null'),
  },
  ['hour', 'provider', 'model', 'callType', 'status'],
);

/** `step_hourly`: steps by hour, kind and name. */
export const STEP_HOURLY = table(
  'step_hourly',
  {
    hour: column('hour', 'timestamptz', 'not null'),
    kind: column('kind', 'text', 'not null'),
    name: column('name', 'text', 'not null'),
    ...ROLLUP_MEASURE_COLUMNS,
  },
  ['hour', 'kind', 'name'],
);

const { count, errors, costUsd, latencySumMs, latencyMinMs, latencyMaxMs, latencyBucketIndex, latencyBucketCount } = ROLLUP_MEASURE_COLUMNS;

/**
 * `step_daily`: `step_hourly` by UTC day, without the coarse buckets (the fine histogram answers).
 * Extremes stay: a step row is never taken out of a rollup.
 */
export const STEP_DAILY = table(
  'step_daily',
  {
    day: column('day', 'timestamptz', 'not null'),
    kind: column('kind', 'text', 'not null'),
    name: column('name', 'text', 'not null'),
    count,
    errors,
    costUsd,
    latencySumMs,
    latencyMinMs,
    latencyMaxMs,
    latencyBucketIndex,
    latencyBucketCount,
  },
  ['day', 'kind', 'name'],
);
