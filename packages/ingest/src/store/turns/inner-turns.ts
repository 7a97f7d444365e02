// Turns inside a call-long trace (LiveKit, Pipecat; DESIGN.md §2), recomputed from what is
// stored: each span is filed under its turn span (raw rows' turn_span_id), each turn span gets
// a `trace_turns` row with its own sums, status and voice breakdown, and the trace's row says
// how many turns it holds. Recomputing from the stored set (never from the batch alone) is what
// makes any arrival order and any redelivery give the same rows.
import { DB_QUERIES, LLM_CALLS, STEPS, TRACE_TURNS, TRACES, type SqlClient, type SqlValue } from '@convotel/store';
import { mergeVoiceFacts, type VoiceFacts } from '../../normalize/concepts/voice-facts.js';
import type { Status } from '../../normalize/concepts/status.js';
import type { Micros } from '../../normalize/units/time.js';
import { voiceBreakdown } from '../../voice/voice-breakdown.js';
import { bool, float, int, millis, money, text, timestamp } from '../columns/to-sql.js';
import { addSums, dbQuerySums, llmCallSums, stepSums, ZERO_SUMS, type Sums } from '../summary/sums.js';
import type { StoredCall, StoredEdge, StoredStep, StoredTrace } from './stored-spans.js';
import type { TextPick } from '../../normalize/rows.js';
import { betterPick } from '../../normalize/spans/turn-facts.js';
import { byStart, turnMembership } from './turn-membership.js';
import { voiceColumnValues } from './voice-columns.js';
import { toVoiceTurnInput } from './voice-input.js';

/** One turn span of a trace, as its `trace_turns` row holds it. */
export interface InnerTurn {
  readonly turnSpanId: string;
  readonly name: string;
  readonly turnIndex: number;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  readonly status: Status;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly isInterrupted: boolean | undefined;
  readonly perceivedLatencyMs: number | undefined;
  readonly userInput: string | undefined;
  readonly agentOutput: string | undefined;
  readonly sums: Sums;
  readonly voice: VoiceFacts | undefined;
  readonly calls: readonly StoredCall[];
  readonly steps: readonly StoredStep[];
}

