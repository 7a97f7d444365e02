// Removing an agent span that stood in as its trace's LLM call, once a real call arrived:
// the deleted row's values come back so its counters can be subtracted exactly.
import { decimalToPicos } from '../../normalize/units/money.js';
import type { LlmCallRow } from '../../normalize/rows.js';
import type { Status } from '../../normalize/concepts/status.js';
import { micros, readBigInt, readFloat, readInt, readText } from './db-values.js';
import type { LlmRollupRow } from '../summary/rollups.js';
import type { StoreTransaction } from '../store.js';

/** What is known of a removed stand-in row: enough to subtract it from counters and rollups. */
export type RemovedCall = LlmRollupRow & Pick<LlmCallRow, 'traceId' | 'spanId' | 'billing'>;

/** Deletes the given stand-in rows (billing `agent_fallback`) and returns their values. */
export async function removeFallbackCalls(tx: StoreTransaction, keys: readonly { traceId: string; spanId: string }[]): Promise<RemovedCall[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort((a, b) => (a.traceId + a.spanId < b.traceId + b.spanId ? -1 : 1));
  const { rows } = await tx.query<Record<string, unknown>>(
    `DELETE FROM llm_calls l USING unnest($1::text[], $2::text[]) AS k(trace_id, span_id)
     WHERE l.trace_id = k.trace_id AND l.span_id = k.span_id AND l.billing = 'agent_fallback'
     RETURNING l.trace_id, l.span_id, l.billing, l.status, l.provider, l.response_model, l.request_model, l.call_type,
       l.input_tokens, l.output_tokens, l.cache_read_tokens, l.cache_write_tokens, l.reasoning_tokens, l.cost_usd,
       ${micros('l.started_at', 'started_at_us')}, l.duration_ms, l.ttft_ms`,
    [sorted.map((key) => key.traceId), sorted.map((key) => key.spanId)],
  );
  return rows.map((row) => {
    const cost = row['cost_usd'];
    return {
      traceId: String(row['trace_id']),
      spanId: String(row['span_id']),
      billing: 'agent_fallback',
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
  });
}
