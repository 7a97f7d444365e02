// `traces`: one row per trace the ingest has seen, the state a turn is built from (a turn is
// its trace, DESIGN.md §2); and the `turns` view, the traces that belong to a conversation.
import { IDENTITY_COLUMNS, SUM_COLUMNS, VOICE_TURN_COLUMNS } from './shared-columns.js';
import { asNullable, column, table, view, type Column, type Columns } from './table.js';

const columns = {
  traceId: column('trace_id', 'text', 'not null'),
  /** The best id candidate (or, with none, the trace id) once the trace has a GenAI span; NULL before. */
  conversationId: column('conversation_id', 'text'),
  /** Best explicit conversation id candidate seen on any span, GenAI or not. */
  conversationCandidate: column('conversation_candidate', 'text'),
  ...IDENTITY_COLUMNS,
  hasGenai: column('has_genai', 'boolean', 'not null'),
  serviceName: column('service_name', 'text'),
  // From the root span (our turn span, or the root of a foreign trace) once it arrived.
  rootSpanId: column('root_span_id', 'text'),
  rootName: column('root_name', 'text'),
  rootIsTurn: column('root_is_turn', 'boolean'),
  rootStartedAt: column('root_started_at', 'timestamptz'),
  rootEndedAt: column('root_ended_at', 'timestamptz'),
  rootDurationUs: column('root_duration_us', 'bigint'),
  rootStatus: column('root_status', 'text'),
  errorType: column('error_type', 'text'),
  errorMessage: column('error_message', 'text'),
  turnIndex: column('turn_index', 'integer'),
  intent: column('intent', 'text'),
  classification: column('classification', 'text'),
  interrupted: column('interrupted', 'boolean'),
  perceivedLatencyMs: column('perceived_latency_ms', 'double precision'),
  /** Root timings when known, else the span extent seen so far. */
  startedAt: column('started_at', 'timestamptz'),
  endedAt: column('ended_at', 'timestamptz'),
  durationMs: column('duration_ms', 'double precision'),
  /** Root status when known, else error if any step or LLM call failed. */
  status: column('status', 'text', 'not null'),
  firstSeenAt: column('first_seen_at', 'timestamptz'),
  lastSeenAt: column('last_seen_at', 'timestamptz'),
  userInput: column('user_input', 'text'),
  userInputRank: column('user_input_rank', 'integer'),
  userInputAtUs: column('user_input_at_us', 'bigint'),
  agentOutput: column('agent_output', 'text'),
  agentOutputRank: column('agent_output_rank', 'integer'),
  agentOutputAtUs: column('agent_output_at_us', 'bigint'),
  dbSystem: column('db_system', 'text'),
  ...SUM_COLUMNS,
  /** Provider calls only (`billing = 'call'`). */
  billableCalls: column('billable_calls', 'integer', 'not null'),
  steps: column('steps', 'integer', 'not null'),
  stepErrors: column('step_errors', 'integer', 'not null'),
  /** The agent span standing in as this trace's LLM call while it has no billable call. */
  fallbackSpanId: column('fallback_span_id', 'text'),
  fallbackStartedAtUs: column('fallback_started_at_us', 'bigint'),
  /** Turn spans inside the trace (LiveKit, Pipecat: a call per trace); NULL when the trace is one turn. */
  turnCount: column('turn_count', 'integer'),
  /** Of those, the ones whose status is error. */
  turnErrors: column('turn_errors', 'integer'),
  /** The voice facts of all its spans, merged (markers, interruptions, stage delays); NULL when none. */
  voiceFacts: column('voice_facts', 'jsonb'),
  ...VOICE_TURN_COLUMNS,
} as const;

/** `traces`, keyed by trace id. */
export const TRACES = table('traces', columns, ['traceId']);

const c = TRACES.columns;
const shown = <K extends keyof typeof c>(...keys: K[]) =>
  Object.fromEntries(keys.map((key) => [key, asNullable(c[key] as Column)])) as { readonly [P in K]: (typeof c)[P] };

/**
 * `turns`: one row per turn of a conversation, without the merge bookkeeping: a trace that is
 * its turn (`turnSpanId` NULL), or a turn span inside a trace (`trace_turns`).
 */
export const TURNS = view('turns', {
  ...shown('traceId'),
  /** The turn span inside the trace; NULL when the trace is the turn. */
  turnSpanId: column('turn_span_id', 'text'),
  /** The turn in one column: the trace id, or the turn span id of a turn inside a trace. */
  turnId: column('turn_id', 'text'),
  ...shown('conversationId', 'conversationIdKey', 'userId', 'sessionId', 'serviceName', 'rootSpanId'),
  /** The root span's name. */
  name: column('name', 'text'),
  /** Whether the root is convotel's turn span. */
  hasTurnSpan: column('has_turn_span', 'boolean'),
  ...shown('turnIndex', 'intent', 'classification', 'interrupted', 'perceivedLatencyMs', 'startedAt', 'endedAt', 'durationMs', 'status'),
  ...shown('errorType', 'errorMessage', 'firstSeenAt', 'lastSeenAt', 'userInput', 'agentOutput', 'dbSystem'),
  ...shown('llmCalls', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'),
  ...shown('llmCostUsd', 'sttCostUsd', 'ttsCostUsd', 'otherCostUsd', 'costUsd', 'llmErrors', 'steps', 'stepErrors', 'sqlQueries', 'sqlRows'),
  ...shown(...(Object.keys(VOICE_TURN_COLUMNS) as (keyof typeof VOICE_TURN_COLUMNS)[])),
} satisfies Columns);

const turnColumns = {
  traceId: column('trace_id', 'text', 'not null'),
  turnSpanId: column('turn_span_id', 'text', 'not null'),
  name: column('name', 'text', 'not null'),
  turnIndex: column('turn_index', 'integer'),
  startedAt: column('started_at', 'timestamptz', 'not null'),
  endedAt: column('ended_at', 'timestamptz', 'not null'),
  durationMs: column('duration_ms', 'double precision', 'not null'),
  status: column('status', 'text', 'not null'),
  errorType: column('error_type', 'text'),
  errorMessage: column('error_message', 'text'),
  interrupted: column('interrupted', 'boolean'),
  perceivedLatencyMs: column('perceived_latency_ms', 'double precision'),
  userInput: column('user_input', 'text'),
  agentOutput: column('agent_output', 'text'),
  ...SUM_COLUMNS,
  steps: column('steps', 'integer', 'not null'),
  stepErrors: column('step_errors', 'integer', 'not null'),
  ...VOICE_TURN_COLUMNS,
} as const;

/** `trace_turns`: one row per turn span inside a trace, recomputed from the stored rows of its trace. */
export const TRACE_TURNS = table('trace_turns', turnColumns, ['traceId', 'turnSpanId']);

/** `span_edges`: every span of a framework that puts a call in one trace, with its parent, to find each span's turn. */
export const SPAN_EDGES = table(
  'span_edges',
  {
    traceId: column('trace_id', 'text', 'not null'),
    spanId: column('span_id', 'text', 'not null'),
    parentSpanId: column('parent_span_id', 'text'),
    name: column('name', 'text', 'not null'),
    /** A framework turn span (LiveKit `agent_turn`, Pipecat `turn`). */
    isTurn: column('is_turn', 'boolean', 'not null'),
    startedAt: column('started_at', 'timestamptz', 'not null'),
    endedAt: column('ended_at', 'timestamptz', 'not null'),
    /** What the span says about its turn (a turn span's index, status, texts; voice markers, stage delays, interruptions); NULL when nothing. */
    facts: column('facts', 'jsonb'),
  },
  ['traceId', 'spanId'],
);
