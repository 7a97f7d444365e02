// Turn state ↔ the `traces` table (one row per trace; the `turns` view shows those of a
// conversation): lock-and-read, and write back.
import type { IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { Status } from '../../normalize/concepts/status.js';
import { bool, float, int, millis, text, timestamp } from '../columns/to-sql.js';
import { micros, readBigInt, readBool, readFloat, readInt, readText } from '../columns/from-sql.js';
import type { BulkColumn, BulkRows, SqlClient, SqlValue, StoreTransaction } from '@convotel/store';
import { readSums, readSumsColumns, SUMS_COLUMNS, TRACE_ONLY_SUMS_COLUMNS } from './sums-columns.js';
import { conversationOf, emptyTurnState, turnExtentOf, turnStatusOf, type TurnState } from './turn-state.js';

const SELECT_COLUMNS = [
  'trace_id',
  'conversation_candidate',
  'conversation_id_key',
  'conversation_id_rank',
  'user_id',
  'user_id_key',
  'user_id_rank',
  'session_id',
  'session_id_key',
  'session_id_rank',
  'has_genai',
  'service_name',
  'root_span_id',
  'root_name',
  'root_is_turn',
  micros('root_started_at'),
  micros('root_ended_at'),
  'root_duration_us',
  'root_status',
  'error_type',
  'error_message',
  'turn_index',
  'intent',
  'classification',
  'interrupted',
  'perceived_latency_ms',
  micros('first_seen_at'),
  micros('last_seen_at'),
  'user_input',
  'user_input_rank',
  'user_input_at_us',
  'agent_output',
  'agent_output_rank',
  'agent_output_at_us',
  'db_system',
  ...readSumsColumns([...SUMS_COLUMNS, ...TRACE_ONLY_SUMS_COLUMNS]),
  'fallback_span_id',
  'fallback_started_at_us',
].join(', ');

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
      `SELECT ${SELECT_COLUMNS} FROM traces WHERE trace_id = ANY($1::text[]) ORDER BY trace_id FOR UPDATE`,
      [sorted],
    );
    const states = new Map<string, TurnState>();
    for (const row of rows) {
      const state = toTurnState(row);
      states.set(state.traceId, state);
    }
    const created = new Set<string>();
    for (const traceId of sorted) {
      if (states.has(traceId)) continue;
      states.set(traceId, emptyTurnState(traceId));
      created.add(traceId);
    }
    return { states, created };
  }
  const { rows } = await client.query<Row>(
    `INSERT INTO traces (trace_id) SELECT t FROM unnest($1::text[]) AS u(t) ORDER BY t
     ON CONFLICT (trace_id) DO UPDATE SET has_genai = traces.has_genai
     RETURNING (xmax = 0) AS is_created, ${SELECT_COLUMNS}`,
    [sorted],
  );
  const states = new Map<string, TurnState>();
  const created = new Set<string>();
  for (const row of rows) {
    const state = toTurnState(row);
    states.set(state.traceId, state);
    if (row['is_created'] === true) created.add(state.traceId);
  }
  return { states, created };
}

function candidate(value: unknown, key: unknown, rank: unknown): IdCandidate | undefined {
  const text = readText(value);
  return text === undefined ? undefined : { value: text, key: readText(key) ?? '', rank: readInt(rank) ?? 0 };
}

function toTurnState(row: Row): TurnState {
  const traceId = String(row['trace_id']);
  const rootSpanId = readText(row['root_span_id']);
  const userInput = readText(row['user_input']);
  const agentOutput = readText(row['agent_output']);
  const fallbackSpanId = readText(row['fallback_span_id']);
  return {
    ...emptyTurnState(traceId),
    conversationCandidate: candidate(row['conversation_candidate'], row['conversation_id_key'], row['conversation_id_rank']),
    user: candidate(row['user_id'], row['user_id_key'], row['user_id_rank']),
    session: candidate(row['session_id'], row['session_id_key'], row['session_id_rank']),
    hasGenAi: readBool(row['has_genai']) ?? false,
    serviceName: readText(row['service_name']),
    root:
      rootSpanId === undefined
        ? undefined
        : {
            spanId: rootSpanId,
            name: readText(row['root_name']) ?? '',
            startedAt: readBigInt(row['root_started_at_us']) ?? 0n,
            endedAt: readBigInt(row['root_ended_at_us']) ?? 0n,
            durationUs: readBigInt(row['root_duration_us']) ?? 0n,
            status: (readText(row['root_status']) ?? 'ok') as Status,
            errorType: readText(row['error_type']),
            errorMessage: readText(row['error_message']),
            isConvotelTurn: readBool(row['root_is_turn']) ?? false,
            turnIndex: readInt(row['turn_index']),
            intent: readText(row['intent']),
            classification: readText(row['classification']),
            isInterrupted: readBool(row['interrupted']),
            perceivedLatencyMs: readFloat(row['perceived_latency_ms']),
          },
    firstSeenAt: readBigInt(row['first_seen_at_us']),
    lastSeenAt: readBigInt(row['last_seen_at_us']),
    userInput: userInput === undefined ? undefined : { text: userInput, rank: readInt(row['user_input_rank']) ?? 0, at: readBigInt(row['user_input_at_us']) ?? 0n },
    agentOutput:
      agentOutput === undefined ? undefined : { text: agentOutput, rank: readInt(row['agent_output_rank']) ?? 0, at: readBigInt(row['agent_output_at_us']) ?? 0n },
    dbSystem: readText(row['db_system']),
    sums: readSums(row),
    fallback: fallbackSpanId === undefined ? undefined : { spanId: fallbackSpanId, startedAt: readBigInt(row['fallback_started_at_us']) ?? 0n },
  };
}

type Column = BulkColumn<TurnState>;

