// The rollups window questions read instead of raw rows (migration 0003): turns by hour, service,
// agent and channel, and LLM usage by user, session and function per day. Retention keeps them.
import { fineHistogramColumns } from './shared-columns.js';
import { column, table } from './table.js';

/**
 * `turn_hourly`: the turns of conversations by the UTC hour they started in, the trace's service
 * and its conversation's agent and channel (`''` where unknown: an agent and a channel arrive
 * with the conversation span).
 */
export const TURN_HOURLY = table(
  'turn_hourly',
  {
    hour: column('hour', 'timestamptz', 'not null'),
    serviceName: column('service_name', 'text', 'not null'),
    agentName: column('agent_name', 'text', 'not null'),
    channel: column('channel', 'text', 'not null'),
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
  },
  ['hour', 'serviceName', 'agentName', 'channel'],
);

/** What `usage_daily` rows are keyed by besides the day. */
export const USAGE_DIMENSIONS = ['user', 'session', 'function'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/**
 * `usage_daily`: counted LLM calls by UTC day and, for each dimension, its key (the call's user
 * id, session id or function name; `''` for calls without one).
 */
export const USAGE_DAILY = table(
  'usage_daily',
  {
    /** Start of the UTC day. */
    day: column('day', 'timestamptz', 'not null'),
    /** `user`, `session` or `function`. */
    dimension: column('dimension', 'text', 'not null'),
    key: column('key', 'text', 'not null'),
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
  },
  ['day', 'dimension', 'key'],
);
