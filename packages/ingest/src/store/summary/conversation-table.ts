// Conversation state ↔ the `conversations` table.
import type { IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { Json } from '../../normalize/rows.js';
import type { Status } from '../../normalize/concepts/status.js';
import { saturateInt32 } from '../../normalize/units/column-range.js';
import { float, int, json, millis, text, timestamp } from '../columns/to-sql.js';
import { micros, readBigInt, readBool, readInt, readText } from '../columns/from-sql.js';
import type { BulkColumn, SqlClient, SqlValue, StoreTransaction } from '@convotel/store';
import {
  conversationExtentOf,
  conversationStatusOf,
  emptyConversationState,
  successRateOf,
  type ConversationState,
  type LatestText,
} from './conversation-state.js';
import { readSums, readSumsColumns, SUMS_COLUMNS } from './sums-columns.js';

const SELECT_COLUMNS = [
  'conversation_id',
  'conversation_id_key',
  'conversation_id_rank',
  'service_name',
  'agent_name',
  'channel',
  'user_id',
  'user_id_key',
  'user_id_rank',
  'session_id',
  'session_id_key',
  'session_id_rank',
  micros('first_seen_at'),
  micros('last_seen_at'),
  'status',
  'end_reason',
  'error_type',
  'error_message',
  'has_conversation_span',
  'conversation_trace_id',
  'conversation_span_id',
  micros('conversation_started_at', 'span_started_us'),
  micros('ended_at'),
  'metadata',
  'turns',
  'errors',
  ...readSumsColumns(SUMS_COLUMNS),
  'last_user_input',
  'last_user_input_at_us',
  'last_user_input_trace_id',
  'last_agent_output',
  'last_agent_output_at_us',
  'last_agent_output_trace_id',
].join(', ');

type Row = Record<string, unknown>;

/** Creates missing conversation rows and locks all of them in id order; returns their state. */
export async function lockConversations(client: SqlClient, conversationIds: readonly string[]): Promise<Map<string, ConversationState>> {
  const sorted = [...new Set(conversationIds)].sort();
  const { rows } = await client.query<Row>(
    `INSERT INTO conversations (conversation_id) SELECT c FROM unnest($1::text[]) AS u(c) ORDER BY c
     ON CONFLICT (conversation_id) DO UPDATE SET turns = conversations.turns
     RETURNING ${SELECT_COLUMNS}`,
    [sorted],
  );
  return toStates(rows);
}

/**
 * Locks the conversation rows that exist, in id order, and returns their state; absent ones are
 * left out (see {@link insertConversations}). Cheaper than `lockConversations`: no row version
 * is written just to take the lock.
 */
export async function lockExistingConversations(client: SqlClient, conversationIds: readonly string[]): Promise<Map<string, ConversationState>> {
  const sorted = [...new Set(conversationIds)].sort();
  const { rows } = await client.query<Row>(
    `SELECT ${SELECT_COLUMNS} FROM conversations WHERE conversation_id = ANY($1::text[]) ORDER BY conversation_id FOR UPDATE`,
    [sorted],
  );
  return toStates(rows);
}

function toStates(rows: readonly Row[]): Map<string, ConversationState> {
  return new Map(rows.map((row) => [String(row['conversation_id']), toConversationState(row)]));
}

function candidate(value: unknown, key: unknown, rank: unknown): IdCandidate | undefined {
  const text = readText(value);
  const keyText = readText(key);
  // A placeholder row has an id but no key yet: no candidate.
  return text === undefined || keyText === undefined ? undefined : { value: text, key: keyText, rank: readInt(rank) ?? 0 };
}

function latest(textValue: unknown, at: unknown, traceId: unknown): LatestText | undefined {
  const value = readText(textValue);
  return value === undefined ? undefined : { text: value, at: readBigInt(at) ?? 0n, traceId: readText(traceId) ?? '' };
}

function toConversationState(row: Row): ConversationState {
  const hasSpan = readBool(row['has_conversation_span']) ?? false;
  return {
    ...emptyConversationState(String(row['conversation_id'])),
    id: candidate(row['conversation_id'], row['conversation_id_key'], row['conversation_id_rank']),
    span: hasSpan
      ? {
          traceId: readText(row['conversation_trace_id']) ?? '',
          spanId: readText(row['conversation_span_id']) ?? '',
          startedAt: readBigInt(row['span_started_us']) ?? 0n,
          endedAt: readBigInt(row['ended_at_us']) ?? 0n,
          status: (readText(row['status']) === 'error' ? 'error' : 'ok') as Status,
          errorType: readText(row['error_type']),
          errorMessage: readText(row['error_message']),
          endReason: readText(row['end_reason']),
          agentName: readText(row['agent_name']),
          channel: readText(row['channel']),
          metadata: (row['metadata'] ?? undefined) as Record<string, Json> | undefined,
        }
      : undefined,
    serviceName: readText(row['service_name']),
    user: candidate(row['user_id'], row['user_id_key'], row['user_id_rank']),
    session: candidate(row['session_id'], row['session_id_key'], row['session_id_rank']),
    firstSeenAt: readBigInt(row['first_seen_at_us']),
    lastSeenAt: readBigInt(row['last_seen_at_us']),
    turns: readInt(row['turns']) ?? 0,
    errors: readInt(row['errors']) ?? 0,
    sums: readSums(row),
    lastUserInput: latest(row['last_user_input'], row['last_user_input_at_us'], row['last_user_input_trace_id']),
    lastAgentOutput: latest(row['last_agent_output'], row['last_agent_output_at_us'], row['last_agent_output_trace_id']),
  };
}

type Column = BulkColumn<ConversationState>;

const WRITE_COLUMNS: readonly Column[] = [
  { name: 'conversation_id_key', type: 'text', get: (s) => text(s.id?.key) },
  { name: 'conversation_id_rank', type: 'integer', get: (s) => int(s.id?.rank) },
  { name: 'service_name', type: 'text', get: (s) => text(s.serviceName) },
  { name: 'agent_name', type: 'text', get: (s) => text(s.span?.agentName) },
  { name: 'channel', type: 'text', get: (s) => text(s.span?.channel) },
  { name: 'user_id', type: 'text', get: (s) => text(s.user?.value) },
  { name: 'user_id_key', type: 'text', get: (s) => text(s.user?.key) },
  { name: 'user_id_rank', type: 'integer', get: (s) => int(s.user?.rank) },
  { name: 'session_id', type: 'text', get: (s) => text(s.session?.value) },
  { name: 'session_id_key', type: 'text', get: (s) => text(s.session?.key) },
  { name: 'session_id_rank', type: 'integer', get: (s) => int(s.session?.rank) },
  { name: 'started_at', type: 'timestamptz', get: (s) => timestamp(conversationExtentOf(s).startedAt) },
  { name: 'ended_at', type: 'timestamptz', get: (s) => timestamp(conversationExtentOf(s).endedAt) },
  { name: 'first_seen_at', type: 'timestamptz', get: (s) => timestamp(s.firstSeenAt) },
  { name: 'last_seen_at', type: 'timestamptz', get: (s) => timestamp(s.lastSeenAt) },
  { name: 'duration_ms', type: 'double precision', get: (s) => nullableMillis(conversationExtentOf(s).durationUs) },
  { name: 'status', type: 'text', get: (s) => conversationStatusOf(s) },
  { name: 'end_reason', type: 'text', get: (s) => text(s.span?.endReason) },
  { name: 'error_type', type: 'text', get: (s) => text(s.span?.errorType) },
  { name: 'error_message', type: 'text', get: (s) => text(s.span?.errorMessage) },
  { name: 'has_conversation_span', type: 'boolean', get: (s) => s.span !== undefined },
  { name: 'conversation_trace_id', type: 'text', get: (s) => text(s.span?.traceId) },
  { name: 'conversation_span_id', type: 'text', get: (s) => text(s.span?.spanId) },
  { name: 'conversation_started_at', type: 'timestamptz', get: (s) => timestamp(s.span?.startedAt) },
  { name: 'metadata', type: 'jsonb', get: (s) => json(s.span?.metadata) },
  { name: 'turns', type: 'integer', get: (s) => saturateInt32(s.turns) },
  { name: 'errors', type: 'integer', get: (s) => saturateInt32(s.errors) },
  { name: 'success_rate', type: 'double precision', get: (s) => float(successRateOf(s)) },
  ...SUMS_COLUMNS,
  { name: 'last_user_input', type: 'text', get: (s) => text(s.lastUserInput?.text) },
  { name: 'last_user_input_at_us', type: 'bigint', get: (s) => int(s.lastUserInput?.at) },
  { name: 'last_user_input_trace_id', type: 'text', get: (s) => text(s.lastUserInput?.traceId) },
  { name: 'last_agent_output', type: 'text', get: (s) => text(s.lastAgentOutput?.text) },
  { name: 'last_agent_output_at_us', type: 'bigint', get: (s) => int(s.lastAgentOutput?.at) },
  { name: 'last_agent_output_trace_id', type: 'text', get: (s) => text(s.lastAgentOutput?.traceId) },
];

function nullableMillis(value: bigint | undefined): SqlValue {
  return value === undefined ? null : millis(value);
}

/** Writes conversation states back (rows locked in this transaction). */
export async function writeConversations(tx: StoreTransaction, states: readonly ConversationState[]): Promise<void> {
  await tx.updateAll({ table: 'conversations', key: 'conversation_id', columns: INSERT_COLUMNS, rows: states });
}

const INSERT_COLUMNS: readonly Column[] = [{ name: 'conversation_id', type: 'text', get: (s) => s.conversationId }, ...WRITE_COLUMNS];

/**
 * Inserts conversations that did not exist when locked; returns the ids inserted. One that
 * another writer created meanwhile is left as it is and missing from the answer: lock it and
 * write it again.
 */
export async function insertConversations(tx: StoreTransaction, states: readonly ConversationState[]): Promise<Set<string>> {
  const rows = await tx.insertNew({
    table: 'conversations',
    columns: INSERT_COLUMNS,
    rows: states,
    conflictKey: ['conversation_id'],
    returning: ['conversation_id'],
  });
  return new Set(rows.map((row) => String(row['conversation_id'])));
}

/** Deletes conversations left with no turn and no conversation span (after their turns moved away). */
export async function deleteConversations(client: SqlClient, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await client.query('DELETE FROM conversations WHERE conversation_id = ANY($1::text[])', [[...conversationIds]]);
}
