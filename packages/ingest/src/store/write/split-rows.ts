// A request the store refused, cut in two by trace (or by log record), so it can be written in
// parts and only the part the store refuses is lost: one span the checks before the store did
// not foresee must not cost the request's other traces. Pure.
import type { LogRows, TraceRows } from '../../normalize/rows.js';

/** The two halves of `rows` (each trace whole in one of them), or undefined for a single trace or record. */
export function splitInHalves(rows: TraceRows | LogRows): [TraceRows | LogRows, TraceRows | LogRows] | undefined {
  if ('events' in rows) {
    if (rows.events.length < 2) return undefined;
    const middle = Math.ceil(rows.events.length / 2);
    return [logPart(rows.events.slice(0, middle)), logPart(rows.events.slice(middle))];
  }
  const traceIds = traceIdsOf(rows);
  if (traceIds.length < 2) return undefined;
  const first = new Set(traceIds.slice(0, Math.ceil(traceIds.length / 2)));
  return [tracePart(rows, (traceId) => first.has(traceId)), tracePart(rows, (traceId) => !first.has(traceId))];
}

/** Spans (or log records) whose rows are in `rows`: what refusing them costs the sender. */
export function itemCountOf(rows: TraceRows | LogRows): number {
  if ('events' in rows) return rows.events.length;
  const spans = new Set<string>();
  for (const row of rows.llmCalls) spans.add(`${row.traceId}:${row.spanId}`);
  for (const row of rows.steps) spans.add(`${row.traceId}:${row.spanId}`);
  for (const row of rows.dbQueries) spans.add(`${row.traceId}:${row.spanId}`);
  for (const facts of rows.conversations) spans.add(`${facts.traceId}:${facts.spanId}`);
  for (const facts of rows.turns) if (facts.root !== undefined) spans.add(`${facts.traceId}:${facts.root.spanId}`);
  for (const row of rows.spanEdges) spans.add(`${row.traceId}:${row.spanId}`);
  return Math.max(spans.size, 1);
}

function traceIdsOf(rows: TraceRows): string[] {
  const ids = new Set<string>();
  for (const facts of rows.turns) ids.add(facts.traceId);
  for (const row of rows.llmCalls) ids.add(row.traceId);
  for (const row of rows.steps) ids.add(row.traceId);
  for (const row of rows.dbQueries) ids.add(row.traceId);
  for (const facts of rows.conversations) ids.add(facts.traceId);
  for (const row of rows.spanEdges) ids.add(row.traceId);
  return [...ids].sort();
}

const NOTHING_REJECTED = { rejected: 0, rejectionReasons: [], failed: 0, failure: undefined, droppedValues: 0, droppedValueReasons: [] };

function tracePart(rows: TraceRows, isIn: (traceId: string) => boolean): TraceRows {
  const part: TraceRows = {
    ...NOTHING_REJECTED,
    rejectionReasons: [],
    droppedValueReasons: [],
    llmCalls: rows.llmCalls.filter((row) => isIn(row.traceId)),
    steps: rows.steps.filter((row) => isIn(row.traceId)),
    dbQueries: rows.dbQueries.filter((row) => isIn(row.traceId)),
    turns: rows.turns.filter((facts) => isIn(facts.traceId)),
    conversations: rows.conversations.filter((facts) => isIn(facts.traceId)),
    spanEdges: rows.spanEdges.filter((row) => isIn(row.traceId)),
    spans: 0,
  };
  return { ...part, spans: itemCountOf(part) };
}

function logPart(events: LogRows['events']): LogRows {
  return { ...NOTHING_REJECTED, rejectionReasons: [], droppedValueReasons: [], events };
}
