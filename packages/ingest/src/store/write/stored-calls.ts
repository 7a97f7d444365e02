// Reading stored `llm_calls` rows back as the counters and rollups counted them: what a write
// subtracts exactly when a row stops counting (a stand-in replaced, a twin demoted).
import type { Status } from '../../normalize/concepts/status.js';
import type { LlmCallRow } from '../../normalize/rows.js';
import { decimalToPicos } from '../../normalize/units/money.js';
import type { LlmRollupRow } from '../summary/rollups.js';
import { micros, readBigInt, readFloat, readInt, readText } from '../columns/from-sql.js';

/** A stored row's counted values: enough to subtract it from counters and rollups. */
export type CountedCall = LlmRollupRow & Pick<LlmCallRow, 'traceId' | 'spanId' | 'billing'>;

/** The select list (table alias `l`) that {@link readCountedCall} reads. */
export const COUNTED_CALL_COLUMNS = `l.trace_id, l.span_id, l.billing, l.status, l.provider, l.response_model, l.request_model,
  l.call_type, l.input_tokens, l.output_tokens, l.cache_read_tokens, l.cache_write_tokens, l.reasoning_tokens, l.cost_usd,
  ${micros('l.started_at', 'started_at_us')}, l.duration_ms, l.ttft_ms`;

/** A row selected with {@link COUNTED_CALL_COLUMNS}. */
export function readCountedCall(row: Record<string, unknown>): CountedCall {
  const cost = row['cost_usd'];
  return {
    traceId: String(row['trace_id']),
    spanId: String(row['span_id']),
    billing: String(row['billing']) as LlmCallRow['billing'],
    status: String(row['status']) as Status,
    provider: readText(row['provider']),
    responseModel: readText(row['response_model']),
    requestModel: readText(row['request_model']),
    callType: String(row['call_type']),
    inputTokens: readInt(row['input_tokens']),
    outputTokens: readInt(row['output_tokens']),
    cacheReadTokens: readInt(row['cache_read_tokens']),
    cacheWriteTokens: readInt(row['cache_write_tokens']),
    reasoningTokens: readInt(row['reasoning_tokens']),
    costPicos: cost === null || cost === undefined ? undefined : decimalToPicos(String(cost)),
    startedAt: readBigInt(row['started_at_us']) ?? 0n,
    // duration_ms holds µs / 1000 exactly enough to round back.
    durationUs: BigInt(Math.round((readFloat(row['duration_ms']) ?? 0) * 1000)),
    ttftMs: readFloat(row['ttft_ms']),
  };
}
