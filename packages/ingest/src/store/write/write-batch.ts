// One transaction that writes a merged batch (DESIGN.md §3): raw rows insert-if-new, then the
// summaries change by the deltas of the rows that were actually new (error occurrences, not a
// sum, are recomputed from the stored rows of the locked traces with failures). Locks are taken in one
// global order — traces, conversations, rollups, events, each sorted by key — so concurrent
// writers wait for each other but cannot deadlock. The optimistic path inserts the rows of
// traces it found absent with plain COPY, before the rest; a writer that created one of them
// meanwhile makes it fail with a unique violation (redone the safe way), and the rare crossing
// with such a redo is a deadlock Postgres breaks, retried like any other.
import { EVENTS, TRACES, type BulkInsert, type BulkRows, type StoreTransaction } from '@convotel/store';
import type { DbQueryRow, EventRow, LlmCallRow, StepRow } from '../../normalize/rows.js';
import type { Micros } from '../../normalize/units/time.js';
import { applyTurnFacts, applyTurnSums, conversationOf, type TurnState } from '../summary/turn-state.js';
import { lockTurns, turnsInsert, writeTurns, type TraceLocking } from '../summary/trace-table.js';
import { dbQuerySums, llmCallSums, stepSums, ZERO_SUMS, addSums, type Sums } from '../summary/sums.js';
import { compareSpanKeys, spanKey, type WriteBatch } from './batch.js';
import { dbQueriesInsert, eventsInsert, llmCallsInsert, stepsInsert, TRACE_ID_TABLES, type TraceIds, type WithIds } from './raw-tables.js';
import { removeFallbackCalls, type RemovedCall } from './fallback-calls.js';
import { selectRelabelledCalls, type RelabelledCall } from './stored-calls.js';
import { pairNewTwins, pairStoredTwins } from './twin-calls.js';
import { updateConversations } from './update-conversations.js';
import { announceCommit } from './announce-commit.js';
import { insertSpanEdges, refreshTurns } from '../turns/refresh-turns.js';
import { applyAttemptOutcomes } from './request-outcomes.js';
import { applyRequestAttempts } from '../../normalize/spans/request-attempts.js';
import { updateRollups } from './update-rollups.js';
import { tracesToRecount, updateErrorOccurrences } from '../summary/error-occurrences.js';

/** Options of {@link writeBatch}. */
export interface WriteBatchOptions {
  /** How traces not seen before are created; `safe` after an optimistic attempt met a conflict. Default `optimistic`. */
  readonly traceLocking?: TraceLocking;
  /** Tell the live feed of the commit (CONVOTEL_LIVE). Default true. */
  readonly shouldAnnounce?: boolean;
}

/**
 * Writes a merged batch in the given transaction; commit is the caller's. Idempotent and
 * order-free. With optimistic trace locking (the default) the transaction fails with a unique
 * violation when another writer created one of its traces meanwhile: run it again with `safe`.
 */
