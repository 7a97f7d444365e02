// The raw tables' bulk columns (llm_calls, steps, db_queries, events): how a normalized row plus
// its trace's ids becomes one row of SQL values, column by column of @convotel/store's specs.
import { bulkColumn, DB_QUERIES, identityOf, EVENTS, LLM_CALLS, STEPS, TRACES, type BulkColumn, type BulkInsert, type Column, type SqlValue, type Table } from '@convotel/store';
import type { DbQueryRow, EventRow, LlmCallRow, SpanRowBase, StepRow } from '../../normalize/rows.js';
import { float, int, json, millis, money, text, timestamp } from '../columns/to-sql.js';

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

const L = LLM_CALLS.columns;
const S = STEPS.columns;
const D = DB_QUERIES.columns;
const E = EVENTS.columns;

// Columns every span table has, whatever the span's role (the same names in all three tables).
const SPAN_IDENTITY_COLUMNS: Spec<WithIds<SpanRowBase>> = [
  bulkColumn(L.traceId, ({ row }) => row.traceId),
  bulkColumn(L.spanId, ({ row }) => row.spanId),
  bulkColumn(L.parentSpanId, ({ row }) => text(row.parentSpanId)),
  bulkColumn(L.conversationId, ({ ids }) => text(ids.conversationId)),
];

const SPAN_PROVENANCE_COLUMNS: Spec<WithIds<SpanRowBase & Pick<StepRow, 'attributes' | 'sourceKeys'>>> = [
  bulkColumn(L.attributes, ({ row }) => json(row.attributes) ?? '{}'),
  bulkColumn(L.sourceKeys, sourceKeysJson()),
  bulkColumn(L.scopeName, ({ row }) => row.scopeName),
  bulkColumn(L.scopeVersion, ({ row }) => text(row.scopeVersion)),
  bulkColumn(L.flavour, ({ row }) => row.flavour),
  bulkColumn(L.serviceName, ({ row }) => text(row.serviceName)),
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
  bulkColumn(L.userId, ({ ids }) => text(ids.userId)),
  bulkColumn(L.sessionId, ({ ids }) => text(ids.sessionId)),
  bulkColumn(L.billing, ({ row }) => row.billing),
  bulkColumn(L.twinSpanId, ({ row }) => text(row.twinSpanId)),
  bulkColumn(L.spanName, ({ row }) => row.name),
  bulkColumn(L.provider, ({ row }) => text(row.provider)),
  bulkColumn(L.requestModel, ({ row }) => text(row.requestModel)),
  bulkColumn(L.responseModel, ({ row }) => text(row.responseModel)),
  bulkColumn(L.operation, ({ row }) => row.operation),
  bulkColumn(L.callType, ({ row }) => row.callType),
  bulkColumn(L.functionName, ({ row }) => text(row.functionName)),
  bulkColumn(L.tags, ({ row }) => json(row.tags)),
  bulkColumn(L.responseId, ({ row }) => text(row.responseId)),
  bulkColumn(L.inputTokens, ({ row }) => int(row.inputTokens)),
  bulkColumn(L.outputTokens, ({ row }) => int(row.outputTokens)),
  bulkColumn(L.cacheReadTokens, ({ row }) => int(row.cacheReadTokens)),
  bulkColumn(L.cacheWriteTokens, ({ row }) => int(row.cacheWriteTokens)),
  bulkColumn(L.reasoningTokens, ({ row }) => int(row.reasoningTokens)),
  bulkColumn(L.audioInputTokens, ({ row }) => int(row.audioInputTokens)),
  bulkColumn(L.audioOutputTokens, ({ row }) => int(row.audioOutputTokens)),
  bulkColumn(L.totalTokens, ({ row }) => int(row.totalTokens)),
  bulkColumn(L.usageEstimated, ({ row }) => row.isUsageEstimated),
  bulkColumn(L.costUsd, ({ row }) => money(row.costPicos)),
  bulkColumn(L.costSource, ({ row }) => text(row.costSource)),
  bulkColumn(L.startedAt, ({ row }) => timestamp(row.startedAt)),
  bulkColumn(L.endedAt, ({ row }) => timestamp(row.endedAt)),
  bulkColumn(L.durationMs, ({ row }) => millis(row.durationUs)),
  bulkColumn(L.ttftMs, ({ row }) => float(row.ttftMs)),
  bulkColumn(L.finishReason, ({ row }) => text(row.finishReason)),
  bulkColumn(L.status, ({ row }) => row.status),
  bulkColumn(L.errorType, ({ row }) => text(row.errorType)),
  bulkColumn(L.errorMessage, ({ row }) => text(row.errorMessage)),
  bulkColumn(L.temperature, ({ row }) => float(row.temperature)),
  bulkColumn(L.maxTokens, ({ row }) => int(row.maxTokens)),
  bulkColumn(L.inputMessages, ({ row }) => json(row.inputMessages)),
  bulkColumn(L.outputMessages, ({ row }) => json(row.outputMessages)),
  bulkColumn(L.systemInstructions, ({ row }) => json(row.systemInstructions)),
  ...SPAN_PROVENANCE_COLUMNS,
];

