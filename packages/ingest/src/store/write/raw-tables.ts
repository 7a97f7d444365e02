// Column specs of the raw tables (llm_calls, steps, db_queries, events): how a normalized row
// plus its trace's ids becomes one row of SQL values. Keep in step with migrations/.
import type { DbQueryRow, EventRow, LlmCallRow, SpanRowBase, StepRow } from '../../normalize/rows.js';
import { float, int, json, millis, money, text, timestamp } from '../columns/to-sql.js';
import type { BulkColumn, BulkInsert, SqlType, SqlValue } from '@convotel/store';

/** The conversation, user and session of a trace (the same for all its rows). */
export interface TraceIds {
  readonly conversationId: string | undefined;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
}

/** A row with its trace's ids. */
export interface WithIds<R> {
  readonly row: R;
  readonly ids: TraceIds;
}

type Spec<R> = readonly BulkColumn<R>[];

function column<R>(name: string, type: SqlType, get: (row: R) => SqlValue): BulkColumn<R> {
  return { name, type, get };
}

const SPAN_KEY = ['trace_id', 'span_id'] as const;

// Columns every span table has, whatever the span's role.
const SPAN_IDENTITY_COLUMNS: Spec<WithIds<SpanRowBase>> = [
  column('trace_id', 'text', ({ row }) => row.traceId),
  column('span_id', 'text', ({ row }) => row.spanId),
  column('parent_span_id', 'text', ({ row }) => text(row.parentSpanId)),
  column('conversation_id', 'text', ({ ids }) => text(ids.conversationId)),
];

const SPAN_PROVENANCE_COLUMNS: Spec<WithIds<SpanRowBase & Pick<StepRow, 'attributes' | 'sourceKeys'>>> = [
  column('attributes', 'jsonb', ({ row }) => json(row.attributes) ?? '{}'),
  column('source_keys', 'jsonb', sourceKeysJson()),
  column('scope_name', 'text', ({ row }) => row.scopeName),
  column('scope_version', 'text', ({ row }) => text(row.scopeVersion)),
  column('flavour', 'text', ({ row }) => row.flavour),
  column('service_name', 'text', ({ row }) => text(row.serviceName)),
];

/**
 * The `source_keys` text, reused while consecutive rows name the same keys: they nearly always
 * do (one set per instrumentation and span kind), and stringifying it was a tenth of encoding.
 */
function sourceKeysJson(): (item: WithIds<Pick<StepRow, 'sourceKeys'>>) => SqlValue {
  let last: Readonly<Record<string, string>> = {};
  let lastText = '{}';
  return ({ row }) => {
    const keys = row.sourceKeys;
    if (keys !== last && !hasSameEntries(keys, last)) lastText = JSON.stringify(keys);
    last = keys;
    return lastText;
  };
}

function hasSameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || a[key] !== b[key]) return false;
    count += 1;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count -= 1;
  return count === 0;
}