export async function writeBatch(tx: StoreTransaction, batch: WriteBatch, options: WriteBatchOptions = {}): Promise<void> {
  const locking = options.traceLocking ?? 'optimistic';
  // 1. The state row of every trace touched, locked in trace-id order.
  const traceIds = new Set(batch.turns.keys());
  for (const edge of batch.spanEdges) traceIds.add(edge.traceId);
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
  const withIds = <R extends { readonly traceId: string }>(rows: readonly R[]): WithIds<R>[] => rows.map((row) => ({ row, ids: idsOf(row.traceId) }));

  // 2. Traces created by this transaction (optimistic locking) have no rows stored yet: all of
  // their rows are new, so their stand-ins and turn rows are known now. Everything goes in with
  // plain COPY, the next table encoded while the database parses the one before.
  const fresh = locking === 'optimistic' ? created : new Set<string>();
  const { inside: freshPart, outside: knownPart } = partitionByTrace(withFacts, batch, fresh);
  // A LiveKit request and its failed try can come in different requests of one batch.
  const batchAttempts = batch.spanEdges.flatMap((edge) => (edge.attempt === undefined ? [] : [edge.attempt]));
  const freshPaired = pairNewTwins(applyRequestAttempts(freshPart.llmCalls, batchAttempts));
  const freshPlan = chooseFallbacks(freshPart.turns, freshPaired, freshPart.steps);
  const freshCalls = withStandIns(freshPaired, freshPlan.insert);
  const freshAfter = afterStates(freshPart.turns, { calls: freshCalls, removed: [], steps: freshPart.steps, dbQueries: freshPart.dbQueries }, freshPlan);
  const copy = <R>(bulk: BulkRows<R>): FreshCopy => ({ rows: bulk.rows.length, prefetch: () => tx.prefetch(bulk), write: () => tx.insertAll(bulk) });
  const freshCopies = [
    copy(stepsInsert(withIds(freshPart.steps))),
    copy(dbQueriesInsert(withIds(freshPart.dbQueries))),
    copy(llmCallsInsert(withIds(freshCalls))),
    copy(turnsInsert([...freshAfter.values()])),
  ].filter((fresh) => fresh.rows > 0);
  for (const [i, fresh] of freshCopies.entries()) {
    const written = fresh.write();
    freshCopies[i + 1]?.prefetch();
    await written;
  }

  // 3. Rows of traces stored before: insert-if-new, and only the new ones count.
  const newKnownSteps = await insertNewRows(tx, withIds(knownPart.steps), stepsInsert);
  const newKnownDbQueries = await insertNewRows(tx, withIds(knownPart.dbQueries), dbQueriesInsert);
  const paired = await pairStoredTwins(tx, knownPart.llmCalls);
  const outcomes = await applyAttemptOutcomes(tx, paired.calls, batch.spanEdges);
  const twins = { calls: outcomes.calls, removed: [...paired.removed, ...outcomes.removed], added: [...paired.added, ...outcomes.added] };
  const knownPlan = chooseFallbacks(knownPart.turns, twins.calls, newKnownSteps);
  const newKnownCalls = await insertNewRows(tx, withIds(withStandIns(twins.calls, knownPlan.insert)), llmCallsInsert);
  const removed = [...(await removeFallbackCalls(tx, knownPlan.remove)), ...twins.removed];
  const knownAfter = afterStates(
    knownPart.turns,
    { calls: [...newKnownCalls, ...twins.added], removed, steps: newKnownSteps, dbQueries: newKnownDbQueries },
    knownPlan,
  );
  await writeTurns(tx, [...knownAfter.values()]);
  // In lock order, as every later step expects.
  const written = new Map<string, TurnState>();
  for (const traceId of withFacts.keys()) written.set(traceId, (freshAfter.get(traceId) ?? knownAfter.get(traceId)) as TurnState);

  // 3b. Turns inside call-long traces, and voice breakdowns, recomputed from what is now stored.
  await insertSpanEdges(tx, batch.spanEdges);
  const newLlmCalls = [...freshCalls, ...newKnownCalls];
  const newSteps = [...freshPart.steps, ...newKnownSteps];
  const after = await refreshTurns(tx, written, batch.spanEdges, { created, calls: newLlmCalls, steps: newSteps });

  // 4. Rows stored earlier follow their trace when its ids changed (a late span named the conversation).
  const relabelled = await propagateTraceIds(tx, before, after, created);

  // 5. Conversations, by the turns' shares before and after.
  const conversations = await updateConversations(tx, before, after, batch.conversations);

  // 6. Rollups, and the error occurrences of traces with failed rows (locked with their trace).
  const newDbQueries = [...freshPart.dbQueries, ...newKnownDbQueries];
  await updateRollups(tx, {
    newCalls: newLlmCalls,
    idsOf,
    added: twins.added,
    removed,
    relabelled,
    newSteps,
    newDbQueries,
    before,
    after,
    conversations,
  });
  await updateErrorOccurrences(tx, tracesToRecount(before, after, newDbQueries));

  // 7. Events last: they lock only their own keys.
  const newEvents = await insertNewRows(tx, batch.events.map((row) => ({ row, ids: eventIds(row, after) })), eventsInsert);

  // 8. The live feed hears of completed turns, errors and changed conversations at commit.
  if (options.shouldAnnounce ?? true) await announceCommit(tx, { before, after, conversations: batch.conversations, newEvents });
}

/** A COPY of rows of fresh traces, and the start of its encoding ahead. */
interface FreshCopy {
  readonly rows: number;
  readonly prefetch: () => void;
  readonly write: () => Promise<void>;
}

/** Turns and rows of some of the batch's traces. */
interface TracePart {
  readonly turns: Map<string, TurnState>;
  readonly steps: StepRow[];
  readonly dbQueries: DbQueryRow[];
  readonly llmCalls: LlmCallRow[];
}

/** The batch's turns and rows split by whether their trace is in `traces`, in one pass. */
function partitionByTrace(turns: ReadonlyMap<string, TurnState>, batch: WriteBatch, traces: ReadonlySet<string>): { inside: TracePart; outside: TracePart } {
  const inside: TracePart = { turns: new Map(), steps: [], dbQueries: [], llmCalls: [] };
  const outside: TracePart = { turns: new Map(), steps: [], dbQueries: [], llmCalls: [] };
  const partOf = (traceId: string): TracePart => (traces.has(traceId) ? inside : outside);
  for (const [traceId, state] of turns) partOf(traceId).turns.set(traceId, state);
  for (const row of batch.steps) partOf(row.traceId).steps.push(row);
  for (const row of batch.dbQueries) partOf(row.traceId).dbQueries.push(row);
  for (const row of batch.llmCalls) partOf(row.traceId).llmCalls.push(row);
  return { inside, outside };
}