const STEP_COLUMNS: Spec<WithIds<StepRow>> = [
  ...SPAN_IDENTITY_COLUMNS,
  bulkColumn(S.kind, ({ row }) => row.kind),
  bulkColumn(S.name, ({ row }) => row.stepName),
  bulkColumn(S.spanName, ({ row }) => row.name),
  bulkColumn(S.startedAt, ({ row }) => timestamp(row.startedAt)),
  bulkColumn(S.endedAt, ({ row }) => timestamp(row.endedAt)),
  bulkColumn(S.durationMs, ({ row }) => millis(row.durationUs)),
  bulkColumn(S.status, ({ row }) => row.status),
  bulkColumn(S.errorType, ({ row }) => text(row.errorType)),
  bulkColumn(S.errorMessage, ({ row }) => text(row.errorMessage)),
  bulkColumn(S.operation, ({ row }) => text(row.operation)),
  bulkColumn(S.provider, ({ row }) => text(row.provider)),
  bulkColumn(S.model, ({ row }) => text(row.model)),
  bulkColumn(S.toolName, ({ row }) => text(row.toolName)),
  bulkColumn(S.sttAudioSeconds, ({ row }) => float(row.sttAudioSeconds)),
  bulkColumn(S.sttConfidence, ({ row }) => float(row.sttConfidence)),
  bulkColumn(S.sttLanguage, ({ row }) => text(row.sttLanguage)),
  bulkColumn(S.ttsCharacters, ({ row }) => int(row.ttsCharacters)),
  bulkColumn(S.ttsVoice, ({ row }) => text(row.ttsVoice)),
  bulkColumn(S.ttsAudioSeconds, ({ row }) => float(row.ttsAudioSeconds)),
  bulkColumn(S.ttsTtfbMs, ({ row }) => float(row.ttsTtfbMs)),
  bulkColumn(S.costUsd, ({ row }) => money(row.costPicos)),
  bulkColumn(S.costSource, ({ row }) => text(row.costSource)),
  bulkColumn(S.costCategory, ({ row }) => text(row.costCategory)),
  ...SPAN_PROVENANCE_COLUMNS,
];

const DB_QUERY_COLUMNS: Spec<WithIds<DbQueryRow>> = [
  ...SPAN_IDENTITY_COLUMNS,
  bulkColumn(D.system, ({ row }) => row.system),
  bulkColumn(D.dbName, ({ row }) => text(row.dbName)),
  bulkColumn(D.operation, ({ row }) => text(row.operation)),
  bulkColumn(D.statement, ({ row }) => text(row.statement)),
  bulkColumn(D.startedAt, ({ row }) => timestamp(row.startedAt)),
  bulkColumn(D.durationMs, ({ row }) => millis(row.durationUs)),
  bulkColumn(D.returnedRows, ({ row }) => int(row.returnedRows)),
  bulkColumn(D.status, ({ row }) => row.status),
  bulkColumn(D.errorType, ({ row }) => text(row.errorType)),
  bulkColumn(D.errorMessage, ({ row }) => text(row.errorMessage)),
  bulkColumn(D.scopeName, ({ row }) => row.scopeName),
  bulkColumn(D.serviceName, ({ row }) => text(row.serviceName)),
];

