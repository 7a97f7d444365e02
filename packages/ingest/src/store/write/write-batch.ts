// One transaction that writes a merged batch (DESIGN.md §3): raw rows insert-if-new, then the
// summaries change by the deltas of the rows that were actually new. Locks are taken in one
// global order — traces, conversations, rollups, events, each sorted by key — so concurrent
// writers wait for each other but cannot deadlock. The optimistic path inserts the rows of
// traces it found absent last; a writer that created one of them meanwhile makes it fail with
// a unique violation (redone the safe way), and the rare crossing with such a redo is a
// deadlock Postgres breaks, retried like any other.
import type { EventRow, LlmCallRow, StepRow } from '../../normalize/rows.js';
import type { Micros } from '../../normalize/units/time.js';
import { applyTurnFacts, applyTurnSums, conversationOf, type TurnState } from '../summary/turn-state.js';
import { lockTurns, writeTurns, type TraceLocking } from '../summary/trace-table.js';
import { dbQuerySums, llmCallSums, stepSums, ZERO_SUMS, addSums, type Sums } from '../summary/sums.js';
import { compareSpanKeys, spanKey, type WriteBatch } from './batch.js';
import { dbQueriesInsert, eventsInsert, llmCallsInsert, stepsInsert, TRACE_ID_TABLES, type TraceIds, type WithIds } from './raw-tables.js';
import { LlmRollup, repairLlmHourly, StepRollup, upsertLlmHourly, upsertStepHourly } from '../summary/rollups.js';
import { removeFallbackCalls } from './fallback-calls.js';
import { updateConversations } from './update-conversations.js';
import type { BulkInsert, StoreTransaction } from '../store.js';

/** What a write did, for logs and tests. */
export interface WriteStats {
  readonly newLlmCalls: number;
  readonly newSteps: number;
  readonly newDbQueries: number;
  readonly newEvents: number;
  readonly turns: number;
  readonly conversations: number;
}

/** Options of {@link writeBatch}. */
export interface WriteBatchOptions {
  /** How traces not seen before are created; `safe` after an optimistic attempt met a conflict. Default `optimistic`. */
  readonly traceLocking?: TraceLocking;
}

/**
 * Writes a merged batch in the given transaction; commit is the caller's. Idempotent and
 * order-free. With optimistic trace locking (the default) the transaction fails with a unique
 * violation when another writer created one of its traces meanwhile: run it again with `safe`.
 */
