// Removing an agent span that stood in as its trace's LLM call, once a real call arrived:
// the deleted row's values come back so its counters can be subtracted exactly.
import { LLM_CALLS, type StoreTransaction } from '@convotel/store';
import { COUNTED_CALL_COLUMNS, readCountedCall, type CountedCall } from './stored-calls.js';

/** What is known of a removed stand-in row: enough to subtract it from counters and rollups. */
export type RemovedCall = CountedCall;

/** Deletes the given stand-in rows (billing `agent_fallback`) and returns their values. */
export async function removeFallbackCalls(tx: StoreTransaction, keys: readonly { traceId: string; spanId: string }[]): Promise<RemovedCall[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort((a, b) => (a.traceId + a.spanId < b.traceId + b.spanId ? -1 : 1));
  const l = LLM_CALLS.columns;
  const { rows } = await tx.query<Record<string, unknown>>(
    `DELETE FROM ${LLM_CALLS} l USING unnest($1::text[], $2::text[]) AS k(trace, span)
     WHERE l.${l.traceId} = k.trace AND l.${l.spanId} = k.span AND l.${l.billing} = 'agent_fallback'
     RETURNING ${COUNTED_CALL_COLUMNS}`,
    [sorted.map((key) => key.traceId), sorted.map((key) => key.spanId)],
  );
  return rows.map(readCountedCall);
}
