// Conversation state ↔ the `conversations` table.
import { bulkColumn, CONVERSATIONS, readRow, selectList, type BulkColumn, type SqlClient, type SqlValue, type StoreTransaction } from '@convotel/store';
import type { IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { Json } from '../../normalize/rows.js';
import type { Status } from '../../normalize/concepts/status.js';
import { saturateInt32 } from '../../normalize/units/column-range.js';
import { decimalToPicos } from '../../normalize/units/money.js';
import { float, int, json, millis, money, text, timestamp } from '../columns/to-sql.js';
import { totalCostPicos } from './sums.js';
import {
  conversationExtentOf,
  conversationStatusOf,
  emptyConversationState,
  successRateOf,
  type ConversationState,
  type LatestText,
} from './conversation-state.js';
import { readSums, SUMS_COLUMNS, SUMS_KEYS } from './sums-columns.js';

const C = CONVERSATIONS.columns;

/** The columns a conversation state is read from. */
const STATE_KEYS = [
  'telephonyProvider',
  'telephonyDirection',
  'telephonyMinutes',
  'telephonyCostUsd',
  'conversationId',
  'conversationIdKey',
  'conversationIdRank',
  'serviceName',
  'agentName',
  'channel',
  'userId',
  'userIdKey',
  'userIdRank',
  'sessionId',
  'sessionIdKey',
  'sessionIdRank',
  'firstSeenAt',
  'lastSeenAt',
  'status',
  'endReason',
  'errorType',
  'errorMessage',
  'hasConversationSpan',
  'conversationTraceId',
  'conversationSpanId',
  'conversationStartedAt',
  'endedAt',
  'metadata',
  'turns',
  'errors',
  ...SUMS_KEYS,
  'lastUserInput',
  'lastUserInputAtUs',
  'lastUserInputTraceId',
  'lastAgentOutput',
  'lastAgentOutputAtUs',
  'lastAgentOutputTraceId',
] as const satisfies readonly (keyof typeof C)[];

const SELECT_COLUMNS = selectList(CONVERSATIONS, STATE_KEYS);

type Row = Record<string, unknown>;

/** Creates missing conversation rows and locks all of them in id order; returns their state. */
export async function lockConversations(client: SqlClient, conversationIds: readonly string[]): Promise<Map<string, ConversationState>> {
  const sorted = [...new Set(conversationIds)].sort();
  const { rows } = await client.query<Row>(
    `INSERT INTO ${CONVERSATIONS} (${C.conversationId}) SELECT c FROM unnest($1::text[]) AS u(c) ORDER BY c
     ON CONFLICT (${C.conversationId}) DO UPDATE SET ${C.turns} = ${CONVERSATIONS}.${C.turns}
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
    `SELECT ${SELECT_COLUMNS} FROM ${CONVERSATIONS} WHERE ${C.conversationId} = ANY($1::text[]) ORDER BY ${C.conversationId} FOR UPDATE`,
    [sorted],
  );
  return toStates(rows);
}

function toStates(rows: readonly Row[]): Map<string, ConversationState> {
  const states = rows.map(toConversationState);
  return new Map(states.map((state) => [state.conversationId, state]));
}

function candidate(value: string | undefined, key: string | undefined, rank: number | undefined): IdCandidate | undefined {
  // A placeholder row has an id but no key yet: no candidate.
  return value === undefined || key === undefined ? undefined : { value, key, rank: rank ?? 0 };
}

function latest(text: string | undefined, at: bigint | undefined, traceId: string | undefined): LatestText | undefined {
  return text === undefined ? undefined : { text, at: at ?? 0n, traceId: traceId ?? '' };
}

function toConversationState(selected: Row): ConversationState {
  const row = readRow(CONVERSATIONS, STATE_KEYS, selected);
  const conversationId = row.conversationId ?? '';
  return {
    ...emptyConversationState(conversationId),
    id: candidate(conversationId, row.conversationIdKey, row.conversationIdRank),
    span:
      row.hasConversationSpan === true
        ? {
            traceId: row.conversationTraceId ?? '',
            spanId: row.conversationSpanId ?? '',
            startedAt: row.conversationStartedAt ?? 0n,
            endedAt: row.endedAt ?? 0n,
            status: (row.status === 'error' ? 'error' : 'ok') as Status,
            errorType: row.errorType,
            errorMessage: row.errorMessage,
            endReason: row.endReason,
            agentName: row.agentName,
            channel: row.channel,
            metadata: row.metadata as Record<string, Json> | undefined,
            telephony:
              row.telephonyProvider === undefined
                ? undefined
                : {
                    provider: row.telephonyProvider,
                    direction: row.telephonyDirection,
                    minutes: row.telephonyMinutes,
                    costPicos: row.telephonyCostUsd === undefined ? undefined : decimalToPicos(row.telephonyCostUsd),
                  },
          }
        : undefined,
    serviceName: row.serviceName,
    user: candidate(row.userId, row.userIdKey, row.userIdRank),
    session: candidate(row.sessionId, row.sessionIdKey, row.sessionIdRank),
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    turns: row.turns ?? 0,
    errors: row.errors ?? 0,
    sums: readSums(row),
    lastUserInput: latest(row.lastUserInput, row.lastUserInputAtUs, row.lastUserInputTraceId),
    lastAgentOutput: latest(row.lastAgentOutput, row.lastAgentOutputAtUs, row.lastAgentOutputTraceId),
  };
}

type Column = BulkColumn<ConversationState>;

const WRITE_COLUMNS: readonly Column[] = [
  bulkColumn(C.conversationIdKey, (s) => text(s.id?.key)),
  bulkColumn(C.conversationIdRank, (s) => int(s.id?.rank)),
  bulkColumn(C.serviceName, (s) => text(s.serviceName)),
  bulkColumn(C.agentName, (s) => text(s.span?.agentName)),
  bulkColumn(C.channel, (s) => text(s.span?.channel)),
  bulkColumn(C.userId, (s) => text(s.user?.value)),
  bulkColumn(C.userIdKey, (s) => text(s.user?.key)),
  bulkColumn(C.userIdRank, (s) => int(s.user?.rank)),
  bulkColumn(C.sessionId, (s) => text(s.session?.value)),
  bulkColumn(C.sessionIdKey, (s) => text(s.session?.key)),
  bulkColumn(C.sessionIdRank, (s) => int(s.session?.rank)),
  bulkColumn(C.startedAt, (s) => timestamp(conversationExtentOf(s).startedAt)),
  bulkColumn(C.endedAt, (s) => timestamp(conversationExtentOf(s).endedAt)),
  bulkColumn(C.firstSeenAt, (s) => timestamp(s.firstSeenAt)),
  bulkColumn(C.lastSeenAt, (s) => timestamp(s.lastSeenAt)),
  bulkColumn(C.durationMs, (s) => nullableMillis(conversationExtentOf(s).durationUs)),
  bulkColumn(C.status, (s) => conversationStatusOf(s)),
  bulkColumn(C.endReason, (s) => text(s.span?.endReason)),
  bulkColumn(C.errorType, (s) => text(s.span?.errorType)),
  bulkColumn(C.errorMessage, (s) => text(s.span?.errorMessage)),
  bulkColumn(C.hasConversationSpan, (s) => s.span !== undefined),
  bulkColumn(C.conversationTraceId, (s) => text(s.span?.traceId)),
  bulkColumn(C.conversationSpanId, (s) => text(s.span?.spanId)),
  bulkColumn(C.conversationStartedAt, (s) => timestamp(s.span?.startedAt)),
  bulkColumn(C.metadata, (s) => json(s.span?.metadata)),
  bulkColumn(C.turns, (s) => saturateInt32(s.turns)),
  bulkColumn(C.errors, (s) => saturateInt32(s.errors)),
  bulkColumn(C.successRate, (s) => float(successRateOf(s))),
  ...SUMS_COLUMNS,
  bulkColumn(C.lastUserInput, (s) => text(s.lastUserInput?.text)),
  bulkColumn(C.lastUserInputAtUs, (s) => int(s.lastUserInput?.at)),
  bulkColumn(C.lastUserInputTraceId, (s) => text(s.lastUserInput?.traceId)),
  bulkColumn(C.lastAgentOutput, (s) => text(s.lastAgentOutput?.text)),
  bulkColumn(C.lastAgentOutputAtUs, (s) => int(s.lastAgentOutput?.at)),
  bulkColumn(C.lastAgentOutputTraceId, (s) => text(s.lastAgentOutput?.traceId)),
  bulkColumn(C.telephonyProvider, (s) => text(s.span?.telephony?.provider)),
  bulkColumn(C.telephonyDirection, (s) => text(s.span?.telephony?.direction)),
  bulkColumn(C.telephonyMinutes, (s) => float(s.span?.telephony?.minutes)),
  bulkColumn(C.telephonyCostUsd, (s) => money(s.span?.telephony?.costPicos)),
  bulkColumn(C.callCostUsd, (s) => money(totalCostPicos(s.sums) + (s.span?.telephony?.costPicos ?? 0n))),
];

function nullableMillis(value: bigint | undefined): SqlValue {
  return value === undefined ? null : millis(value);
}

/** Writes conversation states back (rows locked in this transaction). */
export async function writeConversations(tx: StoreTransaction, states: readonly ConversationState[]): Promise<void> {
  await tx.updateAll({ table: CONVERSATIONS.name, key: C.conversationId.name, columns: INSERT_COLUMNS, rows: states });
}

const INSERT_COLUMNS: readonly Column[] = [bulkColumn(C.conversationId, (s) => s.conversationId), ...WRITE_COLUMNS];

/**
 * Inserts conversations that did not exist when locked; returns the ids inserted. One that
 * another writer created meanwhile is left as it is and missing from the answer: lock it and
 * write it again.
 */
export async function insertConversations(tx: StoreTransaction, states: readonly ConversationState[]): Promise<Set<string>> {
  const key = [C.conversationId.name];
  const rows = await tx.insertNew({ table: CONVERSATIONS.name, columns: INSERT_COLUMNS, rows: states, conflictKey: key, returning: key });
  return new Set(rows.map((row) => String(row[C.conversationId.name])));
}

/** Deletes conversations left with no turn and no conversation span (after their turns moved away). */
export async function deleteConversations(client: SqlClient, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await client.query(`DELETE FROM ${CONVERSATIONS} WHERE ${C.conversationId} = ANY($1::text[])`, [[...conversationIds]]);
}