const EVENT_COLUMNS: Spec<WithIds<EventRow>> = [
  bulkColumn(E.eventId, ({ row }) => row.eventId),
  bulkColumn(E.time, ({ row }) => timestamp(row.time)),
  bulkColumn(E.severityNumber, ({ row }) => int(row.severityNumber)),
  bulkColumn(E.severityText, ({ row }) => text(row.severityText)),
  bulkColumn(E.name, ({ row }) => text(row.name)),
  bulkColumn(E.component, ({ row }) => text(row.component)),
  bulkColumn(E.message, ({ row }) => text(row.message)),
  bulkColumn(E.body, ({ row }) => json(row.body)),
  bulkColumn(E.attributes, ({ row }) => json(row.attributes) ?? '{}'),
  bulkColumn(E.conversationId, ({ ids }) => text(ids.conversationId)),
  bulkColumn(E.traceId, ({ row }) => text(row.traceId)),
  bulkColumn(E.spanId, ({ row }) => text(row.spanId)),
  bulkColumn(E.contentKind, ({ row }) => text(row.contentKind)),
  bulkColumn(E.content, ({ row }) => json(row.content)),
  bulkColumn(E.scopeName, ({ row }) => row.scopeName),
  bulkColumn(E.serviceName, ({ row }) => text(row.serviceName)),
];

/**
 * An insert-if-new of `rows`, keyed by the table's primary key and returning the columns that
 * identify a row. The key ends with the row's time (the partition column), which a span or record
 * determines: a redelivered one meets its first copy.
 */
function toBulkInsert<R>(table: Table, columns: Spec<R>, rows: readonly R[]): BulkInsert<R> {
  return { table: table.name, columns, rows, conflictKey: table.key.map((column) => column.name), returning: identityOf(table).map((column) => column.name) };
}

/** Bulk insert of `llm_calls` rows. */
export function llmCallsInsert(rows: readonly WithIds<LlmCallRow>[]): BulkInsert<WithIds<LlmCallRow>> {
  return toBulkInsert(LLM_CALLS, LLM_CALL_COLUMNS, rows);
}

/** Bulk insert of `steps` rows. */
export function stepsInsert(rows: readonly WithIds<StepRow>[]): BulkInsert<WithIds<StepRow>> {
  return toBulkInsert(STEPS, STEP_COLUMNS, rows);
}

/** Bulk insert of `db_queries` rows. */
export function dbQueriesInsert(rows: readonly WithIds<DbQueryRow>[]): BulkInsert<WithIds<DbQueryRow>> {
  return toBulkInsert(DB_QUERIES, DB_QUERY_COLUMNS, rows);
}

/** Bulk insert of `events` rows. */
export function eventsInsert(rows: readonly WithIds<EventRow>[]): BulkInsert<WithIds<EventRow>> {
  return toBulkInsert(EVENTS, EVENT_COLUMNS, rows);
}

const T = TRACES.columns;

/**
 * Span tables whose rows carry their trace's ids: each with its trace id column and the
 * columns that follow the `traces` row's ids (rewritten when a late span changes them).
 */
export const TRACE_ID_TABLES: readonly { readonly table: Table; readonly traceId: Column; readonly ids: readonly (readonly [Column, Column])[] }[] = [
  { table: LLM_CALLS, traceId: L.traceId, ids: [[L.conversationId, T.conversationId], [L.userId, T.userId], [L.sessionId, T.sessionId]] },
  { table: STEPS, traceId: S.traceId, ids: [[S.conversationId, T.conversationId]] },
  { table: DB_QUERIES, traceId: D.traceId, ids: [[D.conversationId, T.conversationId]] },
];
