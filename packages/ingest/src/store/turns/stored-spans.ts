// The stored spans of some traces, as the turn model reads them back: span_edges rows and the
// raw rows' figures (llm_calls, steps, db_queries) with the turn each is filed under.
import { DB_QUERIES, LLM_CALLS, readRow, selectList, SPAN_EDGES, STEPS, type SqlClient } from '@convotel/store';
import { decimalToPicos, type Picos } from '../../normalize/units/money.js';
import type { Micros } from '../../normalize/units/time.js';
import type { LlmCallRow, SpanEdgeRow, StepRow } from '../../normalize/rows.js';
import { attemptOfJson, turnFactsFromJson, voiceFactsOfJson } from './span-edge-facts.js';

export type StoredEdge = Omit<SpanEdgeRow, 'traceId'>;

interface StoredRow {
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** The turn it is filed under now. */
  readonly turnSpanId: string | undefined;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  readonly status: string;
}

export interface StoredCall extends StoredRow {
  readonly billing: string;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly ttftMs: number | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  readonly cacheReadTokens: number | undefined;
  readonly cacheWriteTokens: number | undefined;
  readonly reasoningTokens: number | undefined;
  readonly costPicos: Picos | undefined;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
}

export interface StoredStep extends StoredRow {
  readonly kind: string;
  readonly name: string;
  readonly ttsTtfbMs: number | undefined;
  readonly costPicos: Picos | undefined;
  readonly costCategory: string | undefined;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
}

export interface StoredQuery extends StoredRow {
  readonly returnedRows: number | undefined;
}

/** Everything stored of one trace that the turn model reads. */
export interface StoredTrace {
  readonly edges: StoredEdge[];
  readonly calls: StoredCall[];
  readonly steps: StoredStep[];
  readonly queries: StoredQuery[];
}

const E = SPAN_EDGES.columns;
const EDGE_KEYS = ['traceId', 'spanId', 'parentSpanId', 'name', 'isTurn', 'startedAt', 'endedAt', 'facts'] as const;
const CALL_KEYS = [
  'traceId', 'spanId', 'parentSpanId', 'turnSpanId', 'startedAt', 'endedAt', 'status', 'billing', 'provider', 'requestModel', 'responseModel',
  'ttftMs', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd', 'errorType', 'errorMessage',
] as const;
const STEP_KEYS = ['traceId', 'spanId', 'parentSpanId', 'turnSpanId', 'startedAt', 'endedAt', 'status', 'kind', 'name', 'ttsTtfbMs', 'costUsd', 'costCategory', 'errorType', 'errorMessage'] as const;
const QUERY_KEYS = ['traceId', 'spanId', 'parentSpanId', 'turnSpanId', 'startedAt', 'status', 'returnedRows'] as const;

/**
 * The stored spans of `traceIds`, by trace (every id present, possibly empty). `voiceOnly` reads
 * only what a voice breakdown needs (LLM calls and steps), for traces that are one turn.
 */
