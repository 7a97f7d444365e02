// Reading stored `llm_calls` rows back as the counters and rollups counted them: what a write
// subtracts exactly when a row stops counting (a stand-in replaced, a twin demoted).
import { LLM_CALLS, readRow, selectList } from '@convotel/store';
import type { Status } from '../../normalize/concepts/status.js';
import type { LlmCallRow } from '../../normalize/rows.js';
import { decimalToPicos } from '../../normalize/units/money.js';
import type { LlmRollupRow } from '../summary/rollups.js';

/** A stored row's counted values: enough to subtract it from counters and rollups. */
export type CountedCall = LlmRollupRow & Pick<LlmCallRow, 'traceId' | 'spanId' | 'billing'>;

/** The `llm_calls` columns {@link readCountedCall} reads. */
export const COUNTED_CALL_KEYS = [
  'traceId',
  'spanId',
  'billing',
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
