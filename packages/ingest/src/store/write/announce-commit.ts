// What a write transaction tells the live feed: the turns it completed (their root span
// arrived), failed turns and error log records as errors, and the conversations it changed.
// Sent with pg_notify inside the transaction, so readers hear of it only once it commits, and
// never of a transaction rolled back or retried. One statement builds and sends every notice
// in the database: no payload crosses the wire twice, none is parsed or built in JS.
import type { ConversationFacts, EventRow } from '../../normalize/rows.js';
import { LIVE_CHANNEL, MAX_NOTICE_BYTES, MAX_NOTICE_TEXT_LENGTH } from '@convotel/store';
import type { SqlClient } from '@convotel/store';
import { conversationOf, type TurnState } from '../summary/turn-state.js';

/** OTLP severity number of ERROR: records at or above it are announced as errors. */
const ERROR_SEVERITY = 17;

/** What one write transaction changed. */
export interface CommitChanges {
  /** Turn states locked at the start, and after the write, by trace id. */
  readonly before: ReadonlyMap<string, TurnState>;
  readonly after: ReadonlyMap<string, TurnState>;
  /** Conversation spans of the batch. */
  readonly conversations: readonly ConversationFacts[];
  /** Log records that were new. */
  readonly newEvents: readonly EventRow[];
}

/** A trace is a complete turn once it belongs to a conversation and its root span arrived. */
function isCompleteTurn(state: TurnState | undefined): boolean {
  return state !== undefined && state.root !== undefined && conversationOf(state) !== undefined;
}

/** Whether the write found a turn span inside the trace that it did not hold before. */
function hasNewInnerTurn(before: TurnState | undefined, after: TurnState): boolean {
  if (after.inner === undefined) return false;
  const known = new Set(before?.inner?.map((turn) => turn.turnSpanId));
  return after.inner.some((turn) => !known.has(turn.turnSpanId));
}

/** Sends the notices of `changes` on the live channel (delivered at commit); resolves with how many. */
export async function announceCommit(tx: SqlClient, changes: CommitChanges): Promise<number> {
  const turnIds: string[] = [];
  const conversationIds = new Set<string>(changes.conversations.map((fact) => fact.conversation.value));
  for (const [traceId, state] of changes.after) {
    // A call-long trace's turns have no root of their own: a new one tells of its conversation.
    if (hasNewInnerTurn(changes.before.get(traceId), state)) {
      const conversation = conversationOf(state);
      if (conversation !== undefined) conversationIds.add(conversation.value);
    }
    if (!isCompleteTurn(state) || isCompleteTurn(changes.before.get(traceId))) continue;
    turnIds.push(traceId);
    const conversation = conversationOf(state);
    if (conversation !== undefined) conversationIds.add(conversation.value);
  }
  const eventIds = changes.newEvents.filter((row) => row.severityNumber >= ERROR_SEVERITY).map((row) => row.eventId);
  if (turnIds.length === 0 && conversationIds.size === 0 && eventIds.length === 0) return 0;
  const { rows } = await tx.query<{ sent: number | string }>(ANNOUNCE_SQL, [turnIds, [...conversationIds], eventIds, LIVE_CHANNEL, MAX_NOTICE_BYTES]);
  return Number(rows[0]?.sent ?? 0);
}

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** Free text cut to MAX_NOTICE_TEXT_LENGTH characters, `…` marking the cut. */
const cut = (column: string): string =>
  `CASE WHEN length(${column}) > ${MAX_NOTICE_TEXT_LENGTH} THEN left(${column}, ${MAX_NOTICE_TEXT_LENGTH}) || '…' ELSE ${column} END`;