export async function selectStoredTraces(client: SqlClient, traceIds: readonly string[], voiceOnly = false): Promise<Map<string, StoredTrace>> {
  const byTrace = new Map<string, StoredTrace>();
  for (const id of traceIds) byTrace.set(id, { edges: [], calls: [], steps: [], queries: [] });
  if (traceIds.length === 0) return byTrace;
  const ids = [...traceIds];
  const where = (column: { toString(): string }) => `WHERE ${column} = ANY($1::text[])`;
  const edges = voiceOnly ? { rows: [] } : await client.query<Record<string, unknown>>(`SELECT ${selectList(SPAN_EDGES, EDGE_KEYS)} FROM ${SPAN_EDGES} ${where(E.traceId)}`, [ids]);
  for (const selected of edges.rows) {
    const r = readRow(SPAN_EDGES, EDGE_KEYS, selected);
    const span = { spanId: r.spanId ?? '', startedAt: r.startedAt ?? 0n, endedAt: r.endedAt ?? 0n };
    byTrace.get(r.traceId ?? '')?.edges.push({
      ...span,
      parentSpanId: r.parentSpanId,
      name: r.name ?? '',
      isTurn: r.isTurn ?? false,
      turn: turnFactsFromJson(r.facts, span),
      voice: voiceFactsOfJson(r.facts),
      attempt: attemptOfJson(r.facts),
    });
  }
  const calls = await client.query<Record<string, unknown>>(`SELECT ${selectList(LLM_CALLS, CALL_KEYS)} FROM ${LLM_CALLS} ${where(LLM_CALLS.columns.traceId)}`, [ids]);
  for (const selected of calls.rows) {
    const r = readRow(LLM_CALLS, CALL_KEYS, selected);
    byTrace.get(r.traceId ?? '')?.calls.push({
      ...base(r),
      billing: r.billing ?? 'call',
      provider: r.provider,
      model: r.responseModel ?? r.requestModel,
      ttftMs: r.ttftMs,
      inputTokens: num(r.inputTokens),
      outputTokens: num(r.outputTokens),
      cacheReadTokens: num(r.cacheReadTokens),
      cacheWriteTokens: num(r.cacheWriteTokens),
      reasoningTokens: num(r.reasoningTokens),
      costPicos: r.costUsd === undefined ? undefined : decimalToPicos(r.costUsd),
      errorType: r.errorType,
      errorMessage: r.errorMessage,
    });
  }
  const steps = await client.query<Record<string, unknown>>(`SELECT ${selectList(STEPS, STEP_KEYS)} FROM ${STEPS} ${where(STEPS.columns.traceId)}`, [ids]);
  for (const selected of steps.rows) {
    const r = readRow(STEPS, STEP_KEYS, selected);
    byTrace.get(r.traceId ?? '')?.steps.push({
      ...base(r),
      kind: r.kind ?? 'step',
      name: r.name ?? '',
      ttsTtfbMs: r.ttsTtfbMs,
      costPicos: r.costUsd === undefined ? undefined : decimalToPicos(r.costUsd),
      costCategory: r.costCategory,
      errorType: r.errorType,
      errorMessage: r.errorMessage,
    });
  }
  const queries = voiceOnly
    ? { rows: [] }
    : await client.query<Record<string, unknown>>(`SELECT ${selectList(DB_QUERIES, QUERY_KEYS)} FROM ${DB_QUERIES} ${where(DB_QUERIES.columns.traceId)}`, [ids]);
  for (const selected of queries.rows) {
    const r = readRow(DB_QUERIES, QUERY_KEYS, selected);
    // The turn model reads no query's end.
    byTrace.get(r.traceId ?? '')?.queries.push({ ...base({ ...r, endedAt: r.startedAt }), returnedRows: num(r.returnedRows) });
  }
  return byTrace;
}

function base(r: {
  readonly spanId?: string | undefined;
  readonly parentSpanId?: string | undefined;
  readonly turnSpanId?: string | undefined;
  readonly startedAt?: bigint | undefined;
  readonly endedAt?: bigint | undefined;
  readonly status?: string | undefined;
}): StoredRow {
  return {
    spanId: r.spanId ?? '',
    parentSpanId: r.parentSpanId,
    turnSpanId: r.turnSpanId,
    startedAt: r.startedAt ?? 0n,
    endedAt: r.endedAt ?? 0n,
    status: r.status ?? 'ok',
  };
}

function num(value: bigint | number | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** A call of the write itself, as it is now stored. */
export function storedCallOf(row: LlmCallRow): StoredCall {
  return {
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    turnSpanId: undefined,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    status: row.status,
    billing: row.billing,
    provider: row.provider,
    model: row.responseModel ?? row.requestModel,
    ttftMs: row.ttftMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    reasoningTokens: row.reasoningTokens,
    costPicos: row.costPicos,
    errorType: row.errorType,
    errorMessage: row.errorMessage,
  };
}

/** A step of the write itself, as it is now stored. */
export function storedStepOf(row: StepRow): StoredStep {
  return {
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    turnSpanId: undefined,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    status: row.status,
    kind: row.kind,
    name: row.stepName,
    ttsTtfbMs: row.ttsTtfbMs,
    costPicos: row.costPicos,
    costCategory: row.costCategory,
    errorType: row.errorType,
    errorMessage: row.errorMessage,
  };
}
