// Turn state ↔ the `traces` table (one row per trace; the `turns` view shows those of a
// conversation): lock-and-read, and write back.
import { bulkColumn, readRow, selectList, TRACES, type BulkColumn, type BulkRows, type SqlClient, type SqlValue, type StoreTransaction } from '@convotel/store';
import type { IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { Status } from '../../normalize/concepts/status.js';
import { bool, float, int, json, millis, text, timestamp } from '../columns/to-sql.js';
import { voiceFactsFromJson, voiceFactsToJson } from '../../normalize/concepts/voice-facts.js';
import { selectInnerTurnShares } from '../turns/inner-turn-shares.js';
import { readSums, SUMS_COLUMNS, SUMS_KEYS, TRACE_ONLY_SUMS_COLUMNS, TRACE_ONLY_SUMS_KEYS } from './sums-columns.js';
import { conversationOf, emptyTurnState, turnExtentOf, turnStatusOf, type TurnState } from './turn-state.js';

const T = TRACES.columns;

/** The columns a turn state is read from. */
const STATE_KEYS = [
  'traceId',
  'conversationCandidate',
  'conversationIdKey',
  'conversationIdRank',
  'userId',
  'userIdKey',
  'userIdRank',
  'sessionId',
  'sessionIdKey',
  'sessionIdRank',
  'hasGenai',
  'serviceName',
  'rootSpanId',
  'rootName',
  'rootIsTurn',
  'rootStartedAt',
  'rootEndedAt',
  'rootDurationUs',
  'rootStatus',
  'errorType',
  'errorMessage',
  'turnIndex',
  'intent',
  'classification',
  'interrupted',
  'perceivedLatencyMs',
  'firstSeenAt',
  'lastSeenAt',
  'userInput',
  'userInputRank',
  'userInputAtUs',
  'agentOutput',
  'agentOutputRank',
  'agentOutputAtUs',
  'dbSystem',
  ...SUMS_KEYS,
  ...TRACE_ONLY_SUMS_KEYS,
  'fallbackSpanId',
  'fallbackStartedAtUs',
  'voiceFacts',
  'turnCount',
] as const satisfies readonly (keyof typeof T)[];

const SELECT_COLUMNS = selectList(TRACES, STATE_KEYS);

type Row = Record<string, unknown>;

/**
 * How a write treats traces it has not seen: `optimistic` reads and locks the existing rows
 * only, and inserts the new ones whole at the end, their spans with plain COPY (one row
 * version each, no conflict handling); a concurrent writer creating the same trace makes that
 * transaction fail with a unique violation. `safe` first creates placeholder rows for every
 * trace (the retry after such a failure; it cannot conflict).
 */
export type TraceLocking = 'optimistic' | 'safe';

/**
 * Locks the turn rows of the given traces in trace-id order (one global lock order across
 * concurrent writers, so they cannot deadlock) and returns their current state. `created`
 * holds the trace ids whose row did not exist: with `safe` locking a placeholder row is
 * inserted for them; with `optimistic` nothing is, and `turnsInsert` gives their rows.
 */
export async function lockTurns(
  client: SqlClient,
  traceIds: readonly string[],
  locking: TraceLocking,
): Promise<{ states: Map<string, TurnState>; created: Set<string> }> {
  const sorted = [...new Set(traceIds)].sort();
  if (locking === 'optimistic') {
    const { rows } = await client.query<Row>(
      `SELECT ${SELECT_COLUMNS} FROM ${TRACES} WHERE ${T.traceId} = ANY($1::text[]) ORDER BY ${T.traceId} FOR UPDATE`,
      [sorted],
    );
    const states = new Map<string, TurnState>();
    for (const state of await withInnerTurns(client, rows.map(toTurnState))) states.set(state.traceId, state);
    const created = new Set<string>();
    for (const traceId of sorted) {
      if (states.has(traceId)) continue;
      states.set(traceId, emptyTurnState(traceId));
      created.add(traceId);
    }
    return { states, created };
  }
  const { rows } = await client.query<Row>(
    `INSERT INTO ${TRACES} (${T.traceId}) SELECT t FROM unnest($1::text[]) AS u(t) ORDER BY t
     ON CONFLICT (${T.traceId}) DO UPDATE SET ${T.hasGenai} = ${TRACES}.${T.hasGenai}
     RETURNING (xmax = 0) AS is_created, ${SELECT_COLUMNS}`,
    [sorted],
  );
  const states = new Map<string, TurnState>();
  const created = new Set<string>();
  for (const state of await withInnerTurns(client, rows.map(toTurnState))) states.set(state.traceId, state);
  for (const row of rows) if (row['is_created'] === true) created.add(String(row[T.traceId.name]));
  return { states, created };
}

function candidate(value: string | undefined, key: string | undefined, rank: number | undefined): IdCandidate | undefined {
  return value === undefined ? undefined : { value, key: key ?? '', rank: rank ?? 0 };
}

function toTurnState(selected: Row): TurnState {
  const row = readRow(TRACES, STATE_KEYS, selected);
  return {
    ...emptyTurnState(row.traceId ?? ''),
    conversationCandidate: candidate(row.conversationCandidate, row.conversationIdKey, row.conversationIdRank),
    user: candidate(row.userId, row.userIdKey, row.userIdRank),
    session: candidate(row.sessionId, row.sessionIdKey, row.sessionIdRank),
    hasGenAi: row.hasGenai ?? false,
    serviceName: row.serviceName,
    root:
      row.rootSpanId === undefined
        ? undefined
        : {
            spanId: row.rootSpanId,
            name: row.rootName ?? '',
            startedAt: row.rootStartedAt ?? 0n,
            endedAt: row.rootEndedAt ?? 0n,
            durationUs: row.rootDurationUs ?? 0n,
            status: (row.rootStatus ?? 'ok') as Status,
            errorType: row.errorType,
            errorMessage: row.errorMessage,
            isConvotelTurn: row.rootIsTurn ?? false,
            turnIndex: row.turnIndex,
            intent: row.intent,
            classification: row.classification,
            isInterrupted: row.interrupted,
            perceivedLatencyMs: row.perceivedLatencyMs,
          },
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    userInput: row.userInput === undefined ? undefined : { text: row.userInput, rank: row.userInputRank ?? 0, at: row.userInputAtUs ?? 0n },
    agentOutput: row.agentOutput === undefined ? undefined : { text: row.agentOutput, rank: row.agentOutputRank ?? 0, at: row.agentOutputAtUs ?? 0n },
    dbSystem: row.dbSystem,
    sums: readSums(row),
    fallback: row.fallbackSpanId === undefined ? undefined : { spanId: row.fallbackSpanId, startedAt: row.fallbackStartedAtUs ?? 0n },
    voice: voiceFactsFromJson(row.voiceFacts),
    // Filled by withInnerTurns.
    inner: row.turnCount === undefined ? undefined : [],
  };
}

/** The states with the turn spans inside their trace read from `trace_turns` (for those that hold some). */
async function withInnerTurns(client: SqlClient, states: TurnState[]): Promise<TurnState[]> {
  const segmented = states.filter((state) => state.inner !== undefined).map((state) => state.traceId);
  if (segmented.length === 0) return states;
  const inner = await selectInnerTurnShares(client, segmented);
  return states.map((state) => (state.inner === undefined ? state : { ...state, inner: inner.get(state.traceId) ?? [] }));
}

type Column = BulkColumn<TurnState>;

const WRITE_COLUMNS: readonly Column[] = [
  bulkColumn(T.conversationId, (s) => text(conversationOf(s)?.value)),
  bulkColumn(T.conversationIdKey, (s) => text(conversationOf(s)?.key ?? s.conversationCandidate?.key)),
  bulkColumn(T.conversationIdRank, (s) => int(conversationOf(s)?.rank ?? s.conversationCandidate?.rank)),
  bulkColumn(T.conversationCandidate, (s) => text(s.conversationCandidate?.value)),
  bulkColumn(T.userId, (s) => text(s.user?.value)),
  bulkColumn(T.userIdKey, (s) => text(s.user?.key)),
  bulkColumn(T.userIdRank, (s) => int(s.user?.rank)),
  bulkColumn(T.sessionId, (s) => text(s.session?.value)),
  bulkColumn(T.sessionIdKey, (s) => text(s.session?.key)),
  bulkColumn(T.sessionIdRank, (s) => int(s.session?.rank)),
  bulkColumn(T.hasGenai, (s) => s.hasGenAi),
  bulkColumn(T.serviceName, (s) => text(s.serviceName)),
  bulkColumn(T.rootSpanId, (s) => text(s.root?.spanId)),
  bulkColumn(T.rootName, (s) => text(s.root?.name)),
  bulkColumn(T.rootIsTurn, (s) => bool(s.root?.isConvotelTurn)),
  bulkColumn(T.rootStartedAt, (s) => timestamp(s.root?.startedAt)),
  bulkColumn(T.rootEndedAt, (s) => timestamp(s.root?.endedAt)),
  bulkColumn(T.rootDurationUs, (s) => int(s.root?.durationUs)),
  bulkColumn(T.rootStatus, (s) => text(s.root?.status)),
  bulkColumn(T.errorType, (s) => text(s.root?.errorType)),
  bulkColumn(T.errorMessage, (s) => text(s.root?.errorMessage)),
  bulkColumn(T.turnIndex, (s) => int(s.root?.turnIndex)),
  bulkColumn(T.intent, (s) => text(s.root?.intent)),
  bulkColumn(T.classification, (s) => text(s.root?.classification)),
  bulkColumn(T.interrupted, (s) => bool(s.voice?.interruptedByUser === true ? true : s.root?.isInterrupted)),
  bulkColumn(T.perceivedLatencyMs, (s) => float(s.root?.perceivedLatencyMs)),
  bulkColumn(T.startedAt, (s) => timestamp(turnExtentOf(s).startedAt)),
  bulkColumn(T.endedAt, (s) => timestamp(turnExtentOf(s).endedAt)),
  bulkColumn(T.durationMs, (s) => nullableMillis(turnExtentOf(s).durationUs)),
  bulkColumn(T.status, (s) => turnStatusOf(s)),
  bulkColumn(T.firstSeenAt, (s) => timestamp(s.firstSeenAt)),
  bulkColumn(T.lastSeenAt, (s) => timestamp(s.lastSeenAt)),
  bulkColumn(T.userInput, (s) => text(s.userInput?.text)),
  bulkColumn(T.userInputRank, (s) => int(s.userInput?.rank)),
  bulkColumn(T.userInputAtUs, (s) => int(s.userInput?.at)),
  bulkColumn(T.agentOutput, (s) => text(s.agentOutput?.text)),
  bulkColumn(T.agentOutputRank, (s) => int(s.agentOutput?.rank)),
  bulkColumn(T.agentOutputAtUs, (s) => int(s.agentOutput?.at)),
  bulkColumn(T.dbSystem, (s) => text(s.dbSystem)),
  ...SUMS_COLUMNS,
  ...TRACE_ONLY_SUMS_COLUMNS,
  bulkColumn(T.fallbackSpanId, (s) => text(s.fallback?.spanId)),
  bulkColumn(T.fallbackStartedAtUs, (s) => int(s.fallback?.startedAt)),
  bulkColumn(T.voiceFacts, (s) => (s.voice === undefined ? null : json(voiceFactsToJson(s.voice)))),
];

function nullableMillis(micros: bigint | undefined): SqlValue {
  return micros === undefined ? null : millis(micros);
}

const INSERT_COLUMNS: readonly Column[] = [bulkColumn(T.traceId, (s) => s.traceId), ...WRITE_COLUMNS];

/** Writes the states of rows locked by `lockTurns` back (traces it created optimistically go in with `turnsInsert`). */
export async function writeTurns(tx: StoreTransaction, states: readonly TurnState[]): Promise<void> {
  await tx.updateAll({ table: TRACES.name, key: T.traceId.name, columns: INSERT_COLUMNS, rows: states });
}

/** Whole rows of traces absent so far (created by an optimistic `lockTurns`), in trace-id order, for `insertAll`. */
export function turnsInsert(states: readonly TurnState[]): BulkRows<TurnState> {
  return { table: TRACES.name, columns: INSERT_COLUMNS, rows: [...states].sort((a, b) => (a.traceId < b.traceId ? -1 : 1)) };
}

/** Current state of every turn of the given conversations (for a full recount). */
export async function selectTurnsOf(client: SqlClient, conversationIds: readonly string[]): Promise<TurnState[]> {
  const { rows } = await client.query<Row>(`SELECT ${SELECT_COLUMNS} FROM ${TRACES} WHERE ${T.conversationId} = ANY($1::text[])`, [[...conversationIds]]);
  return withInnerTurns(client, rows.map(toTurnState));
}
