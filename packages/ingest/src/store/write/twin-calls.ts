// Pairing the two layers' rows of one provider call (normalize/spans/layer-twins.ts) across
// requests: the twins share a trace, whose row the writer holds locked, so the trace's stored
// unpaired calls and the batch's new ones are paired together. Both rows stay; the one not billed
// becomes `billing = 'duplicate'`, which no sum or rollup counts. When the billed row arrives
// after its twin was counted, the twin's counts come back out (as `removed`), and a stored row
// that stays billed but takes a new call type or function from its twin moves between rollup keys.
import { LLM_CALLS, readRow, selectList, type StoreTransaction } from '@convotel/store';
import type { LlmCallRow } from '../../normalize/rows.js';
import type { Operation } from '../../normalize/concepts/operation.js';
import { FRAMEWORK_SCOPE_PATTERNS, isFrameworkCall, isUnpaired, pairLayerTwins, type TwinCandidate, type TwinPair } from '../../normalize/spans/layer-twins.js';
import { json, text } from '../columns/to-sql.js';
import { spanKey } from './batch.js';
import type { RemovedCall } from './fallback-calls.js';
import { COUNTED_CALL_KEYS, readCountedCall } from './stored-calls.js';

const L = LLM_CALLS.columns;

/** A stored row read back: enough to pair it and to take it out of (or put it back in) the counters. */
type StoredCall = TwinCandidate & RemovedCall;

/** The batch's calls as they are to be written, and the stored rows whose counting changed. */
export interface TwinPlan {
  readonly calls: LlmCallRow[];
  /** Stored rows to subtract as they were counted. */
  readonly removed: RemovedCall[];
  /** Stored rows to add as they are counted now (a billed row with a new call type or function). */
  readonly added: RemovedCall[];
}

/** Pairs the twins among rows of traces with nothing stored yet. Pure. */
export function pairNewTwins(calls: readonly LlmCallRow[]): LlmCallRow[] {
  return applyPairs(calls, pairLayerTwins(calls));
}

/**
 * Pairs the batch's new calls with each other and with the unpaired calls stored for their
 * traces, updates the stored rows that were paired, and says how the counters change. The traces'
 * rows must be locked by this transaction.
 */
export async function pairStoredTwins(tx: StoreTransaction, calls: readonly LlmCallRow[]): Promise<TwinPlan> {
  const candidates = calls.filter((call) => isUnpaired(call));
  if (candidates.length === 0) return { calls: [...calls], removed: [], added: [] };
  const stored = await readCandidates(tx, candidates);
  const storedKeys = new Set(stored.map((row) => spanKey(row)));
  // A batch row stored before (a retry) is not new: it is written by nobody and paired as stored.
  const fresh = candidates.filter((call) => !storedKeys.has(spanKey(call)));
  const storedRows = new Set<TwinCandidate>(stored);
  const isStored = (call: TwinCandidate): call is StoredCall => storedRows.has(call);
  const pairs = pairLayerTwins<TwinCandidate>([...stored.filter((row) => isUnpaired(row)), ...fresh]).filter(
    (pair) => !isStored(pair.billed) || !isStored(pair.duplicate),
  );
  const removed: RemovedCall[] = [];
  const added: RemovedCall[] = [];
  const demoted: { row: StoredCall; twin: string }[] = [];
  const relabelled: { row: StoredCall; pair: TwinPair<TwinCandidate> }[] = [];
  for (const pair of pairs) {
    if (isStored(pair.duplicate)) {
      demoted.push({ row: pair.duplicate, twin: pair.billed.spanId });
      removed.push(pair.duplicate);
    }
    if (isStored(pair.billed)) {
      relabelled.push({ row: pair.billed, pair });
      // A new call type moves it in llm_hourly, a new function in usage_daily.
      if (pair.labels.callType !== pair.billed.callType || pair.labels.functionName !== pair.billed.functionName) {
        removed.push(pair.billed);
        added.push({ ...pair.billed, callType: pair.labels.callType, functionName: pair.labels.functionName });
      }
    }
  }
  await demote(tx, demoted);
  await relabel(tx, relabelled);
  return { calls: applyPairs(calls, pairs), removed, added };
}

