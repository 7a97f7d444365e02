// The `trace_turns` rows of some traces as the shares their turns add to rollups and
// conversations (summary/turn-state.ts InnerTurnShare), in start order.
import { readRow, selectList, TRACE_TURNS, type SqlClient } from '@convotel/store';
import { readSums } from '../summary/sums-columns.js';
import type { InnerTurnShare } from '../summary/turn-state.js';
import type { InnerTurn } from './inner-turns.js';

const C = TRACE_TURNS.columns;
const KEYS = [
  'traceId', 'turnSpanId', 'startedAt', 'endedAt', 'status', 'interrupted', 'perceivedLatencyMs',
  'llmCalls', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens',
  'llmCostUsd', 'sttCostUsd', 'ttsCostUsd', 'otherCostUsd', 'llmErrors', 'steps', 'stepErrors', 'sqlQueries', 'sqlRows',
] as const;

/** Trace id → its turns' shares. */
export async function selectInnerTurnShares(client: SqlClient, traceIds: readonly string[]): Promise<Map<string, InnerTurnShare[]>> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${selectList(TRACE_TURNS, KEYS)} FROM ${TRACE_TURNS} WHERE ${C.traceId} = ANY($1::text[]) ORDER BY ${C.traceId}, ${C.startedAt}, ${C.turnSpanId}`,
    [[...traceIds]],
  );
  const byTrace = new Map<string, InnerTurnShare[]>();
  for (const selected of rows) {
    const r = readRow(TRACE_TURNS, KEYS, selected);
    const traceId = r.traceId ?? '';
    const list = byTrace.get(traceId) ?? [];
    list.push({
      turnSpanId: r.turnSpanId ?? '',
      startedAt: r.startedAt ?? 0n,
      durationUs: (r.endedAt ?? 0n) - (r.startedAt ?? 0n),
      isError: r.status === 'error',
      isInterrupted: r.interrupted === true,
      perceivedMs: r.perceivedLatencyMs,
      // billable_calls is a trace-only counter; the turn rows keep none.
      sums: readSums({ ...r, billableCalls: undefined }),
    });
    byTrace.set(traceId, list);
  }
  return byTrace;
}

/** The share of a turn just recomputed (the same as reading its row back). */
export function toInnerTurnShare(turn: InnerTurn): InnerTurnShare {
  return {
    turnSpanId: turn.turnSpanId,
    startedAt: turn.startedAt,
    durationUs: turn.endedAt - turn.startedAt,
    isError: turn.status === 'error',
    isInterrupted: turn.isInterrupted === true,
    perceivedMs: turn.perceivedLatencyMs !== undefined && Number.isFinite(turn.perceivedLatencyMs) ? turn.perceivedLatencyMs : undefined,
    sums: { ...turn.sums, billableCalls: 0 },
  };
}