/** The turns of a stored trace, in start order, and where each span belongs; no turns: the trace is one. */
export function toInnerTurns(stored: StoredTrace): { turns: InnerTurn[]; membership: Map<string, string> } {
  const bySpan = turnMembership([
    ...stored.edges.map((e) => ({ spanId: e.spanId, parentSpanId: e.parentSpanId, isTurn: e.isTurn, startedAt: e.startedAt, hasVoiceFacts: e.voice !== undefined })),
    ...[...stored.calls, ...stored.steps, ...stored.queries].map((r) => ({ spanId: r.spanId, parentSpanId: r.parentSpanId, isTurn: false, startedAt: r.startedAt, hasVoiceFacts: false })),
  ]);
  // Turn spans of one group (LiveKit: one speech id) are one turn, filed under the first of them.
  const groups = new Map<string, StoredEdge[]>();
  for (const edge of stored.edges.filter((e) => e.isTurn).sort(byStart)) {
    const group = edge.turn?.group ?? edge.spanId;
    groups.set(group, [...(groups.get(group) ?? []), edge]);
  }
  const leaderOf = new Map<string, string>();
  for (const edges of groups.values()) for (const edge of edges) leaderOf.set(edge.spanId, (edges[0] as StoredEdge).spanId);
  const membership = new Map<string, string>();
  for (const [span, turn] of bySpan) membership.set(span, leaderOf.get(turn) ?? turn);

  // Each turn's rows, in one pass over the trace (a long call holds many turns).
  const rowsOf = new Map<string, { calls: StoredCall[]; steps: StoredStep[]; sums: Sums; voice: VoiceFacts | undefined }>();
  const of = (spanId: string) => {
    const turn = membership.get(spanId);
    if (turn === undefined) return undefined;
    let found = rowsOf.get(turn);
    if (found === undefined) rowsOf.set(turn, (found = { calls: [], steps: [], sums: ZERO_SUMS, voice: undefined }));
    return found;
  };
  for (const call of stored.calls) {
    const turn = of(call.spanId);
    if (turn === undefined) continue;
    turn.calls.push(call);
    turn.sums = addSums(turn.sums, llmCallSums(call));
  }
  for (const step of stored.steps) {
    const turn = of(step.spanId);
    if (turn === undefined) continue;
    turn.steps.push(step);
    turn.sums = addSums(turn.sums, stepSums(step));
  }
  for (const query of stored.queries) {
    const turn = of(query.spanId);
    if (turn !== undefined) turn.sums = addSums(turn.sums, dbQuerySums(query));
  }
  for (const edge of stored.edges) {
    const turn = of(edge.spanId);
    if (turn !== undefined) turn.voice = mergeVoiceFacts(turn.voice, edge.voice);
  }

  const turns = [...groups.values()].map((edges, position): InnerTurn => {
    const leader = edges[0] as StoredEdge;
    const { calls, steps, sums, voice } = rowsOf.get(leader.spanId) ?? { calls: [], steps: [], sums: ZERO_SUMS, voice: undefined };
    const roots = edges.flatMap((e) => (e.turn === undefined ? [] : [e.turn]));
    const failedRoot = roots.find((t) => t.root.status === 'error');
    // Frameworks leave a turn OK when a request inside it failed (LiveKit records it on the try).
    const failed = [...calls, ...steps].filter((r) => r.status === 'error').sort(byStart)[0];
    let userInput: TextPick | undefined;
    let agentOutput: TextPick | undefined;
    for (const t of roots) {
      userInput = betterPick(userInput, t.userInput, 'earliest');
      agentOutput = betterPick(agentOutput, t.agentOutput, 'latest');
    }
    const interrupted = roots.some((t) => t.root.isInterrupted === true) || voice?.interruptedByUser === true;
    return {
      turnSpanId: leader.spanId,
      name: leader.name,
      turnIndex: roots.find((t) => t.root.turnIndex !== undefined)?.root.turnIndex ?? position,
      startedAt: leader.startedAt,
      endedAt: edges.reduce((end, e) => (e.endedAt > end ? e.endedAt : end), leader.endedAt),
      status: failedRoot !== undefined || failed !== undefined ? 'error' : 'ok',
      errorType: failedRoot !== undefined ? failedRoot.root.errorType : failed?.errorType,
      errorMessage: failedRoot !== undefined ? failedRoot.root.errorMessage : failed?.errorMessage,
      isInterrupted: interrupted ? true : roots.some((t) => t.root.isInterrupted === false) ? false : undefined,
      perceivedLatencyMs: roots.find((t) => t.root.perceivedLatencyMs !== undefined)?.root.perceivedLatencyMs,
      userInput: userInput?.text,
      agentOutput: agentOutput?.text,
      sums,
      voice,
      calls,
      steps,
    };
  });
  return { turns, membership };
}

/**
 * Files the stored rows of `stored` under their turn spans and rewrites the trace's
 * `trace_turns` rows and turn count. Returns the turns (none: the trace is one turn).
 */
