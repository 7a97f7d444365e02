// `conversations`: one row per conversation id, summed from its turns and completed by its
// conversation span when that arrives.
import { IDENTITY_COLUMNS, SUM_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** `conversations`, keyed by conversation id. */
export const CONVERSATIONS = table(
  'conversations',
  {
    conversationId: column('conversation_id', 'text', 'not null'),
    ...IDENTITY_COLUMNS,
    serviceName: column('service_name', 'text'),
    agentName: column('agent_name', 'text'),
    channel: column('channel', 'text'),
    startedAt: column('started_at', 'timestamptz'),
    endedAt: column('ended_at', 'timestamptz'),
    firstSeenAt: column('first_seen_at', 'timestamptz'),
    lastSeenAt: column('last_seen_at', 'timestamptz'),
    durationMs: column('duration_ms', 'double precision'),
    /** `active` until the conversation span arrives; then `completed` or `error`. */
    status: column('status', 'text', 'not null'),
    endReason: column('end_reason', 'text'),
    errorType: column('error_type', 'text'),
    errorMessage: column('error_message', 'text'),
    hasConversationSpan: column('has_conversation_span', 'boolean', 'not null'),
    conversationTraceId: column('conversation_trace_id', 'text'),
    conversationSpanId: column('conversation_span_id', 'text'),
    conversationStartedAt: column('conversation_started_at', 'timestamptz'),
    turns: column('turns', 'integer', 'not null'),
    ...SUM_COLUMNS,
    /** Turns whose status is error. */
    errors: column('errors', 'integer', 'not null'),
    successRate: column('success_rate', 'double precision'),
    // User input / agent output of the latest turn that has one.
    lastUserInput: column('last_user_input', 'text'),
    lastUserInputAtUs: column('last_user_input_at_us', 'bigint'),
    lastUserInputTraceId: column('last_user_input_trace_id', 'text'),
    lastAgentOutput: column('last_agent_output', 'text'),
    lastAgentOutputAtUs: column('last_agent_output_at_us', 'bigint'),
    lastAgentOutputTraceId: column('last_agent_output_trace_id', 'text'),
    metadata: column('metadata', 'jsonb'),
    // Whole-call cost: the conversation span's telephony, priced per minute of the call.
    /** `twilio`, `telnyx`, `vonage`, `livekit_sip`, … */
    telephonyProvider: column('telephony_provider', 'text'),
    /** `inbound` or `outbound`. */
    telephonyDirection: column('telephony_direction', 'text'),
    /** Billed minutes: the carrier's when the span says, else the call's duration rounded up as the carrier bills. */
    telephonyMinutes: column('telephony_minutes', 'double precision'),
    telephonyCostUsd: column('telephony_cost_usd', 'numeric'),
    /** `cost_usd` (the turns' LLM, STT, TTS and other cost) plus telephony. */
    callCostUsd: column('call_cost_usd', 'numeric'),
  },
  ['conversationId'],
);
