// error_occurrences: recomputed, for each trace a write touched that has failed rows, from those
// rows — the statement migration 0007 backfills with, limited to the traces. A trace's failed rows
// change in ways deltas would have to chase (a turn's status settles when its root arrives, a
// stand-in call leaves, a twin stops counting, a late span names the conversation, an earlier
// row moves the occurrence's time), so the rows are read again instead: the result depends only
// on the rows stored, whatever the order, splits or repeats of delivery. The traces are locked
// by the write, so no other writer recomputes them meanwhile.
import { DB_QUERIES, ERROR_OCCURRENCES, LLM_CALLS, STEPS, TRACES, type SqlClient } from '@convotel/store';
import { conversationOf, turnStatusOf, type TurnState } from './turn-state.js';

const o = ERROR_OCCURRENCES.columns;

/**
 * The failed rows of the traces in `$1` that /errors counts, as (trace, conversation, type,
 * message, start, end): counted LLM calls, steps, turns (traces of a conversation) and SQL spans.
 */
function failedRowsSql(): string {
  const branch = (table: string, c: typeof STEPS.columns | typeof LLM_CALLS.columns | typeof TRACES.columns, ended: string, extra: string): string =>
    `SELECT ${c.traceId} AS trace_id, ${c.conversationId} AS conversation_id, ${c.errorType} AS error_type, ${c.errorMessage} AS error_message,
            ${c.startedAt} AS started_at, ${ended} AS at
       FROM ${table} WHERE ${c.traceId} = ANY($1::text[]) AND ${c.status} = 'error'${extra}`;
  const q = DB_QUERIES.columns;
  return [
    branch(`${LLM_CALLS}`, LLM_CALLS.columns, `${LLM_CALLS.columns.endedAt}`, ` AND ${LLM_CALLS.columns.billing} <> 'duplicate'`),
    branch(`${STEPS}`, STEPS.columns, `${STEPS.columns.endedAt}`, ''),
    branch(`${TRACES}`, TRACES.columns, `${TRACES.columns.endedAt}`, ` AND ${TRACES.columns.conversationId} IS NOT NULL AND ${TRACES.columns.startedAt} IS NOT NULL`),
    `SELECT ${q.traceId}, ${q.conversationId}, ${q.errorType}, ${q.errorMessage}, ${q.startedAt}, ${q.startedAt} + ${q.durationMs} * interval '1 millisecond'
       FROM ${DB_QUERIES} WHERE ${q.traceId} = ANY($1::text[]) AND ${q.status} = 'error'`,
  ].join('\n UNION ALL ');
}

/**
 * One row per (trace, message): the earliest-ending row's facts (ties broken by type, then
 * conversation, so the pick is the rows' alone), with the first and last start among the rows.
 */
const OCCURRENCES_SQL = `
  SELECT DISTINCT ON (trace_id, message_hash) trace_id, message_hash,
         min(started_at) OVER rows_of AS first_started_at, max(started_at) OVER rows_of AS last_started_at,
         md5(row(error_type, error_message)::text) AS error_hash, at, conversation_id, error_type, error_message
    FROM (SELECT f.*, md5(coalesce(f.error_message, f.error_type, '')) AS message_hash FROM (${failedRowsSql()}) AS f) AS keyed
  WINDOW rows_of AS (PARTITION BY trace_id, message_hash)
   ORDER BY trace_id, message_hash, at NULLS LAST, error_type NULLS LAST, conversation_id NULLS LAST`;

const COLUMNS = [o.traceId, o.messageHash, o.firstStartedAt, o.lastStartedAt, o.errorHash, o.at, o.conversationId, o.errorType, o.errorMessage];
const VALUES = COLUMNS.slice(2);

/** Replaces the occurrences of `traceIds` by those their stored failed rows make now (rows unchanged stay untouched). */
export async function updateErrorOccurrences(tx: SqlClient, traceIds: readonly string[]): Promise<void> {
  if (traceIds.length === 0) return;
  const sorted = [...traceIds].sort();
  await tx.query(
    `WITH fresh AS (${OCCURRENCES_SQL}),
          gone AS (DELETE FROM ${ERROR_OCCURRENCES} e WHERE e.${o.traceId} = ANY($1::text[])
                     AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.trace_id = e.${o.traceId} AND f.message_hash = e.${o.messageHash}))
     INSERT INTO ${ERROR_OCCURRENCES} AS e (${COLUMNS.join(', ')})
     SELECT * FROM fresh ORDER BY trace_id, message_hash
     ON CONFLICT (${o.traceId}, ${o.messageHash}) DO UPDATE SET ${VALUES.map((c) => `${c} = excluded.${c}`).join(', ')}
      WHERE (${VALUES.map((c) => `e.${c}`).join(', ')}) IS DISTINCT FROM (${VALUES.map((c) => `excluded.${c}`).join(', ')})`,
    [sorted],
  );
}

/**
 * The traces of a write whose occurrences may have changed: those with failed calls, steps or
 * turn before or after it, with a new failed SQL span, or whose conversation changed (their
 * failed SQL spans' rows were relabelled). Any other trace had and has no failed row but SQL
 * spans already stored under the same conversation.
 */
export function tracesToRecount(
  before: ReadonlyMap<string, TurnState>,
  after: ReadonlyMap<string, TurnState>,
  newDbQueries: readonly { readonly traceId: string; readonly status: string }[],
): string[] {
  const traces = new Set<string>();
  for (const row of newDbQueries) if (row.status === 'error') traces.add(row.traceId);
  for (const [traceId, state] of after) {
    const old = before.get(traceId);
    if (hasFailures(state) || (old !== undefined && hasFailures(old)) || conversationOf(state)?.value !== (old === undefined ? undefined : conversationOf(old)?.value)) {
      traces.add(traceId);
    }
  }
  return [...traces];
}

function hasFailures(state: TurnState): boolean {
  return state.sums.llmErrors > 0 || state.sums.stepErrors > 0 || turnStatusOf(state) === 'error';
}
