// The rollups window questions read instead of raw rows (migration 0003): conversations and turns
// by hour (turns by day too), service, agent and channel; LLM calls by day beside llm_hourly; and
// LLM usage by user, session and function per day. Days and hours are UTC. Retention keeps them.
// A window over days reads whole days from the daily tables, the hours around them from the
// hourly ones, and the partial hours at its ends from raw rows.
import { fineHistogramColumns, ROLLUP_MEASURE_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** The dimensions of conversation and turn rollups (`''` where unknown: an agent and a channel arrive with the conversation span). */
const CONVERSATION_DIMENSIONS = {
  serviceName: column('service_name', 'text', 'not null'),
  agentName: column('agent_name', 'text', 'not null'),
  channel: column('channel', 'text', 'not null'),
} as const;

/** What a turn rollup row measures. */
const TURN_MEASURES = {
  turns: column('turns', 'bigint', 'not null'),
  /** Turns whose status is error. */
  errors: column('errors', 'bigint', 'not null'),
  interruptions: column('interruptions', 'bigint', 'not null'),
  llmCostUsd: column('llm_cost_usd', 'numeric', 'not null'),
  sttCostUsd: column('stt_cost_usd', 'numeric', 'not null'),
  ttsCostUsd: column('tts_cost_usd', 'numeric', 'not null'),
  otherCostUsd: column('other_cost_usd', 'numeric', 'not null'),
  /** LLM + STT + TTS + other. */
  costUsd: column('cost_usd', 'numeric', 'not null'),
  durationSumMs: column('duration_sum_ms', 'numeric', 'not null'),
  // Turn durations; SLA violations are read from them for any threshold.
  ...fineHistogramColumns('duration'),
  /** Turns with a perceived latency. */
  perceivedCount: column('perceived_count', 'bigint', 'not null'),
  perceivedSumMs: column('perceived_sum_ms', 'numeric', 'not null'),
  ...fineHistogramColumns('perceived'),
} as const;

/** `turn_hourly`: the turns of conversations by the hour they started in, their trace's service and their conversation's agent and channel. */
export const TURN_HOURLY = table(
  'turn_hourly',
  { hour: column('hour', 'timestamptz', 'not null'), ...CONVERSATION_DIMENSIONS, ...TURN_MEASURES },
  ['hour', 'serviceName', 'agentName', 'channel'],
);

/** `turn_daily`: `turn_hourly` by day. */
export const TURN_DAILY = table(
  'turn_daily',
  { day: column('day', 'timestamptz', 'not null'), ...CONVERSATION_DIMENSIONS, ...TURN_MEASURES },
  ['day', 'serviceName', 'agentName', 'channel'],
);

/** `conversation_hourly`: conversations by the hour they started in (first span seen), their service, agent, channel and status. */
export const CONVERSATION_HOURLY = table(
  'conversation_hourly',
  {
    hour: column('hour', 'timestamptz', 'not null'),
    ...CONVERSATION_DIMENSIONS,
    /** `active`, `completed` or `error`. */
    status: column('status', 'text', 'not null'),
    conversations: column('conversations', 'bigint', 'not null'),
  },
  ['hour', 'serviceName', 'agentName', 'channel', 'status'],
);

const { count, errors, costUsd, latencySumMs, latencyBucketIndex, latencyBucketCount } = ROLLUP_MEASURE_COLUMNS;

/** `llm_daily`: `llm_hourly` by day (no extremes or coarse buckets: the fine histogram answers). */
export const LLM_DAILY = table(
  'llm_daily',
  {
    day: column('day', 'timestamptz', 'not null'),
    provider: column('provider', 'text', 'not null'),
    /** Response model, else request model (`''` when neither is known). */
    model: column('model', 'text', 'not null'),
    callType: column('call_type', 'text', 'not null'),
    status: column('status', 'text', 'not null'),
    count,
    errors,
    costUsd,
    latencySumMs,
    latencyBucketIndex,
    latencyBucketCount,
    inputTokens: column('input_tokens', 'bigint', 'not null'),
    outputTokens: column('output_tokens', 'bigint', 'not null'),
    cacheReadTokens: column('cache_read_tokens', 'bigint', 'not null'),
    cacheWriteTokens: column('cache_write_tokens', 'bigint', 'not null'),
    reasoningTokens: column('reasoning_tokens', 'bigint', 'not null'),
    ttftSumMs: column('ttft_sum_ms', 'numeric', 'not null'),
    ttftCount: column('ttft_count', 'bigint', 'not null'),
  },
  ['day', 'provider', 'model', 'callType', 'status'],
);

/** What `usage_daily` rows are keyed by besides the day. */
export const USAGE_DIMENSIONS = ['user', 'session', 'function'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/** What a usage rollup row measures. */
const USAGE_MEASURES = {
  calls: column('calls', 'bigint', 'not null'),
  errors: column('errors', 'bigint', 'not null'),
  inputTokens: column('input_tokens', 'bigint', 'not null'),
  outputTokens: column('output_tokens', 'bigint', 'not null'),
  cacheReadTokens: column('cache_read_tokens', 'bigint', 'not null'),
  cacheWriteTokens: column('cache_write_tokens', 'bigint', 'not null'),
  reasoningTokens: column('reasoning_tokens', 'bigint', 'not null'),
  costUsd: column('cost_usd', 'numeric', 'not null'),
  latencySumMs: column('latency_sum_ms', 'numeric', 'not null'),
  ttftSumMs: column('ttft_sum_ms', 'numeric', 'not null'),
  ttftCount: column('ttft_count', 'bigint', 'not null'),
  // Call latencies (migration 0006): percentiles by user, session and function over days.
  ...fineHistogramColumns('latency'),
} as const;

/** What a usage rollup row is keyed by besides its time. */
const USAGE_KEY = {
  /** `user`, `session` or `function`. */
  dimension: column('dimension', 'text', 'not null'),
  key: column('key', 'text', 'not null'),
} as const;

/**
 * `usage_daily`: counted LLM calls by UTC day and, for each dimension, its key (the call's user
 * id, session id or function name; `''` for calls without one), with a fine latency histogram.
 */
export const USAGE_DAILY = table(
  'usage_daily',
  {
    /** Start of the UTC day. */
    day: column('day', 'timestamptz', 'not null'),
    ...USAGE_KEY,
    ...USAGE_MEASURES,
  },
  ['day', 'dimension', 'key'],
);

/**
 * `usage_hourly` (migration 0008): `usage_daily` by UTC hour, what a window over days reads for
 * the whole hours around its whole days.
 */
export const USAGE_HOURLY = table(
  'usage_hourly',
  {
    /** Start of the UTC hour. */
    hour: column('hour', 'timestamptz', 'not null'),
    ...USAGE_KEY,
    ...USAGE_MEASURES,
  },
  ['hour', 'dimension', 'key'],
);