export async function writeBatch(tx: StoreTransaction, batch: WriteBatch, options: WriteBatchOptions = {}): Promise<WriteStats> {
  const locking = options.traceLocking ?? 'optimistic';
  // 1. The state row of every trace touched, locked in trace-id order.
  const traceIds = new Set(batch.turns.keys());
  for (const event of batch.events) if (event.traceId !== undefined) traceIds.add(event.traceId);
  const { states: before, created } = await lockTurns(tx, [...traceIds], locking);
  const withFacts = new Map<string, TurnState>();
  for (const [traceId, state] of before) {
    const facts = batch.turns.get(traceId);
    withFacts.set(traceId, facts === undefined ? state : applyTurnFacts(state, facts));
  }
  const ids = new Map<string, TraceIds>();
  const idsOf = (traceId: string): TraceIds => {
    let found = ids.get(traceId);
    if (found === undefined) ids.set(traceId, (found = toTraceIds(withFacts.get(traceId))));
    return found;
  };
  // Spans of traces created by this transaction cannot be stored yet: they skip the conflict check.
  const fresh = locking === 'optimistic' ? created : new Set<string>();
  const withIds = <R extends { readonly traceId: string }>(rows: readonly R[]): WithIds<R>[] => rows.map((row) => ({ row, ids: idsOf(row.traceId) }));

  // 2. Raw rows, insert-if-new, carrying their trace's ids.
  const newSteps = await insertNewRows(tx, withIds(batch.steps), fresh, stepsInsert);
  const newDbQueries = await insertNewRows(tx, withIds(batch.dbQueries), fresh, dbQueriesInsert);

  // 3. Billable calls, and agent spans standing in for traces that have none.
  const fallback = chooseFallbacks(withFacts, batch.llmCalls, newSteps);
  const candidates = fallback.insert.length === 0 ? batch.llmCalls : [...batch.llmCalls, ...fallback.insert].sort(compareSpanKeys);
  const newLlmCalls = await insertNewRows(tx, withIds(candidates), fresh, llmCallsInsert);
  const removed = await removeFallbackCalls(tx, fallback.remove);

  // 4. Turn counters from what was new (and minus stand-ins that were removed).
  const deltas = new Map<string, Sums>();
  const add = (traceId: string, sums: Sums, sign: 1 | -1 = 1): void => {
    deltas.set(traceId, addSums(deltas.get(traceId) ?? ZERO_SUMS, sums, sign));
  };
  for (const row of newLlmCalls) add(row.traceId, llmCallSums(row));
  for (const row of removed) add(row.traceId, llmCallSums(row), -1);
  for (const row of newSteps) add(row.traceId, stepSums(row));
  for (const row of newDbQueries) add(row.traceId, dbQuerySums(row));
  const after = new Map<string, TurnState>();
  for (const [traceId, state] of withFacts) {
    const summed = applyTurnSums(state, deltas.get(traceId) ?? ZERO_SUMS);
    after.set(traceId, { ...summed, fallback: fallback.next.has(traceId) ? fallback.next.get(traceId) : summed.fallback });
  }
  await writeTurns(tx, [...after.values()], fresh);

  // 5. Rows stored earlier follow their trace when its ids changed (a late span named the conversation).
  await propagateTraceIds(tx, before, after, created);

  // 6. Conversations, by the turns' shares before and after.
  const conversations = await updateConversations(tx, before, after, batch.conversations);

  // 7. Hourly rollups.
  // Additions and removals in one sorted upsert: a second pass could lock out of order.
  const llmRollup = new LlmRollup();
  for (const row of newLlmCalls) llmRollup.addRow(row, 1);
  for (const row of removed) llmRollup.addRow(row, -1);
  await upsertLlmHourly(tx, llmRollup);
  await repairLlmHourly(tx, removed);
  const stepRollup = new StepRollup();
  for (const row of newSteps) stepRollup.addRow(row);
  await upsertStepHourly(tx, stepRollup);

  // 8. Events last: they lock only their own keys (never fresh: they are not keyed by span).
  const newEvents = await insertNewRows(tx, batch.events.map((row) => ({ row, ids: eventIds(row, after) })), new Set(), eventsInsert);
  return {
    newLlmCalls: newLlmCalls.length,
    newSteps: newSteps.length,
    newDbQueries: newDbQueries.length,
    newEvents: newEvents.length,
    turns: after.size,
    conversations,
  };
}

function toTraceIds(state: TurnState | undefined): TraceIds {
  return { conversationId: state === undefined ? undefined : conversationOf(state)?.value, userId: state?.user?.value, sessionId: state?.session?.value };
}

function eventIds(row: EventRow, turns: ReadonlyMap<string, TurnState>): TraceIds {
  const ids = toTraceIds(row.traceId === undefined ? undefined : turns.get(row.traceId));
  return { ...ids, conversationId: ids.conversationId ?? row.conversationId };
}

/**
 * Inserts rows, returning those that were new (by key): rows of `fresh` traces with plain
 * COPY (all new by construction), the others with a conflict check.
 */
async function insertNewRows<R extends { readonly traceId?: string | undefined }>(
  tx: StoreTransaction,
  rows: readonly WithIds<R>[],
  fresh: ReadonlySet<string>,
  toInsert: (rows: readonly WithIds<R>[]) => BulkInsert<WithIds<R>>,
): Promise<R[]> {
  const freshRows: WithIds<R>[] = [];
  const known: WithIds<R>[] = [];
  for (const item of rows) (item.row.traceId !== undefined && fresh.has(item.row.traceId) ? freshRows : known).push(item);
  if (freshRows.length > 0) await tx.insertAll(toInsert(freshRows));
  const isNew = freshRows.map((item) => item.row);
  if (known.length === 0) return isNew;
  const insert = toInsert(known);
  const returned = await tx.insertNew(insert);
  const keyOf = (values: Record<string, unknown>): string => insert.conflictKey.map((column) => String(values[column])).join(':');
  const inserted = new Set(returned.map(keyOf));
  for (const { row } of known) if (inserted.has(rowKey(row))) isNew.push(row);
  return isNew;
}