const LLM_CALL_COLUMNS: Spec<WithIds<LlmCallRow>> = [
  ...SPAN_IDENTITY_COLUMNS,
  column('user_id', 'text', ({ ids }) => text(ids.userId)),
  column('session_id', 'text', ({ ids }) => text(ids.sessionId)),
  column('billing', 'text', ({ row }) => row.billing),
  column('twin_span_id', 'text', ({ row }) => text(row.twinSpanId)),
  column('span_name', 'text', ({ row }) => row.name),
  column('provider', 'text', ({ row }) => text(row.provider)),
  column('request_model', 'text', ({ row }) => text(row.requestModel)),
  column('response_model', 'text', ({ row }) => text(row.responseModel)),
  column('operation', 'text', ({ row }) => row.operation),
  column('call_type', 'text', ({ row }) => row.callType),
  column('function_name', 'text', ({ row }) => text(row.functionName)),
  column('tags', 'jsonb', ({ row }) => json(row.tags)),
  column('response_id', 'text', ({ row }) => text(row.responseId)),
  column('input_tokens', 'bigint', ({ row }) => int(row.inputTokens)),
  column('output_tokens', 'bigint', ({ row }) => int(row.outputTokens)),
  column('cache_read_tokens', 'bigint', ({ row }) => int(row.cacheReadTokens)),
  column('cache_write_tokens', 'bigint', ({ row }) => int(row.cacheWriteTokens)),
  column('reasoning_tokens', 'bigint', ({ row }) => int(row.reasoningTokens)),
  column('audio_input_tokens', 'bigint', ({ row }) => int(row.audioInputTokens)),
  column('audio_output_tokens', 'bigint', ({ row }) => int(row.audioOutputTokens)),
  column('total_tokens', 'bigint', ({ row }) => int(row.totalTokens)),
  column('usage_estimated', 'boolean', ({ row }) => row.isUsageEstimated),
  column('cost_usd', 'numeric', ({ row }) => money(row.costPicos)),
  column('cost_source', 'text', ({ row }) => text(row.costSource)),
  column('started_at', 'timestamptz', ({ row }) => timestamp(row.startedAt)),
  column('ended_at', 'timestamptz', ({ row }) => timestamp(row.endedAt)),
  column('duration_ms', 'double precision', ({ row }) => millis(row.durationUs)),
  column('ttft_ms', 'double precision', ({ row }) => float(row.ttftMs)),
  column('finish_reason', 'text', ({ row }) => text(row.finishReason)),
  column('status', 'text', ({ row }) => row.status),
  column('error_type', 'text', ({ row }) => text(row.errorType)),
  column('error_message', 'text', ({ row }) => text(row.errorMessage)),
  column('temperature', 'double precision', ({ row }) => float(row.temperature)),
  column('max_tokens', 'bigint', ({ row }) => int(row.maxTokens)),
  column('input_messages', 'jsonb', ({ row }) => json(row.inputMessages)),
  column('output_messages', 'jsonb', ({ row }) => json(row.outputMessages)),
  column('system_instructions', 'jsonb', ({ row }) => json(row.systemInstructions)),
  ...SPAN_PROVENANCE_COLUMNS,
];

const STEP_COLUMNS: Spec<WithIds<StepRow>> = [
  ...SPAN_IDENTITY_COLUMNS,
  column('kind', 'text', ({ row }) => row.kind),
  column('name', 'text', ({ row }) => row.stepName),
  column('span_name', 'text', ({ row }) => row.name),
  column('started_at', 'timestamptz', ({ row }) => timestamp(row.startedAt)),
  column('ended_at', 'timestamptz', ({ row }) => timestamp(row.endedAt)),
  column('duration_ms', 'double precision', ({ row }) => millis(row.durationUs)),
  column('status', 'text', ({ row }) => row.status),
  column('error_type', 'text', ({ row }) => text(row.errorType)),
  column('error_message', 'text', ({ row }) => text(row.errorMessage)),
  column('operation', 'text', ({ row }) => text(row.operation)),
  column('provider', 'text', ({ row }) => text(row.provider)),
  column('model', 'text', ({ row }) => text(row.model)),
  column('tool_name', 'text', ({ row }) => text(row.toolName)),
  column('stt_audio_seconds', 'double precision', ({ row }) => float(row.sttAudioSeconds)),
  column('stt_confidence', 'double precision', ({ row }) => float(row.sttConfidence)),
  column('stt_language', 'text', ({ row }) => text(row.sttLanguage)),
  column('tts_characters', 'bigint', ({ row }) => int(row.ttsCharacters)),
  column('tts_voice', 'text', ({ row }) => text(row.ttsVoice)),
  column('tts_audio_seconds', 'double precision', ({ row }) => float(row.ttsAudioSeconds)),
  column('tts_ttfb_ms', 'double precision', ({ row }) => float(row.ttsTtfbMs)),
  column('cost_usd', 'numeric', ({ row }) => money(row.costPicos)),
  column('cost_source', 'text', ({ row }) => text(row.costSource)),
  column('cost_category', 'text', ({ row }) => text(row.costCategory)),
  ...SPAN_PROVENANCE_COLUMNS,
];

