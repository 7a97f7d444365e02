// Reading stored `llm_calls` rows back as the counters and rollups counted them: what a write
// subtracts exactly when a row stops counting (a stand-in replaced, a twin demoted).
import { LLM_CALLS, readRow, selectList, TRACES, type SqlClient } from '@convotel/store';
import type { Status } from '../../normalize/concepts/status.js';
import type { LlmCallRow } from '../../normalize/rows.js';
import { decimalToPicos } from '../../normalize/units/money.js';
import type { LlmRollupRow } from '../summary/rollups.js';

/** A stored row's counted values: enough to subtract it from counters and rollups, under the ids it was stored with. */
export type CountedCall = LlmRollupRow &
  Pick<LlmCallRow, 'traceId' | 'spanId' | 'billing' | 'functionName'> & {
    readonly userId: string | undefined;
    readonly sessionId: string | undefined;
  };

/** The `llm_calls` columns {@link readCountedCall} reads. */
export const COUNTED_CALL_KEYS = [
  'traceId',
  'spanId',
  'billing',
  'userId',
  'sessionId',
  'functionName',
  'status',
  'provider',
  'responseModel',
  'requestModel',
  'callType',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'costUsd',
  'startedAt',
  'durationMs',
  'ttftMs',
] as const satisfies readonly (keyof typeof LLM_CALLS.columns)[];

/** The select list (table alias `l`) that {@link readCountedCall} reads. */
export const COUNTED_CALL_COLUMNS = selectList(LLM_CALLS, COUNTED_CALL_KEYS, 'l');

/** A row selected with {@link COUNTED_CALL_COLUMNS}. */
export function readCountedCall(selected: Record<string, unknown>): CountedCall {
  const row = readRow(LLM_CALLS, COUNTED_CALL_KEYS, selected);
  return {
    traceId: row.traceId ?? '',
    spanId: row.spanId ?? '',
    billing: row.billing as LlmCallRow['billing'],
    userId: row.userId,
    sessionId: row.sessionId,
    functionName: row.functionName,
    status: row.status as Status,
    provider: row.provider,
    responseModel: row.responseModel,
    requestModel: row.requestModel,
    callType: row.callType ?? '',
    inputTokens: optionalNumber(row.inputTokens),
    outputTokens: optionalNumber(row.outputTokens),
    cacheReadTokens: optionalNumber(row.cacheReadTokens),
    cacheWriteTokens: optionalNumber(row.cacheWriteTokens),
    reasoningTokens: optionalNumber(row.reasoningTokens),
    costPicos: row.costUsd === undefined ? undefined : decimalToPicos(row.costUsd),
    startedAt: row.startedAt ?? 0n,
    // duration_ms holds µs / 1000 exactly enough to round back.
    durationUs: BigInt(Math.round((row.durationMs ?? 0) * 1000)),
    ttftMs: row.ttftMs,
  };
}

function optionalNumber(value: bigint | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** A counted row whose trace learned other ids: the ids it was stored (and counted) with, and its trace's now. */
export interface RelabelledCall {
  readonly call: CountedCall;
  readonly next: { readonly userId: string | undefined; readonly sessionId: string | undefined };
}

const T = TRACES.columns;
const L = LLM_CALLS.columns;

/**
 * The counted rows of the given traces whose user or session differs from their trace's (written
 * already): the rows the ids' propagation is about to rewrite. The traces are locked by the caller.
 */
export async function selectRelabelledCalls(client: SqlClient, traceIds: readonly string[]): Promise<RelabelledCall[]> {
  if (traceIds.length === 0) return [];
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${COUNTED_CALL_COLUMNS}, t.${T.userId} AS next_user_id, t.${T.sessionId} AS next_session_id
       FROM ${LLM_CALLS} l JOIN ${TRACES} t ON t.${T.traceId} = l.${L.traceId}
      WHERE t.${T.traceId} = ANY($1::text[]) AND l.${L.billing} <> 'duplicate'
        AND (l.${L.userId} IS DISTINCT FROM t.${T.userId} OR l.${L.sessionId} IS DISTINCT FROM t.${T.sessionId})`,
    [traceIds],
  );
  return rows.map((row) => ({
    call: readCountedCall(row),
    next: { userId: optionalText(row['next_user_id']), sessionId: optionalText(row['next_session_id']) },
  }));
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}
