// What a write transaction tells the live feed: the turns it completed (their root span
// arrived), failed turns and error log records as errors, and the conversations it changed.
// Sent with pg_notify inside the transaction, so readers hear of it only once it commits, and
// never of a transaction rolled back or retried.
import type { ConversationFacts, EventRow } from '../../normalize/rows.js';
import { LIVE_CHANNEL, MAX_NOTICE_BYTES, type ConversationNotice, type ErrorNotice, type LiveNotice, type TurnNotice } from '../live-notices.js';
import type { SqlClient } from '../store.js';
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

/** Sends the notices of `changes` on the live channel; commit delivers them. */
export async function announceCommit(tx: SqlClient, changes: CommitChanges): Promise<void> {
  const turnIds: string[] = [];
  const conversationIds = new Set<string>(changes.conversations.map((fact) => fact.conversation.value));
  for (const [traceId, state] of changes.after) {
    if (!isCompleteTurn(state) || isCompleteTurn(changes.before.get(traceId))) continue;
    turnIds.push(traceId);
    const conversation = conversationOf(state);
    if (conversation !== undefined) conversationIds.add(conversation.value);
  }
  const eventIds = changes.newEvents.filter((row) => row.severityNumber >= ERROR_SEVERITY).map((row) => row.eventId);
  if (turnIds.length === 0 && conversationIds.size === 0 && eventIds.length === 0) return;
  const { rows } = await tx.query<NewsRow>(NEWS_SQL, [turnIds, [...conversationIds], eventIds]);
  const payloads = toNoticePayloads(rows);
  if (payloads.length > 0) await tx.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS n(payload, i) ORDER BY i`, [LIVE_CHANNEL, payloads]);
}

/** One row of {@link NEWS_SQL}. */
interface NewsRow {
  readonly tx: string;
  readonly at: string;
  readonly kind: 'turn' | 'conversation' | 'event';
  readonly fields: Record<string, unknown>;
}

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// Turns, then conversations, then error records, each in key order; json_build_object keys are
// the notices' field names.
const NEWS_SQL = `
SELECT txid_current()::text AS tx, ${iso('clock_timestamp()')} AS at, n.kind, n.fields FROM (
  SELECT 1 AS ord, t.trace_id AS key, 'turn' AS kind, json_build_object(
      'turn_id', t.trace_id, 'trace_id', t.trace_id, 'conversation_id', t.conversation_id, 'service_name', t.service_name,
      'agent_name', c.agent_name, 'channel', c.channel, 'user_id', t.user_id, 'session_id', t.session_id, 'turn_index', t.turn_index,
      'started_at', ${iso('t.started_at')}, 'ended_at', ${iso('t.ended_at')}, 'duration_ms', t.duration_ms,
      'perceived_latency_ms', t.perceived_latency_ms, 'interrupted', t.interrupted, 'status', t.status,
      'error_type', t.error_type, 'error_message', t.error_message, 'llm_calls', t.llm_calls,
      'input_tokens', t.input_tokens, 'output_tokens', t.output_tokens, 'cost_usd', t.cost_usd::float8) AS fields
    FROM traces t LEFT JOIN conversations c ON c.conversation_id = t.conversation_id
   WHERE t.trace_id = ANY($1::text[])
  UNION ALL
  SELECT 2, c.conversation_id, 'conversation', json_build_object(
      'conversation_id', c.conversation_id, 'service_name', c.service_name, 'agent_name', c.agent_name, 'channel', c.channel,
      'user_id', c.user_id, 'status', c.status, 'end_reason', c.end_reason, 'started_at', ${iso('c.started_at')},
      'ended_at', ${iso('c.ended_at')}, 'duration_ms', c.duration_ms, 'turns', c.turns, 'llm_calls', c.llm_calls,
      'errors', c.errors, 'cost_usd', c.cost_usd::float8)
    FROM conversations c
   WHERE c.conversation_id = ANY($2::text[])
  UNION ALL
  SELECT 3, e.event_id, 'event', json_build_object(
      'event_id', e.event_id, 'trace_id', e.trace_id, 'span_id', e.span_id, 'conversation_id', e.conversation_id,
      'service_name', e.service_name, 'agent_name', c.agent_name, 'error_type', e.name, 'message', e.message,
      'component', e.component, 'severity', e.severity_text, 'time', ${iso('e.time')})
    FROM events e LEFT JOIN conversations c ON c.conversation_id = e.conversation_id
   WHERE e.event_id = ANY($3::text[])
) n ORDER BY n.ord, n.key`;

/** A notice's fields as the SQL builds them. */
type NoticeFields<N extends LiveNotice> = Omit<N, 'id' | 'at' | 'type' | 'source'>;

/** The notices of the rows, as payloads that fit a NOTIFY; each failed turn is followed by its error. */
export function toNoticePayloads(rows: readonly NewsRow[]): string[] {
  const notices: LiveNotice[] = [];
  const next = (row: NewsRow) => ({ id: `${row.tx}-${notices.length + 1}`, at: row.at });
  for (const row of rows) {
    if (row.kind === 'turn') {
      const turn: TurnNotice = { ...(row.fields as NoticeFields<TurnNotice>), ...next(row), type: 'turn' };
      notices.push(turn);
      if (turn.status === 'error') {
        const error: ErrorNotice = {
          ...next(row),
          type: 'error',
          source: 'turn',
          conversation_id: turn.conversation_id,
          service_name: turn.service_name,
          agent_name: turn.agent_name,
          trace_id: turn.trace_id,
          span_id: null,
          event_id: null,
          error_type: turn.error_type,
          message: turn.error_message,
          component: null,
          severity: null,
          time: turn.started_at,
        };
        notices.push(error);
      }
    } else if (row.kind === 'conversation') {
      const conversation: ConversationNotice = { ...(row.fields as NoticeFields<ConversationNotice>), ...next(row), type: 'conversation' };
      notices.push(conversation);
    } else {
      const error: ErrorNotice = { ...(row.fields as NoticeFields<ErrorNotice>), ...next(row), type: 'error', source: 'event' };
      notices.push(error);
    }
  }
  return notices.flatMap((notice) => fitPayload(notice) ?? []);
}

/** Free-text fields that may be cut to make a notice fit; ids never are. */
const CUTTABLE = ['error_message', 'message', 'error_type', 'end_reason', 'component'] as const;

/** The notice as JSON under {@link MAX_NOTICE_BYTES}, its free text cut if need be; undefined when even that is too long. */
export function fitPayload(notice: LiveNotice): string | undefined {
  let text = JSON.stringify(notice);
  for (const limit of [1000, 100, 0]) {
    if (Buffer.byteLength(text, 'utf8') <= MAX_NOTICE_BYTES) return text;
    const cut: Record<string, unknown> = { ...notice };
    for (const field of CUTTABLE) {
      const value = cut[field];
      if (typeof value === 'string' && value.length > limit) cut[field] = limit === 0 ? null : `${value.slice(0, limit)}…`;
    }
    text = JSON.stringify(cut);
  }
  return Buffer.byteLength(text, 'utf8') <= MAX_NOTICE_BYTES ? text : undefined;
}