export async function writeInnerTurns(client: SqlClient, traceId: string, stored: StoredTrace): Promise<InnerTurn[]> {
  const { turns, membership } = toInnerTurns(stored);
  for (const [table, rows] of [
    [LLM_CALLS, stored.calls],
    [STEPS, stored.steps],
    [DB_QUERIES, stored.queries],
  ] as const) {
    const moved = rows.filter((r) => (membership.get(r.spanId) ?? undefined) !== r.turnSpanId);
    if (moved.length === 0) continue;
    const C = table.columns;
    await client.query(
      `UPDATE ${table} AS t SET ${C.turnSpanId} = u.turn FROM unnest($2::text[], $3::text[]) AS u(span_id, turn)
        WHERE t.${C.traceId} = $1 AND t.${C.spanId} = u.span_id`,
      [traceId, moved.map((r) => r.spanId), moved.map((r) => membership.get(r.spanId) ?? null)],
    );
  }
  // A turn span that now joins an earlier one of its group (LiveKit's answer after a tool call)
  // no longer names a turn of its own.
  await client.query(`DELETE FROM ${TRACE_TURNS} WHERE ${TRACE_TURNS.columns.traceId} = $1 AND NOT (${TRACE_TURNS.columns.turnSpanId} = ANY($2::text[]))`, [
    traceId,
    turns.map((turn) => turn.turnSpanId),
  ]);
  if (turns.length > 0) await upsertTraceTurns(client, traceId, turns);
  const T = TRACES.columns;
  await client.query(`UPDATE ${TRACES} SET ${T.turnCount} = $2, ${T.turnErrors} = $3 WHERE ${T.traceId} = $1`, [
    traceId,
    turns.length > 0 ? turns.length : null,
    turns.length > 0 ? turns.filter((t) => t.status === 'error').length : null,
  ]);
  return turns;
}

function upsertTraceTurns(client: SqlClient, traceId: string, turns: readonly InnerTurn[]): Promise<unknown> {
  const C = TRACE_TURNS.columns;
  const rows = turns.map((turn) => {
    const breakdown = voiceBreakdown(toVoiceTurnInput(turn.voice, turn.perceivedLatencyMs, turn.calls, turn.steps));
    const s = turn.sums;
    const values: [string, SqlValue][] = [
      [C.traceId.name, traceId],
      [C.turnSpanId.name, turn.turnSpanId],
      [C.name.name, turn.name],
      [C.turnIndex.name, int(turn.turnIndex)],
      [C.startedAt.name, timestamp(turn.startedAt)],
      [C.endedAt.name, timestamp(turn.endedAt)],
      [C.durationMs.name, millis(turn.endedAt - turn.startedAt)],
      [C.status.name, turn.status],
      [C.errorType.name, text(turn.errorType)],
      [C.errorMessage.name, text(turn.errorMessage)],
      [C.interrupted.name, bool(turn.isInterrupted)],
      [C.perceivedLatencyMs.name, float(turn.perceivedLatencyMs)],
      [C.userInput.name, text(turn.userInput)],
      [C.agentOutput.name, text(turn.agentOutput)],
      [C.llmCalls.name, s.llmCalls],
      [C.inputTokens.name, s.inputTokens],
      [C.outputTokens.name, s.outputTokens],
      [C.cacheReadTokens.name, s.cacheReadTokens],
      [C.cacheWriteTokens.name, s.cacheWriteTokens],
      [C.reasoningTokens.name, s.reasoningTokens],
      [C.llmCostUsd.name, money(s.llmCostPicos)],
      [C.sttCostUsd.name, money(s.sttCostPicos)],
      [C.ttsCostUsd.name, money(s.ttsCostPicos)],
      [C.otherCostUsd.name, money(s.otherCostPicos)],
      [C.costUsd.name, money(s.llmCostPicos + s.sttCostPicos + s.ttsCostPicos + s.otherCostPicos)],
      [C.llmErrors.name, s.llmErrors],
      [C.steps.name, s.steps],
      [C.stepErrors.name, s.stepErrors],
      [C.sqlQueries.name, s.sqlQueries],
      [C.sqlRows.name, s.sqlRows],
      ...voiceColumnValues(turn.voice, breakdown),
    ];
    return Object.fromEntries(values);
  });
  const names = Object.keys(rows[0] ?? {});
  const key = [C.traceId.name, C.turnSpanId.name];
  // jsonb_populate_recordset types each value by the table's own column.
  return client.query(
    `INSERT INTO ${TRACE_TURNS} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_populate_recordset(NULL::${TRACE_TURNS}, $1::jsonb)
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${names.filter((n) => !key.includes(n)).map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
