// `llm_calls`: one row per billable LLM call (and per agent span standing in for missing ones,
// and per second layer's span of a call, billed as a duplicate).
import { PROVENANCE_COLUMNS, SPAN_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** `llm_calls`, keyed by (trace_id, span_id, started_at), partitioned by week of started_at (a span's start never changes). */
export const LLM_CALLS = table(
  'llm_calls',
  {
    ...SPAN_COLUMNS,
    userId: column('user_id', 'text'),
    sessionId: column('session_id', 'text'),
    /** `call`: a provider call; `agent_fallback`: an agent span standing in; `duplicate`: another layer's span bills it. */
    billing: column('billing', 'text', 'not null'),
    /** The span of the call's other layer, when two instrumentations traced it. */
    twinSpanId: column('twin_span_id', 'text'),
    spanName: column('span_name', 'text', 'not null'),
    provider: column('provider', 'text'),
    requestModel: column('request_model', 'text'),
    responseModel: column('response_model', 'text'),
    operation: column('operation', 'text', 'not null'),
    callType: column('call_type', 'text', 'not null'),
    functionName: column('function_name', 'text'),
    tags: column('tags', 'jsonb'),
    responseId: column('response_id', 'text'),
    inputTokens: column('input_tokens', 'bigint'),
    outputTokens: column('output_tokens', 'bigint'),
    cacheReadTokens: column('cache_read_tokens', 'bigint'),
    cacheWriteTokens: column('cache_write_tokens', 'bigint'),
    reasoningTokens: column('reasoning_tokens', 'bigint'),
    audioInputTokens: column('audio_input_tokens', 'bigint'),
    audioOutputTokens: column('audio_output_tokens', 'bigint'),
    totalTokens: column('total_tokens', 'bigint'),
    usageEstimated: column('usage_estimated', 'boolean', 'not null'),
    costUsd: column('cost_usd', 'numeric'),
    /** `reported` (the span carried it) or `computed` (from the price table at ingest). */
    costSource: column('cost_source', 'text'),
    startedAt: column('started_at', 'timestamptz', 'not null'),
    endedAt: column('ended_at', 'timestamptz', 'not null'),
    durationMs: column('duration_ms', 'double precision', 'not null'),
    ttftMs: column('ttft_ms', 'double precision'),
    finishReason: column('finish_reason', 'text'),
    status: column('status', 'text', 'not null'),
    errorType: column('error_type', 'text'),
    errorMessage: column('error_message', 'text'),
    temperature: column('temperature', 'double precision'),
    maxTokens: column('max_tokens', 'bigint'),
    inputMessages: column('input_messages', 'jsonb'),
    outputMessages: column('output_messages', 'jsonb'),
    systemInstructions: column('system_instructions', 'jsonb'),
    ...PROVENANCE_COLUMNS,
  },
  ['traceId', 'spanId', 'startedAt'],
  'startedAt',
);
