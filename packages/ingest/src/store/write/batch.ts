// Many requests merged into one write (group commit): raw rows deduplicated by key, facts of
// the same trace folded together. Pure.
import type { ConversationFacts, DbQueryRow, EventRow, LlmCallRow, LogRows, StepRow, TraceRows, TurnFacts } from '../../normalize/rows.js';
import { mergeTurnFacts } from '../../normalize/spans/turn-facts.js';

/** The rows and facts of one transaction. */
export interface WriteBatch {
  readonly llmCalls: readonly LlmCallRow[];
  readonly steps: readonly StepRow[];
  readonly dbQueries: readonly DbQueryRow[];
  readonly turns: ReadonlyMap<string, TurnFacts>;
  readonly conversations: readonly ConversationFacts[];
  readonly events: readonly EventRow[];
}

/** Merges normalized requests into one batch. */
export function toWriteBatch(traces: readonly TraceRows[], logs: readonly LogRows[]): WriteBatch {
  const turns = new Map<string, TurnFacts>();
  for (const rows of traces) {
    for (const facts of rows.turns) {
      const current = turns.get(facts.traceId);
      turns.set(facts.traceId, current === undefined ? facts : mergeTurnFacts(current, facts));
    }
  }
  return {
    llmCalls: uniqueBy(traces.flatMap((rows) => rows.llmCalls), spanKey),
    steps: uniqueBy(traces.flatMap((rows) => rows.steps), spanKey),
    dbQueries: uniqueBy(traces.flatMap((rows) => rows.dbQueries), spanKey),
    turns,
    conversations: uniqueBy(traces.flatMap((rows) => rows.conversations), (facts) => `${facts.conversation.value}\u0000${facts.spanId}`),
    events: uniqueBy(logs.flatMap((rows) => rows.events), (event) => event.eventId),
  };
}

/** `trace_id:span_id`. */
export function spanKey(row: { readonly traceId: string; readonly spanId: string }): string {
  return `${row.traceId}:${row.spanId}`;
}

/** The first row of each key, in key order (the order rows are locked in). */
function uniqueBy<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!byKey.has(key)) byKey.set(key, row);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Rows in a batch (what the write queue and group commit count). */
export function rowCountOf(rows: TraceRows | LogRows): number {
  if ('events' in rows) return rows.events.length;
  return rows.llmCalls.length + rows.steps.length + rows.dbQueries.length + rows.turns.length + rows.conversations.length;
}