/** Billable calls plus the stand-ins chosen for traces that have none, in key order. */
function withStandIns(calls: LlmCallRow[], standIns: readonly LlmCallRow[]): LlmCallRow[] {
  return standIns.length === 0 ? calls : [...calls, ...standIns].sort(compareSpanKeys);
}

/** The turn states once the new rows (and the stand-ins removed) are counted. */
function afterStates(
  turns: ReadonlyMap<string, TurnState>,
  rows: { readonly calls: readonly (LlmCallRow | RemovedCall)[]; readonly removed: readonly RemovedCall[]; readonly steps: readonly StepRow[]; readonly dbQueries: readonly DbQueryRow[] },
  plan: FallbackPlan,
): Map<string, TurnState> {
  const deltas = new Map<string, Sums>();
  const add = (traceId: string, sums: Sums, sign: 1 | -1 = 1): void => {
    deltas.set(traceId, addSums(deltas.get(traceId) ?? ZERO_SUMS, sums, sign));
  };
  for (const row of rows.calls) add(row.traceId, llmCallSums(row));
  for (const row of rows.removed) add(row.traceId, llmCallSums(row), -1);
  for (const row of rows.steps) add(row.traceId, stepSums(row));
  for (const row of rows.dbQueries) add(row.traceId, dbQuerySums(row));
  const after = new Map<string, TurnState>();
  for (const [traceId, state] of turns) {
    const summed = applyTurnSums(state, deltas.get(traceId) ?? ZERO_SUMS);
    after.set(traceId, { ...summed, fallback: plan.next.has(traceId) ? plan.next.get(traceId) : summed.fallback });
  }
  return after;
}

function toTraceIds(state: TurnState | undefined): TraceIds {
  return { conversationId: state === undefined ? undefined : conversationOf(state)?.value, userId: state?.user?.value, sessionId: state?.session?.value };
}

function eventIds(row: EventRow, turns: ReadonlyMap<string, TurnState>): TraceIds {
  const ids = toTraceIds(row.traceId === undefined ? undefined : turns.get(row.traceId));
  return { ...ids, conversationId: ids.conversationId ?? row.conversationId };
}

/** Inserts rows whose trace was stored before, returning those that were new (by key). */
async function insertNewRows<R extends { readonly traceId?: string | undefined }>(
  tx: StoreTransaction,
  rows: readonly WithIds<R>[],
  toInsert: (rows: readonly WithIds<R>[]) => BulkInsert<WithIds<R>>,
): Promise<R[]> {
  if (rows.length === 0) return [];
  const insert = toInsert(rows);
  const returned = await tx.insertNew(insert);
  const keyOf = (values: Record<string, unknown>): string => insert.returning.map((column) => String(values[column])).join(':');
  const inserted = new Set(returned.map(keyOf));
  return rows.filter(({ row }) => inserted.has(rowKey(row))).map(({ row }) => row);
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

/** Rewrites the ids of rows stored earlier for traces whose ids changed; returns the counted calls whose user or session it changed. */
async function propagateTraceIds(
  tx: StoreTransaction,
  before: ReadonlyMap<string, TurnState>,
  after: ReadonlyMap<string, TurnState>,
  created: ReadonlySet<string>,
): Promise<RelabelledCall[]> {
  const changed: string[] = [];
  for (const [traceId, state] of after) {
    // A turn row created now has no rows stored before (events and spans both create it).
    if (created.has(traceId)) continue;
    const old = toTraceIds(before.get(traceId));
    const next = toTraceIds(state);
    if (old.conversationId !== next.conversationId || old.userId !== next.userId || old.sessionId !== next.sessionId) changed.push(traceId);
  }
  if (changed.length === 0) return [];
  changed.sort();
  const relabelled = await selectRelabelledCalls(tx, changed);
  const t = TRACES.columns;
  for (const { table, traceId, ids } of TRACE_ID_TABLES) {
    const sets = ids.map(([column, source]) => `${column} = t.${source}`).join(', ');
    const differs = ids.map(([column, source]) => `r.${column} IS DISTINCT FROM t.${source}`).join(' OR ');
    await tx.query(
      `UPDATE ${table} r SET ${sets} FROM ${TRACES} t WHERE t.${t.traceId} = ANY($1::text[]) AND r.${traceId} = t.${t.traceId} AND (${differs})`,
      [changed],
    );
  }
  // Events keep a conversation they named themselves until their trace has one.
  const e = EVENTS.columns;
  await tx.query(
    `UPDATE ${EVENTS} e SET ${e.conversationId} = t.${t.conversationId} FROM ${TRACES} t
     WHERE t.${t.traceId} = ANY($1::text[]) AND e.${e.traceId} = t.${t.traceId} AND t.${t.conversationId} IS NOT NULL
       AND e.${e.conversationId} IS DISTINCT FROM t.${t.conversationId}`,
    [changed],
  );
  return relabelled;
}

