// Turns with everything inside them: steps (with their share of the turn), LLM calls, SQL
// queries, events and the bottleneck. Shared by the conversation detail and the trace lookup.
// A turn is a trace (its raw rows have no turn_span_id) or a turn span inside a long trace
// (its raw rows carry that turn_span_id): each turn lists only its own rows.
import type { SqlClient } from './db.js';
import { EVENT_COLUMNS, IS_SYSTEM_EVENT, toEventItem, type EventItem } from './rows/event-row.js';
import { LLM_CALL_COLUMNS, toLlmCallItem, type LlmCallItem } from './rows/llm-call-row.js';
import { SQL_QUERY_COLUMNS, toSqlQueryItem, type SqlQueryItem } from './rows/sql-query-row.js';
import { STEP_COLUMNS, toStepItem, type StepItem } from './rows/step-row.js';
import { toTurnFields, type TurnFields } from './rows/turn-row.js';
import { toText } from './values.js';

/** The longest top-level step of a turn. */
export interface Bottleneck {
  readonly step: string;
  readonly span_id: string;
  readonly duration_ms: number;
  /** Of the turn's duration (0…1), null when the turn's duration is unknown or 0. */
  readonly share: number | null;
}

export interface TurnDetail extends TurnFields {
  readonly steps: StepItem[];
  readonly llm_calls: LlmCallItem[];
  readonly sql_queries: SqlQueryItem[];
  readonly events: EventItem[];
  readonly bottleneck: Bottleneck | null;
}

/** Turns plus whether some nested list was cut at the row bound. */
export interface TurnDetails {
  readonly turns: TurnDetail[];
  readonly isTruncated: boolean;
}

/** Rows of `sql` fetched with `LIMIT maxRows + 1`, cut to `maxRows`. */
async function boundedRows(sql: SqlClient, text: string, params: readonly unknown[], maxRows: number): Promise<{ rows: Record<string, unknown>[]; isCut: boolean }> {
  const { rows } = await sql.query(`${text} LIMIT ${maxRows + 1}`, params);
  return { rows: rows.slice(0, maxRows), isCut: rows.length > maxRows };
}

/** The key of a turn: its trace, and its turn span inside the trace ('' when the trace is the turn). */
function turnKey(traceId: string, turnSpanId: string | null): string {
  return `${traceId}/${turnSpanId ?? ''}`;
}

/** Items grouped by the turn their raw row belongs to (`owner_turn_span_id` of the row). */
function groupByTurn<T>(rows: readonly Record<string, unknown>[], toItem: (row: Record<string, unknown>) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = turnKey(String(row['trace_id']), toText(row['owner_turn_span_id']));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [toItem(row)]);
    else group.push(toItem(row));
  }
  return groups;
}

/**
 * The bottleneck among the turn's top-level steps (a step nested in another, such as a tool
 * inside an llm step, is part of its parent's time). Ties go to the earlier step.
 */
export function findBottleneck(steps: readonly StepItem[]): Bottleneck | null {
  const spanIds = new Set(steps.map((s) => s.span_id));
  let longest: StepItem | undefined;
  for (const step of steps) {
    if (step.parent_span_id !== null && spanIds.has(step.parent_span_id)) continue;
    if (longest === undefined || step.duration_ms > longest.duration_ms) longest = step;
  }
  return longest === undefined ? null : { step: longest.name, span_id: longest.span_id, duration_ms: longest.duration_ms, share: longest.share };
}

/** Completes turn rows (selected with TURN_COLUMNS) with their nested lists. */
export async function loadTurnDetails(sql: SqlClient, turnRows: readonly Record<string, unknown>[], maxRows: number): Promise<TurnDetails> {
  const turns = turnRows.map(toTurnFields);
  if (turns.length === 0) return { turns: [], isTruncated: false };
  const traceIds = [...new Set(turns.map((t) => t.trace_id))];
  const durations = new Map(turns.map((t) => [turnKey(t.trace_id, t.turn_span_id), t.duration_ms]));
  const steps = await boundedRows(
    sql,
    `SELECT ${STEP_COLUMNS}, s.turn_span_id AS owner_turn_span_id FROM steps s WHERE s.trace_id = ANY($1::text[]) ORDER BY s.started_at, s.span_id`,
    [traceIds],
    maxRows,
  );
  const calls = await boundedRows(
    sql,
    `SELECT ${LLM_CALL_COLUMNS}, l.turn_span_id AS owner_turn_span_id FROM llm_calls l WHERE l.trace_id = ANY($1::text[]) AND l.billing <> 'duplicate' ORDER BY l.started_at, l.span_id`,
    [traceIds],
    maxRows,
  );
  const queries = await boundedRows(
    sql,
    `SELECT ${SQL_QUERY_COLUMNS}, d.turn_span_id AS owner_turn_span_id FROM db_queries d WHERE d.trace_id = ANY($1::text[]) ORDER BY d.started_at, d.span_id`,
    [traceIds],
    maxRows,
  );
  const events = await boundedRows(
    sql,
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.trace_id = ANY($1::text[]) AND ${IS_SYSTEM_EVENT} ORDER BY e.time, e.event_id`,
    [traceIds],
    maxRows,
  );
  const stepsByTurn = groupByTurn(steps.rows, (row) => toStepItem(row, durations.get(turnKey(String(row['trace_id']), toText(row['owner_turn_span_id']))) ?? null));
  const callsByTurn = groupByTurn(calls.rows, toLlmCallItem);
  const queriesByTurn = groupByTurn(queries.rows, toSqlQueryItem);
  // Events carry no turn span: in a trace of turn spans, an event belongs to the turn whose
  // span, step, call or query it was recorded on.
  const turnOfSpan = new Map<string, string>();
  for (const rows of [steps.rows, calls.rows, queries.rows]) {
    for (const row of rows) turnOfSpan.set(`${String(row['trace_id'])}/${String(row['span_id'])}`, turnKey(String(row['trace_id']), toText(row['owner_turn_span_id'])));
  }
  for (const turn of turns) if (turn.turn_span_id !== null) turnOfSpan.set(`${turn.trace_id}/${turn.turn_span_id}`, turnKey(turn.trace_id, turn.turn_span_id));
  const eventsByTurn = new Map<string, EventItem[]>();
  for (const row of events.rows) {
    const event = toEventItem(row);
    if (event.trace_id === null) continue;
    const key = turnOfSpan.get(`${event.trace_id}/${event.span_id ?? ''}`) ?? turnKey(event.trace_id, null);
    const group = eventsByTurn.get(key);
    if (group === undefined) eventsByTurn.set(key, [event]);
    else group.push(event);
  }
  return {
    turns: turns.map((turn) => {
      const key = turnKey(turn.trace_id, turn.turn_span_id);
      const turnSteps = stepsByTurn.get(key) ?? [];
      return {
        ...turn,
        steps: turnSteps,
        llm_calls: callsByTurn.get(key) ?? [],
        sql_queries: queriesByTurn.get(key) ?? [],
        events: eventsByTurn.get(key) ?? [],
        bottleneck: findBottleneck(turnSteps),
      };
    }),
    isTruncated: steps.isCut || calls.isCut || queries.isCut || events.isCut,
  };
}
