// Column groups that several tables have alike, specified once.
import { column, type Column } from './table.js';

/** Where a user and a session id came from, on `traces` and `conversations`: the value, the attribute key, its rank. */
export const IDENTITY_COLUMNS = {
  /** Attribute key the conversation id came from (`gen_ai.conversation.id`, `session.id`, …, `trace_id`). */
  conversationIdKey: column('conversation_id_key', 'text'),
  /** The key's rank in the key order: lower is better. */
  conversationIdRank: column('conversation_id_rank', 'integer'),
  userId: column('user_id', 'text'),
  userIdKey: column('user_id_key', 'text'),
  userIdRank: column('user_id_rank', 'integer'),
  sessionId: column('session_id', 'text'),
  sessionIdKey: column('session_id_key', 'text'),
  sessionIdRank: column('session_id_rank', 'integer'),
} as const;

/** Counters of a turn that its conversation sums too (exact: integers and numeric USD). */
export const SUM_COLUMNS = {
  /** LLM calls that count: billable calls, or an agent span standing in for them. */
  llmCalls: column('llm_calls', 'integer', 'not null'),
  inputTokens: column('input_tokens', 'bigint', 'not null'),
  outputTokens: column('output_tokens', 'bigint', 'not null'),
  cacheReadTokens: column('cache_read_tokens', 'bigint', 'not null'),
  cacheWriteTokens: column('cache_write_tokens', 'bigint', 'not null'),
  reasoningTokens: column('reasoning_tokens', 'bigint', 'not null'),
  llmCostUsd: column('llm_cost_usd', 'numeric', 'not null'),
  sttCostUsd: column('stt_cost_usd', 'numeric', 'not null'),
  ttsCostUsd: column('tts_cost_usd', 'numeric', 'not null'),
  otherCostUsd: column('other_cost_usd', 'numeric', 'not null'),
  /** LLM + STT + TTS + other. */
  costUsd: column('cost_usd', 'numeric', 'not null'),
  llmErrors: column('llm_errors', 'integer', 'not null'),
  sqlQueries: column('sql_queries', 'integer', 'not null'),
  sqlRows: column('sql_rows', 'bigint', 'not null'),
} as const;

/** The identity of a span row (`llm_calls`, `steps`, `db_queries`): keyed by (trace_id, span_id). */
export const SPAN_COLUMNS = {
  traceId: column('trace_id', 'text', 'not null'),
  spanId: column('span_id', 'text', 'not null'),
  parentSpanId: column('parent_span_id', 'text'),
  /** The trace's conversation, kept in step when a later span names it. */
  conversationId: column('conversation_id', 'text'),
  /** The turn span the row belongs to in a trace that holds turn spans; NULL when the trace is its turn. */
  turnSpanId: column('turn_span_id', 'text'),
} as const;

/** Where a span row's values came from (`llm_calls`, `steps`). */
export const PROVENANCE_COLUMNS = {
  /** The span's attributes as received (sanitized). */
  attributes: column('attributes', 'jsonb', 'not null'),
  /** Concept → attribute key it was read from (provider → `gen_ai.system`, …). */
  sourceKeys: column('source_keys', 'jsonb', 'not null'),
  scopeName: column('scope_name', 'text', 'not null'),
  scopeVersion: column('scope_version', 'text'),
  /** The instrumentation the span came from (convotel, openllmetry, openinference, …). */
  flavour: column('flavour', 'text', 'not null'),
  serviceName: column('service_name', 'text'),
} as const;

/** What every hourly rollup row measures: counts, cost, and latency as sum, extremes and histogram. */
export const ROLLUP_MEASURE_COLUMNS = {
  count: column('count', 'bigint', 'not null'),
  errors: column('errors', 'bigint', 'not null'),
  costUsd: column('cost_usd', 'numeric', 'not null'),
  latencySumMs: column('latency_sum_ms', 'numeric', 'not null'),
  latencyMinMs: column('latency_min_ms', 'numeric'),
  latencyMaxMs: column('latency_max_ms', 'numeric'),
  /** Counts per `histogram_bounds` 'latency' bucket; the last counts everything above the last bound. */
  latencyBuckets: column('latency_buckets', 'bigint[]', 'not null'),
  ...fineHistogramColumns('latency'),
} as const;

/**
 * The two arrays of a fine histogram (fine-histogram.ts) of `measure`: `<measure>_bucket_index`
 * (ascending bucket indexes) and `<measure>_bucket_count` (their counts).
 */
export function fineHistogramColumns<M extends string>(measure: M) {
  return {
    [`${measure}BucketIndex`]: column(`${measure}_bucket_index`, 'integer[]', 'not null'),
    [`${measure}BucketCount`]: column(`${measure}_bucket_count`, 'bigint[]', 'not null'),
  } as { readonly [K in `${M}BucketIndex`]: Column<'integer[]'> } & { readonly [K in `${M}BucketCount`]: Column<'bigint[]'> };
}

/**
 * The voice turn (docs/voice.md), on `traces` and `trace_turns`: the markers, who interrupted,
 * and voice-to-voice latency with its contributions (integer µs that sum to it exactly).
 */
export const VOICE_TURN_COLUMNS = {
  userSpeechStartedAt: column('user_speech_started_at', 'timestamptz'),
  userSpeechEndedAt: column('user_speech_ended_at', 'timestamptz'),
  agentAudioStartedAt: column('agent_audio_started_at', 'timestamptz'),
  agentAudioEndedAt: column('agent_audio_ended_at', 'timestamptz'),
  /** The agent talked over the user (`interrupted`: the user barged in on the agent). */
  agentInterrupted: column('agent_interrupted', 'boolean'),
  /** End of the user's speech to the agent's first audio, µs. */
  voiceToVoiceUs: column('voice_to_voice_us', 'bigint'),
  v2vEndpointingUs: column('v2v_endpointing_us', 'bigint'),
  v2vTranscriptionUs: column('v2v_transcription_us', 'bigint'),
  v2vLlmTtftUs: column('v2v_llm_ttft_us', 'bigint'),
  v2vToolsUs: column('v2v_tools_us', 'bigint'),
  v2vTtsTtfbUs: column('v2v_tts_ttfb_us', 'bigint'),
  v2vPipelineGapsUs: column('v2v_pipeline_gaps_us', 'bigint'),
  v2vUnattributedUs: column('v2v_unattributed_us', 'bigint'),
  /** The stage with the largest contribution (a `VOICE_STAGES` name). */
  v2vDominantStage: column('v2v_dominant_stage', 'text'),
  /** What measured it: `markers` (timestamps), `spans` (stage spans), `reported` (a framework's figures). */
  v2vSource: column('v2v_source', 'text'),
  /** The LLM whose time to first token is on the critical path. */
  v2vModel: column('v2v_model', 'text'),
  v2vProvider: column('v2v_provider', 'text'),
} as const;
