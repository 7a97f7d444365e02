// GET /traces/:trace_id: the trace's turn(s) with their conversation, and every LLM call of the
// trace (also calls outside any turn). A trace is one turn, or (LiveKit, Pipecat) holds a turn
// span per turn; each turn carries its own turn_id.
import type { ReadDb } from './db.js';
import { LLM_CALL_COLUMNS, toLlmCallItem, type LlmCallItem } from './rows/llm-call-row.js';
import { TURN_COLUMNS, TURN_ORDER } from './rows/turn-row.js';
import { loadTurnDetails, type TurnDetail } from './turn-details.js';

export interface TraceDetail {
  readonly trace_id: string;
  readonly turns: TurnDetail[];
  readonly llm_calls: LlmCallItem[];
  readonly truncated: boolean;
}

/** The trace `traceId`, or undefined when nothing of it is stored. */
export async function getTrace(db: ReadDb, traceId: string): Promise<TraceDetail | undefined> {
  const bound = db.maxRows;
  return db.read(async (sql) => {
    const turnRows = await sql.query(
      `SELECT ${TURN_COLUMNS} FROM turns t WHERE t.trace_id = $1 ORDER BY ${TURN_ORDER} LIMIT ${bound + 1}`,
      [traceId],
    );
    const calls = await sql.query(
      `SELECT ${LLM_CALL_COLUMNS} FROM llm_calls l WHERE l.trace_id = $1 AND l.billing <> 'duplicate' ORDER BY l.started_at, l.span_id LIMIT ${bound + 1}`,
      [traceId],
    );
    if (turnRows.rows.length === 0 && calls.rows.length === 0) return undefined;
    const details = await loadTurnDetails(sql, turnRows.rows.slice(0, bound), bound);
    return {
      trace_id: traceId,
      turns: details.turns,
      llm_calls: calls.rows.slice(0, bound).map(toLlmCallItem),
      truncated: details.isTruncated || turnRows.rows.length > bound || calls.rows.length > bound,
    };
  });
}