function rowKey(row: object): string {
  if ('eventId' in row) return String((row as EventRow).eventId);
  return spanKey(row as { traceId: string; spanId: string });
}

interface FallbackPlan {
  readonly insert: LlmCallRow[];
  readonly remove: { traceId: string; spanId: string }[];
  /** Each changed trace's stand-in afterwards (undefined: none). */
  readonly next: Map<string, { spanId: string; startedAt: Micros } | undefined>;
}

/**
 * While a trace has no billable call, its earliest agent span with usage (the outermost
 * wrapper) stands in as its LLM call; once a billable call arrives the stand-in goes away.
 */
function chooseFallbacks(turns: ReadonlyMap<string, TurnState>, llmCalls: readonly LlmCallRow[], newSteps: readonly StepRow[]): FallbackPlan {
  const plan: FallbackPlan = { insert: [], remove: [], next: new Map() };
  const billableInBatch = new Set(llmCalls.filter((row) => row.billing === 'call').map((row) => row.traceId));
  const best = new Map<string, LlmCallRow>();
  for (const step of newSteps) {
    const call = step.fallbackLlmCall;
    if (call === undefined) continue;
    const current = best.get(step.traceId);
    if (current === undefined || isEarlier(call, current)) best.set(step.traceId, call);
  }
  for (const [traceId, state] of turns) {
    const current = state.fallback;
    const hasBillable = state.sums.billableCalls > 0 || billableInBatch.has(traceId);
    if (hasBillable) {
      if (current !== undefined) {
        plan.remove.push({ traceId, spanId: current.spanId });
        plan.next.set(traceId, undefined);
      }
      continue;
    }
    const candidate = best.get(traceId);
    if (candidate === undefined) continue;
    if (current !== undefined && !isEarlier(candidate, { startedAt: current.startedAt, spanId: current.spanId })) continue;
    if (current !== undefined) plan.remove.push({ traceId, spanId: current.spanId });
    plan.insert.push(candidate);
    plan.next.set(traceId, { spanId: candidate.spanId, startedAt: candidate.startedAt });
  }
  return plan;
}

function isEarlier(a: { startedAt: Micros; spanId: string }, b: { startedAt: Micros; spanId: string }): boolean {
  return a.startedAt !== b.startedAt ? a.startedAt < b.startedAt : a.spanId < b.spanId;
}

/** Rewrites the ids of rows stored earlier for traces whose ids changed. */
async function propagateTraceIds(
  tx: StoreTransaction,
  before: ReadonlyMap<string, TurnState>,
  after: ReadonlyMap<string, TurnState>,
  created: ReadonlySet<string>,
): Promise<void> {
  const changed: string[] = [];
  for (const [traceId, state] of after) {
    // A turn row created now has no rows stored before (events and spans both create it).
    if (created.has(traceId)) continue;
    const old = toTraceIds(before.get(traceId));
    const next = toTraceIds(state);
    if (old.conversationId !== next.conversationId || old.userId !== next.userId || old.sessionId !== next.sessionId) changed.push(traceId);
  }
  if (changed.length === 0) return;
  changed.sort();
  for (const { table, columns } of TRACE_ID_TABLES) {
    const sets = columns.map((column) => `${column} = t.${column}`).join(', ');
    const differs = columns.map((column) => `r.${column} IS DISTINCT FROM t.${column}`).join(' OR ');
    await tx.query(
      `UPDATE ${table} r SET ${sets} FROM traces t WHERE t.trace_id = ANY($1::text[]) AND r.trace_id = t.trace_id AND (${differs})`,
      [changed],
    );
  }
  // Events keep a conversation they named themselves until their trace has one.
  await tx.query(
    `UPDATE events e SET conversation_id = t.conversation_id FROM traces t
     WHERE t.trace_id = ANY($1::text[]) AND e.trace_id = t.trace_id AND t.conversation_id IS NOT NULL
       AND e.conversation_id IS DISTINCT FROM t.conversation_id`,
    [changed],
  );
}