// Each notice is `{"id","type","at"` followed by its fields (json_build_object keys are the
// notices' field names, live-notices.ts); in order: each turn then its error, conversations,
// error records, each by key. pg_notify runs after the sort (a volatile call in the select
// list is evaluated after ORDER BY), so notices are queued in that order. A notice over the
// NOTIFY limit (only ids of hundreds of multi-byte characters can make one) is not sent.
// Rows are found by key, one index lookup per id (LIMIT 1 keeps the planner from turning the
// lookups into a hash join over the whole table, which it prefers for long id lists on tables of
// moderate size: that scan cost more than the rest of the write); each turn is read once for
// its notice and its error.
const ANNOUNCE_SQL = `
WITH tx AS (SELECT txid_current()::text AS id, ${iso('clock_timestamp()')} AS at),
news AS (
  SELECT 1 AS ord, t.trace_id AS key, v.sub, CASE v.sub WHEN 0 THEN 'turn' ELSE 'error' END AS type,
         CASE v.sub WHEN 0 THEN json_build_object(
      'turn_id', t.trace_id, 'trace_id', t.trace_id, 'conversation_id', t.conversation_id, 'service_name', t.service_name,
      'agent_name', c.agent_name, 'channel', c.channel, 'user_id', t.user_id, 'session_id', t.session_id, 'turn_index', t.turn_index,
      'started_at', ${iso('t.started_at')}, 'ended_at', ${iso('t.ended_at')}, 'duration_ms', t.duration_ms,
      'perceived_latency_ms', t.perceived_latency_ms, 'interrupted', t.interrupted, 'status', t.status,
      'error_type', t.error_type, 'error_message', ${cut('t.error_message')}, 'llm_calls', t.llm_calls,
      'input_tokens', t.input_tokens, 'output_tokens', t.output_tokens, 'cost_usd', t.cost_usd::float8)
         ELSE json_build_object(
      'source', 'turn', 'conversation_id', t.conversation_id, 'service_name', t.service_name, 'agent_name', c.agent_name,
      'trace_id', t.trace_id, 'span_id', NULL, 'event_id', NULL, 'error_type', t.error_type, 'message', ${cut('t.error_message')},
      'component', NULL, 'severity', NULL, 'time', ${iso('t.started_at')}) END::text AS fields
    FROM unnest($1::text[]) AS ids(id)
    CROSS JOIN LATERAL (SELECT * FROM traces t WHERE t.trace_id = ids.id LIMIT 1) t
    LEFT JOIN LATERAL (SELECT c.agent_name, c.channel FROM conversations c WHERE c.conversation_id = t.conversation_id LIMIT 1) c ON true
    CROSS JOIN LATERAL (VALUES (0), (1)) AS v(sub)
   WHERE v.sub = 0 OR t.status = 'error'
  UNION ALL
  SELECT 2, c.conversation_id, 0, 'conversation', json_build_object(
      'conversation_id', c.conversation_id, 'service_name', c.service_name, 'agent_name', c.agent_name, 'channel', c.channel,
      'user_id', c.user_id, 'status', c.status, 'end_reason', ${cut('c.end_reason')}, 'started_at', ${iso('c.started_at')},
      'ended_at', ${iso('c.ended_at')}, 'duration_ms', c.duration_ms, 'turns', c.turns, 'llm_calls', c.llm_calls,
      'errors', c.errors, 'cost_usd', c.cost_usd::float8)::text
    FROM unnest($2::text[]) AS ids(id)
    CROSS JOIN LATERAL (SELECT * FROM conversations c WHERE c.conversation_id = ids.id LIMIT 1) c
  UNION ALL
  SELECT 3, e.event_id, 0, 'error', json_build_object(
      'source', 'event', 'conversation_id', e.conversation_id, 'service_name', e.service_name, 'agent_name', c.agent_name,
      'trace_id', e.trace_id, 'span_id', e.span_id, 'event_id', e.event_id, 'error_type', e.name, 'message', ${cut('e.message')},
      'component', e.component, 'severity', e.severity_text, 'time', ${iso('e.time')})::text
    FROM unnest($3::text[]) AS ids(id)
    CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.event_id = ids.id LIMIT 1) e
    LEFT JOIN LATERAL (SELECT c.agent_name FROM conversations c WHERE c.conversation_id = e.conversation_id LIMIT 1) c ON true
),
numbered AS (
  SELECT n.type, n.fields, row_number() OVER (ORDER BY n.ord, n.key, n.sub) AS i FROM news n
),
sent AS (
  SELECT pg_notify($4, payload)
    FROM (SELECT '{"id":"' || tx.id || '-' || m.i || '","type":"' || m.type || '","at":"' || tx.at || '",' || substr(m.fields, 2) AS payload, m.i
            FROM numbered m, tx) p
   WHERE octet_length(payload) <= $5
   ORDER BY i
)
SELECT count(*) AS sent FROM sent`;
