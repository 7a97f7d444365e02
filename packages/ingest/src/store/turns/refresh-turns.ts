// Step 3b of a write (write/write-batch.ts): the spans of call-long traces are kept with their
// parents, then every touched trace that holds turn spans, or says anything about a voice turn,
// has its turns and voice-to-voice breakdowns recomputed from what is stored — the batch's rows
// included — under the trace locks taken at the start of the transaction.
import { SPAN_EDGES, TRACES, type SqlClient, type SqlValue } from '@convotel/store';
import { voiceBreakdown } from '../../voice/voice-breakdown.js';
import { json, text, timestamp } from '../columns/to-sql.js';
import type { TurnState } from '../summary/turn-state.js';
import { toInnerTurnShare } from './inner-turn-shares.js';
import { writeInnerTurns } from './inner-turns.js';
import { spanEdgeFactsToJson } from './span-edge-facts.js';
import { selectStoredTraces, storedCallOf, storedStepOf, type StoredTrace } from './stored-spans.js';
import type { LlmCallRow, SpanEdgeRow, StepRow } from '../../normalize/rows.js';

/** The rows a write stored, and the traces it created (all of whose rows are among them). */
export interface WrittenRows {
  readonly created: ReadonlySet<string>;
  readonly calls: readonly LlmCallRow[];
  readonly steps: readonly StepRow[];
}

/** The stored spans of traces created by the write, from its own rows. */
function writtenTraces(traceIds: readonly string[], written: WrittenRows): Map<string, StoredTrace> {
  const byTrace = new Map<string, StoredTrace>(traceIds.map((id) => [id, { edges: [], calls: [], steps: [], queries: [] }]));
  for (const call of written.calls) byTrace.get(call.traceId)?.calls.push(storedCallOf(call));
  for (const step of written.steps) byTrace.get(step.traceId)?.steps.push(storedStepOf(step));
  return byTrace;
}
import { voiceColumnValues } from './voice-columns.js';
import { toVoiceTurnInput } from './voice-input.js';

/** Inserts the span edges not stored yet (a span's edge never changes). */
export async function insertSpanEdges(client: SqlClient, rows: readonly SpanEdgeRow[]): Promise<void> {
  if (rows.length === 0) return;
  const E = SPAN_EDGES.columns;
  const records = rows.map((row) => ({
    [E.traceId.name]: row.traceId,
    [E.spanId.name]: row.spanId,
    [E.parentSpanId.name]: text(row.parentSpanId),
    [E.name.name]: row.name,
    [E.isTurn.name]: row.isTurn,
    [E.startedAt.name]: timestamp(row.startedAt),
    [E.endedAt.name]: timestamp(row.endedAt),
    [E.facts.name]: parsedJson(spanEdgeFactsToJson(row)),
  }));
  const names = Object.keys(records[0] ?? {});
  // In key order, the lock order of every writer.
  await client.query(
    `INSERT INTO ${SPAN_EDGES} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_populate_recordset(NULL::${SPAN_EDGES}, $1::jsonb) ORDER BY ${E.traceId}, ${E.spanId}
     ON CONFLICT (${E.traceId}, ${E.spanId}) DO NOTHING`,
    [JSON.stringify(records)],
  );
}

/**
 * Recomputes the turns inside the touched traces that hold spans of call-long traces, and the
 * voice breakdown of the other touched traces with voice facts. Returns the states with their
 * turn spans (`inner`) as now stored.
 */
export async function refreshTurns(
  client: SqlClient,
  after: ReadonlyMap<string, TurnState>,
  edges: readonly SpanEdgeRow[],
  written: WrittenRows,
): Promise<Map<string, TurnState>> {
  const refreshed = new Map(after);
  const segmented = new Set(edges.map((edge) => edge.traceId));
  for (const [traceId, state] of after) if (state.inner !== undefined) segmented.add(traceId);
  const voiced = [...after.values()].filter((state) => state.voice !== undefined).map((state) => state.traceId);
  const ids = [...new Set([...segmented, ...voiced])].sort();
  if (ids.length === 0) return refreshed;
  // A trace created by this write has all its rows in it: no need to read them back.
  const voicedOnly = voiced.filter((id) => !segmented.has(id));
  const stored = new Map([
    ...(await selectStoredTraces(client, [...segmented].sort())),
    ...(await selectStoredTraces(client, voicedOnly.filter((id) => !written.created.has(id)).sort(), true)),
    ...writtenTraces(voicedOnly.filter((id) => written.created.has(id)), written),
  ]);
  const traceVoice: Record<string, SqlValue>[] = [];
  for (const traceId of ids) {
    const state = refreshed.get(traceId);
    const spans = stored.get(traceId);
    if (state === undefined || spans === undefined) continue;
    if (segmented.has(traceId)) {
      const turns = await writeInnerTurns(client, traceId, spans);
      refreshed.set(traceId, { ...state, inner: turns.length > 0 ? turns.map(toInnerTurnShare) : undefined });
      if (turns.length > 0) {
        // Its turns carry the voice columns: the trace's own, from before it held turns, go.
        traceVoice.push(Object.fromEntries([[TRACES.columns.traceId.name, traceId], ...voiceColumnValues(undefined, undefined)]));
        continue;
      }
    }
    if (state.voice === undefined) continue;
    const breakdown = voiceBreakdown(toVoiceTurnInput(state.voice, state.root?.perceivedLatencyMs, spans.calls, spans.steps));
    traceVoice.push(Object.fromEntries([[TRACES.columns.traceId.name, traceId], ...voiceColumnValues(state.voice, breakdown)]));
  }
  if (traceVoice.length > 0) {
    const names = Object.keys(traceVoice[0] as object).filter((name) => name !== TRACES.columns.traceId.name);
    await client.query(
      `UPDATE ${TRACES} AS t SET ${names.map((n) => `${n} = x.${n}`).join(', ')}
         FROM jsonb_populate_recordset(NULL::${TRACES}, $1::jsonb) AS x WHERE t.${TRACES.columns.traceId} = x.${TRACES.columns.traceId}`,
      [JSON.stringify(traceVoice)],
    );
  }
  return refreshed;
}

/** The JSON value itself (jsonb_populate_recordset takes a jsonb column's value as JSON, not as text). */
function parsedJson(value: Record<string, unknown> | undefined): unknown {
  const text = value === undefined ? null : json(value);
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : null;
}