const DB_QUERY_COLUMNS: Spec<WithIds<DbQueryRow>> = [
  ...SPAN_IDENTITY_COLUMNS,
  column('system', 'text', ({ row }) => row.system),
  column('db_name', 'text', ({ row }) => text(row.dbName)),
  column('operation', 'text', ({ row }) => text(row.operation)),
  column('statement', 'text', ({ row }) => text(row.statement)),
  column('started_at', 'timestamptz', ({ row }) => timestamp(row.startedAt)),
  column('duration_ms', 'double precision', ({ row }) => millis(row.durationUs)),
  column('returned_rows', 'bigint', ({ row }) => int(row.returnedRows)),
  column('status', 'text', ({ row }) => row.status),
  column('error_type', 'text', ({ row }) => text(row.errorType)),
  column('error_message', 'text', ({ row }) => text(row.errorMessage)),
  column('scope_name', 'text', ({ row }) => row.scopeName),
  column('service_name', 'text', ({ row }) => text(row.serviceName)),
];

const EVENT_COLUMNS: Spec<WithIds<EventRow>> = [
  column('event_id', 'text', ({ row }) => row.eventId),
  column('time', 'timestamptz', ({ row }) => timestamp(row.time)),
  column('severity_number', 'integer', ({ row }) => int(row.severityNumber)),
  column('severity_text', 'text', ({ row }) => text(row.severityText)),
  column('name', 'text', ({ row }) => text(row.name)),
  column('component', 'text', ({ row }) => text(row.component)),
  column('message', 'text', ({ row }) => text(row.message)),
  column('body', 'jsonb', ({ row }) => json(row.body)),
  column('attributes', 'jsonb', ({ row }) => json(row.attributes) ?? '{}'),
  column('conversation_id', 'text', ({ ids }) => text(ids.conversationId)),
  column('trace_id', 'text', ({ row }) => text(row.traceId)),
  column('span_id', 'text', ({ row }) => text(row.spanId)),
  column('content_kind', 'text', ({ row }) => text(row.contentKind)),
  column('content', 'jsonb', ({ row }) => json(row.content)),
  column('scope_name', 'text', ({ row }) => row.scopeName),
  column('service_name', 'text', ({ row }) => text(row.serviceName)),
];

function toBulkInsert<R>(table: string, columns: Spec<R>, conflictKey: readonly string[], rows: readonly R[]): BulkInsert<R> {
  return { table, columns, rows, conflictKey, returning: conflictKey };
}

/** Bulk insert of `llm_calls` rows. */
export function llmCallsInsert(rows: readonly WithIds<LlmCallRow>[]): BulkInsert<WithIds<LlmCallRow>> {
  return toBulkInsert('llm_calls', LLM_CALL_COLUMNS, SPAN_KEY, rows);
}

/** Bulk insert of `steps` rows. */
export function stepsInsert(rows: readonly WithIds<StepRow>[]): BulkInsert<WithIds<StepRow>> {
  return toBulkInsert('steps', STEP_COLUMNS, SPAN_KEY, rows);
}

/** Bulk insert of `db_queries` rows. */
export function dbQueriesInsert(rows: readonly WithIds<DbQueryRow>[]): BulkInsert<WithIds<DbQueryRow>> {
  return toBulkInsert('db_queries', DB_QUERY_COLUMNS, SPAN_KEY, rows);
}

/** Bulk insert of `events` rows. */
export function eventsInsert(rows: readonly WithIds<EventRow>[]): BulkInsert<WithIds<EventRow>> {
  return toBulkInsert('events', EVENT_COLUMNS, ['event_id'], rows);
}

/** Raw tables whose rows carry their trace's ids (updated when a trace's ids change). */
export const TRACE_ID_TABLES = [
  { table: 'llm_calls', columns: ['conversation_id', 'user_id', 'session_id'] },
  { table: 'steps', columns: ['conversation_id'] },
  { table: 'db_queries', columns: ['conversation_id'] },
] as const;