/** The batch's rows with the pairs that involve them applied. */
function applyPairs(calls: readonly LlmCallRow[], pairs: readonly TwinPair<TwinCandidate>[]): LlmCallRow[] {
  if (pairs.length === 0) return [...calls];
  const next = new Map<TwinCandidate, LlmCallRow>();
  for (const { billed, duplicate, labels } of pairs) {
    next.set(billed, { ...(billed as LlmCallRow), ...labels, twinSpanId: duplicate.spanId });
    next.set(duplicate, { ...(duplicate as LlmCallRow), billing: 'duplicate', twinSpanId: billed.spanId });
  }
  return calls.map((call) => next.get(call) ?? call);
}

/** What pairing reads of a stored call besides its counted values. */
const STORED_CALL_KEYS = [
  ...COUNTED_CALL_KEYS,
  'parentSpanId',
  'scopeName',
  'twinSpanId',
  'operation',
  'responseId',
  'functionName',
  'tags',
  'usageEstimated',
  'endedAt',
] as const satisfies readonly (keyof typeof L)[];

/**
 * The stored rows of the candidates' traces that matter: the candidates themselves (to tell a
 * retry), and the unpaired calls a candidate could pair with — all of them in traces where a
 * framework span arrives, only framework spans elsewhere.
 */
async function readCandidates(tx: StoreTransaction, candidates: readonly LlmCallRow[]): Promise<StoredCall[]> {
  const traces = [...new Set(candidates.map((call) => call.traceId))].sort();
  const withFramework = [...new Set(candidates.filter((call) => isFrameworkCall(call)).map((call) => call.traceId))].sort();
  const spanIds = [...new Set(candidates.map((call) => call.spanId))].sort();
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT ${selectList(LLM_CALLS, STORED_CALL_KEYS, 'l')}
     FROM ${LLM_CALLS} l
     WHERE l.${L.traceId} = ANY($1::text[])
       AND (l.${L.spanId} = ANY($2::text[])
         OR (l.${L.billing} = 'call' AND l.${L.twinSpanId} IS NULL AND (l.${L.traceId} = ANY($3::text[]) OR l.${L.scopeName} LIKE ANY($4::text[]))))
     ORDER BY l.${L.traceId}, l.${L.spanId}`,
    [traces, spanIds, withFramework, FRAMEWORK_SCOPE_PATTERNS],
  );
  return rows.map((row) => toStoredCall(row));
}

function toStoredCall(selected: Record<string, unknown>): StoredCall {
  const row = readRow(LLM_CALLS, STORED_CALL_KEYS, selected);
  const tags = row.tags;
  return {
    ...readCountedCall(selected),
    parentSpanId: row.parentSpanId,
    scopeName: row.scopeName ?? '',
    twinSpanId: row.twinSpanId,
    operation: row.operation as Operation,
    responseId: row.responseId,
    functionName: row.functionName,
    tags: Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? (JSON.parse(tags) as string[]) : undefined,
    isUsageEstimated: row.usageEstimated ?? false,
    endedAt: row.endedAt ?? 0n,
  };
}

/** Stored billed rows that another layer's span now bills instead. */
async function demote(tx: StoreTransaction, rows: readonly { row: StoredCall; twin: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE ${LLM_CALLS} l SET ${L.billing} = 'duplicate', ${L.twinSpanId} = u.twin
     FROM unnest($1::text[], $2::text[], $3::text[]) AS u(trace, span, twin)
     WHERE l.${L.traceId} = u.trace AND l.${L.spanId} = u.span`,
    [rows.map(({ row }) => row.traceId), rows.map(({ row }) => row.spanId), rows.map(({ twin }) => twin)],
  );
}

/** Stored rows that stay billed: they take their twin's labels and name it. */
async function relabel(tx: StoreTransaction, rows: readonly { row: StoredCall; pair: TwinPair<TwinCandidate> }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE ${LLM_CALLS} l SET ${L.twinSpanId} = u.twin, ${L.functionName} = u.fn, ${L.tags} = u.tag_list::jsonb, ${L.callType} = u.kind,
       ${L.usageEstimated} = u.estimated
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])
       AS u(trace, span, twin, fn, tag_list, kind, estimated)
     WHERE l.${L.traceId} = u.trace AND l.${L.spanId} = u.span`,
    [
      rows.map(({ row }) => row.traceId),
      rows.map(({ row }) => row.spanId),
      rows.map(({ pair }) => pair.duplicate.spanId),
      rows.map(({ pair }) => text(pair.labels.functionName)),
      rows.map(({ pair }) => json(pair.labels.tags)),
      rows.map(({ pair }) => pair.labels.callType),
      rows.map(({ pair }) => pair.labels.isUsageEstimated),
    ],
  );
}
