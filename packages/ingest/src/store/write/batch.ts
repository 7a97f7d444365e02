// Many requests merged into one write (group commit): raw rows deduplicated by key, facts of
// the same trace folded together. Pure.
import type { ConversationFacts, DbQueryRow, EventRow, LlmCallRow, LogRows, SpanEdgeRow, StepRow, TraceRows, TurnFacts } from '../../normalize/rows.js';
import { mergeTurnFacts } from '../../normalize/spans/turn-facts.js';

/** The rows and facts of one transaction. */
export interface WriteBatch {
  readonly llmCalls: readonly LlmCallRow[];
  readonly steps: readonly StepRow[];
  readonly dbQueries: readonly DbQueryRow[];
  readonly turns: ReadonlyMap<string, TurnFacts>;
  readonly conversations: readonly ConversationFacts[];
  /** Spans of frameworks with a trace per call, in (trace_id, span_id) order. */
  readonly spanEdges: readonly SpanEdgeRow[];
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
    llmCalls: uniqueSorted(traces.flatMap((rows) => rows.llmCalls), compareSpanKeys),
    steps: uniqueSorted(traces.flatMap((rows) => rows.steps), compareSpanKeys),
    dbQueries: uniqueSorted(traces.flatMap((rows) => rows.dbQueries), compareSpanKeys),
    turns,
    conversations: uniqueSorted(traces.flatMap((rows) => rows.conversations), compareConversationFacts),
    spanEdges: uniqueSorted(traces.flatMap((rows) => rows.spanEdges), compareSpanKeys),
    events: uniqueSorted(logs.flatMap((rows) => rows.events), (a, b) => compareText(a.eventId, b.eventId)),
  };
}

/** `trace_id:span_id`. */
export function spanKey(row: { readonly traceId: string; readonly spanId: string }): string {
  return `${row.traceId}:${row.spanId}`;
}

/** Orders rows by (trace_id, span_id): the order rows are locked in. */
export function compareSpanKeys(a: { readonly traceId: string; readonly spanId: string }, b: { readonly traceId: string; readonly spanId: string }): number {
  return a.traceId !== b.traceId ? compareText(a.traceId, b.traceId) : compareText(a.spanId, b.spanId);
}

function compareConversationFacts(a: ConversationFacts, b: ConversationFacts): number {
  const byConversation = compareText(a.conversation.value, b.conversation.value);
  return byConversation !== 0 ? byConversation : compareText(a.spanId, b.spanId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The first row of each key, in key order. Sorting (stable, so the first of equal rows stays
 * first) and dropping neighbours with the same key builds no key strings and no map.
 */
function uniqueSorted<T>(rows: T[], compare: (a: T, b: T) => number): T[] {
  rows.sort(compare);
  const unique: T[] = [];
  for (const row of rows) if (unique.length === 0 || compare(unique[unique.length - 1] as T, row) !== 0) unique.push(row);
  return unique;
}

/** Rows in a batch (what the write queue and group commit count). */
export function rowCountOf(rows: TraceRows | LogRows): number {
  if ('events' in rows) return rows.events.length;
  return rows.llmCalls.length + rows.steps.length + rows.dbQueries.length + rows.turns.length + rows.conversations.length + rows.spanEdges.length;
}