const WRITE_COLUMNS: readonly Column[] = [
  { name: 'conversation_id', type: 'text', get: (s) => text(conversationOf(s)?.value) },
  { name: 'conversation_id_key', type: 'text', get: (s) => text(conversationOf(s)?.key ?? s.conversationCandidate?.key) },
  { name: 'conversation_id_rank', type: 'integer', get: (s) => int(conversationOf(s)?.rank ?? s.conversationCandidate?.rank) },
  { name: 'conversation_candidate', type: 'text', get: (s) => text(s.conversationCandidate?.value) },
  { name: 'user_id', type: 'text', get: (s) => text(s.user?.value) },
  { name: 'user_id_key', type: 'text', get: (s) => text(s.user?.key) },
  { name: 'user_id_rank', type: 'integer', get: (s) => int(s.user?.rank) },
  { name: 'session_id', type: 'text', get: (s) => text(s.session?.value) },
  { name: 'session_id_key', type: 'text', get: (s) => text(s.session?.key) },
  { name: 'session_id_rank', type: 'integer', get: (s) => int(s.session?.rank) },
  { name: 'has_genai', type: 'boolean', get: (s) => s.hasGenAi },
  { name: 'service_name', type: 'text', get: (s) => text(s.serviceName) },
  { name: 'root_span_id', type: 'text', get: (s) => text(s.root?.spanId) },
  { name: 'root_name', type: 'text', get: (s) => text(s.root?.name) },
  { name: 'root_is_turn', type: 'boolean', get: (s) => bool(s.root?.isConvotelTurn) },
  { name: 'root_started_at', type: 'timestamptz', get: (s) => timestamp(s.root?.startedAt) },
  { name: 'root_ended_at', type: 'timestamptz', get: (s) => timestamp(s.root?.endedAt) },
  { name: 'root_duration_us', type: 'bigint', get: (s) => int(s.root?.durationUs) },
  { name: 'root_status', type: 'text', get: (s) => text(s.root?.status) },
  { name: 'error_type', type: 'text', get: (s) => text(s.root?.errorType) },
  { name: 'error_message', type: 'text', get: (s) => text(s.root?.errorMessage) },
  { name: 'turn_index', type: 'integer', get: (s) => int(s.root?.turnIndex) },
  { name: 'intent', type: 'text', get: (s) => text(s.root?.intent) },
  { name: 'classification', type: 'text', get: (s) => text(s.root?.classification) },
  { name: 'interrupted', type: 'boolean', get: (s) => bool(s.root?.isInterrupted) },
  { name: 'perceived_latency_ms', type: 'double precision', get: (s) => float(s.root?.perceivedLatencyMs) },
  { name: 'started_at', type: 'timestamptz', get: (s) => timestamp(turnExtentOf(s).startedAt) },
  { name: 'ended_at', type: 'timestamptz', get: (s) => timestamp(turnExtentOf(s).endedAt) },
  { name: 'duration_ms', type: 'double precision', get: (s) => nullableMillis(turnExtentOf(s).durationUs) },
  { name: 'status', type: 'text', get: (s) => turnStatusOf(s) },
  { name: 'first_seen_at', type: 'timestamptz', get: (s) => timestamp(s.firstSeenAt) },
  { name: 'last_seen_at', type: 'timestamptz', get: (s) => timestamp(s.lastSeenAt) },
  { name: 'user_input', type: 'text', get: (s) => text(s.userInput?.text) },
  { name: 'user_input_rank', type: 'integer', get: (s) => int(s.userInput?.rank) },
  { name: 'user_input_at_us', type: 'bigint', get: (s) => int(s.userInput?.at) },
  { name: 'agent_output', type: 'text', get: (s) => text(s.agentOutput?.text) },
  { name: 'agent_output_rank', type: 'integer', get: (s) => int(s.agentOutput?.rank) },
  { name: 'agent_output_at_us', type: 'bigint', get: (s) => int(s.agentOutput?.at) },
  { name: 'db_system', type: 'text', get: (s) => text(s.dbSystem) },
  ...SUMS_COLUMNS,
  ...TRACE_ONLY_SUMS_COLUMNS,
  { name: 'fallback_span_id', type: 'text', get: (s) => text(s.fallback?.spanId) },
  { name: 'fallback_started_at_us', type: 'bigint', get: (s) => int(s.fallback?.startedAt) },
];

function nullableMillis(micros: bigint | undefined): SqlValue {
  return micros === undefined ? null : millis(micros);
}

const INSERT_COLUMNS: readonly Column[] = [{ name: 'trace_id', type: 'text', get: (s) => s.traceId }, ...WRITE_COLUMNS];

/** Writes the states of rows locked by `lockTurns` back (traces it created optimistically go in with `turnsInsert`). */
export async function writeTurns(tx: StoreTransaction, states: readonly TurnState[]): Promise<void> {
  await tx.updateAll({ table: 'traces', key: 'trace_id', columns: INSERT_COLUMNS, rows: states });
}

/** Whole rows of traces absent so far (created by an optimistic `lockTurns`), in trace-id order, for `insertAll`. */
export function turnsInsert(states: readonly TurnState[]): BulkRows<TurnState> {
  return { table: 'traces', columns: INSERT_COLUMNS, rows: [...states].sort((a, b) => (a.traceId < b.traceId ? -1 : 1)) };
}

/** Current state of every turn of the given conversations (for a full recount). */
export async function selectTurnsOf(client: SqlClient, conversationIds: readonly string[]): Promise<TurnState[]> {
  const { rows } = await client.query<Row>(`SELECT ${SELECT_COLUMNS} FROM traces WHERE conversation_id = ANY($1::text[])`, [[...conversationIds]]);
  return rows.map(toTurnState);
}
