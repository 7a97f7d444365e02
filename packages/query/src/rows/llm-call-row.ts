// An LLM call as the API shows it; its columns are selected here only.
import { isoText } from '../sql.js';
import { toJson, toNumberOrNull, toText } from '../values.js';

export interface LlmCallItem {
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id: string | null;
  readonly conversation_id: string | null;
  readonly user_id: string | null;
  readonly session_id: string | null;
  readonly provider: string | null;
  readonly request_model: string | null;
  readonly response_model: string | null;
  /** Response model, else the requested one. */
  readonly model: string | null;
  readonly operation: string;
  readonly call_type: string;
  readonly function_name: string | null;
  readonly tags: unknown;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly cache_read_tokens: number | null;
  readonly cache_write_tokens: number | null;
  readonly reasoning_tokens: number | null;
  readonly usage_estimated: boolean;
  readonly cost_usd: number | null;
  readonly cost_source: string | null;
  readonly started_at: string;
  readonly ended_at: string;
  readonly duration_ms: number;
  readonly ttft_ms: number | null;
  readonly finish_reason: string | null;
  readonly status: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
  /** call, or agent_fallback (an agent span standing in for calls its trace does not show). */
  readonly billing: string;
  readonly input_messages: unknown;
  readonly output_messages: unknown;
  readonly attributes: unknown;
  readonly flavour: string;
}

/** Columns of `llm_calls` aliased `l`. */
export const LLM_CALL_COLUMNS = `l.trace_id, l.span_id, l.parent_span_id, l.conversation_id, l.user_id, l.session_id, l.provider,
  l.request_model, l.response_model, l.operation, l.call_type, l.function_name, l.tags, l.input_tokens, l.output_tokens,
  l.cache_read_tokens, l.cache_write_tokens, l.reasoning_tokens, l.usage_estimated, l.cost_usd, l.cost_source,
  ${isoText('l.started_at')} AS started_at, ${isoText('l.ended_at')} AS ended_at, l.duration_ms, l.ttft_ms, l.finish_reason,
  l.status, l.error_type, l.error_message, l.billing, l.input_messages, l.output_messages, l.attributes, l.flavour`;

export function toLlmCallItem(row: Record<string, unknown>): LlmCallItem {
  const responseModel = toText(row['response_model']);
  const requestModel = toText(row['request_model']);
  return {
    trace_id: String(row['trace_id']),
    span_id: String(row['span_id']),
    parent_span_id: toText(row['parent_span_id']),
    conversation_id: toText(row['conversation_id']),
    user_id: toText(row['user_id']),
    session_id: toText(row['session_id']),
    provider: toText(row['provider']),
    request_model: requestModel,
    response_model: responseModel,
    model: responseModel ?? requestModel,
    operation: String(row['operation']),
    call_type: String(row['call_type']),
    function_name: toText(row['function_name']),
    tags: toJson(row['tags']),
    input_tokens: toNumberOrNull(row['input_tokens']),
    output_tokens: toNumberOrNull(row['output_tokens']),
    cache_read_tokens: toNumberOrNull(row['cache_read_tokens']),
    cache_write_tokens: toNumberOrNull(row['cache_write_tokens']),
    reasoning_tokens: toNumberOrNull(row['reasoning_tokens']),
    usage_estimated: row['usage_estimated'] === true,
    cost_usd: toNumberOrNull(row['cost_usd']),
    cost_source: toText(row['cost_source']),
    started_at: String(row['started_at']),
    ended_at: String(row['ended_at']),
    duration_ms: toNumberOrNull(row['duration_ms']) ?? 0,
    ttft_ms: toNumberOrNull(row['ttft_ms']),
    finish_reason: toText(row['finish_reason']),
    status: String(row['status']),
    error_type: toText(row['error_type']),
    error_message: toText(row['error_message']),
    billing: String(row['billing']),
    input_messages: toJson(row['input_messages']),
    output_messages: toJson(row['output_messages']),
    attributes: toJson(row['attributes']),
    flavour: String(row['flavour']),
  };
}
