// Hourly rollups (llm_hourly, step_hourly): deltas of new rows folded in with additive upserts.
// Every measure is exact (integers, numeric money and µs latencies), so the order in which
// rows arrive never changes a total. Sums saturate at their column's maximum: a rollup row
// that reached it keeps taking the hour's calls instead of failing every batch that adds to it.
import { LATENCY_BUCKET_BOUNDS_MS, LLM_CALLS, LLM_HOURLY, STEP_HOURLY, type Column, type SqlClient, type SqlValue, type Table } from '@convotel/store';
import type { LlmCallRow, StepRow } from '../../normalize/rows.js';
import {
  INT64_MAX,
  MILLIS_SUM_MAX_MICROS,
  MONEY_MAX_PICOS,
  saturateInt64,
  saturateMillisSum,
  saturateMoney,
} from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { hourOf, microsToMillisText, microsToTimestamp, type Micros } from '../../normalize/units/time.js';

const BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Index of the latency histogram bucket of a duration (bounds from @convotel/store, inclusive). */
export function latencyBucketOf(durationUs: bigint): number {
  const ms = Number(durationUs) / 1000;
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
}

interface Measures {
  count: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costPicos: bigint;
  latencySumUs: bigint;
  latencyMinUs: bigint | undefined;
  latencyMaxUs: bigint | undefined;
  buckets: number[];
  ttftSumUs: bigint;
  ttftCount: number;
}

function emptyMeasures(): Measures {
  return {
    count: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPicos: 0n,
    latencySumUs: 0n,
    latencyMinUs: undefined,
    latencyMaxUs: undefined,
    buckets: new Array<number>(BUCKET_COUNT).fill(0),
    ttftSumUs: 0n,
    ttftCount: 0,
  };
}

interface RollupInput {
  readonly durationUs: bigint;
  readonly isError: boolean;
  readonly ttftMs?: number | undefined;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly cacheReadTokens?: number | undefined;
  readonly cacheWriteTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
  readonly costPicos?: bigint | undefined;
}

/** Sums of rows by rollup key; `sign` -1 removes rows (min/max are then recomputed from raw rows). */
class RollupDeltas<K extends Record<string, string>> {
  readonly #byKey = new Map<string, { hour: Micros; key: K; measures: Measures }>();

  add(hour: Micros, key: K, row: RollupInput, sign: 1 | -1): void {
    // NUL never occurs in stored text (normalization strips it), so it separates the parts.
    let id = String(hour);
    for (const part of Object.values(key)) id += `\u0000${part}`;
    const entry = this.#byKey.get(id) ?? { hour, key, measures: emptyMeasures() };
    const m = entry.measures;
    const big = BigInt(sign);
    m.count += sign;
    m.errors += row.isError ? sign : 0;
    m.inputTokens += sign * (row.inputTokens ?? 0);
    m.outputTokens += sign * (row.outputTokens ?? 0);
    m.cacheReadTokens += sign * (row.cacheReadTokens ?? 0);
    m.cacheWriteTokens += sign * (row.cacheWriteTokens ?? 0);
    m.reasoningTokens += sign * (row.reasoningTokens ?? 0);
    m.costPicos += big * (row.costPicos ?? 0n);
    m.latencySumUs += big * row.durationUs;
    if (sign === 1) {
      m.latencyMinUs = m.latencyMinUs === undefined || row.durationUs < m.latencyMinUs ? row.durationUs : m.latencyMinUs;
      m.latencyMaxUs = m.latencyMaxUs === undefined || row.durationUs > m.latencyMaxUs ? row.durationUs : m.latencyMaxUs;
    }
    const bucket = latencyBucketOf(row.durationUs);
    m.buckets[bucket] = (m.buckets[bucket] ?? 0) + sign;
    if (row.ttftMs !== undefined) {
      m.ttftSumUs += big * BigInt(Math.round(row.ttftMs * 1000));
      m.ttftCount += sign;
    }
    this.#byKey.set(id, entry);
  }

  /** Entries in key order (the lock order of the upsert). */
  entries(): { hour: Micros; key: K; measures: Measures }[] {
    return [...this.#byKey.values()].sort((a, b) => compareEntries(a, b));
  }

  get size(): number {
    return this.#byKey.size;
  }
}

function compareEntries<K extends Record<string, string>>(a: { hour: Micros; key: K }, b: { hour: Micros; key: K }): number {
  if (a.hour !== b.hour) return a.hour < b.hour ? -1 : 1;
  const left = Object.values(a.key);
  const right = Object.values(b.key);
  for (let i = 0; i < left.length; i += 1) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Dimensions of `llm_hourly` besides the hour. */
export type LlmRollupKey = { provider: string; model: string; callType: string; status: string };
/** Dimensions of `step_hourly` besides the hour. */
export type StepRollupKey = { kind: string; name: string };

/** The fields of an `llm_calls` row a rollup reads. */
export type LlmRollupRow = Pick<
  LlmCallRow,
  | 'startedAt'
  | 'durationUs'
  | 'status'
  | 'provider'
  | 'responseModel'
  | 'requestModel'
  | 'callType'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | 'costPicos'
  | 'ttftMs'
>;

/** `llm_hourly` deltas of a batch. */
export class LlmRollup extends RollupDeltas<LlmRollupKey> {
  addRow(row: LlmRollupRow, sign: 1 | -1): void {
    this.add(
      hourOf(row.startedAt),
      llmRollupKeyOf(row),
      {
        durationUs: row.durationUs,
        isError: row.status === 'error',
        ttftMs: row.ttftMs,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cacheReadTokens: row.cacheReadTokens,
        cacheWriteTokens: row.cacheWriteTokens,
        reasoningTokens: row.reasoningTokens,
        costPicos: row.costPicos,
      },
      sign,
    );
  }
}

/** `step_hourly` deltas of a batch. */
export class StepRollup extends RollupDeltas<StepRollupKey> {
  addRow(row: StepRow): void {
    this.add(hourOf(row.startedAt), { kind: row.kind, name: row.stepName }, { durationUs: row.durationUs, isError: row.status === 'error', costPicos: row.costPicos }, 1);
  }
}

/** The `llm_hourly` key of a call: provider, response (else request) model, call type, status. */
export function llmRollupKeyOf(row: Pick<LlmCallRow, 'provider' | 'responseModel' | 'requestModel' | 'callType' | 'status'>): LlmRollupKey {
  return { provider: row.provider ?? '', model: row.responseModel ?? row.requestModel ?? '', callType: row.callType, status: row.status };
}

function bucketsLiteral(buckets: readonly number[]): string {
  return `{${buckets.join(',')}}`;
}

function optionalMillis(value: bigint | undefined): SqlValue {
  return value === undefined ? null : microsToMillisText(value);
}

type Entry<K extends Record<string, string>> = ReturnType<RollupDeltas<K>['entries']>[number];

/**
 * How an upsert folds a delta into a stored rollup row (`h`): added, added saturating at the
 * column's maximum (bigint goes through numeric, where the sum cannot overflow before LEAST
 * sees it), the extremes kept, or histograms added bucket by bucket.
 */
const MERGES = {
  add: (c: Column) => `h.${c} + excluded.${c}`,
  addTokens: (c: Column) => `LEAST(h.${c}::numeric + excluded.${c}, ${INT64_MAX})::bigint`,
  addMoney: (c: Column) => `LEAST(h.${c} + excluded.${c}, ${picosToDecimal(MONEY_MAX_PICOS)})`,
  addMillis: (c: Column) => `LEAST(h.${c} + excluded.${c}, ${microsToMillisText(MILLIS_SUM_MAX_MICROS)})`,
  least: (c: Column) => `LEAST(h.${c}, excluded.${c})`,
  greatest: (c: Column) => `GREATEST(h.${c}, excluded.${c})`,
  addBuckets: (c: Column) =>
    `(SELECT array_agg(COALESCE(a, 0) + COALESCE(b, 0) ORDER BY i) FROM unnest(h.${c}, excluded.${c}) WITH ORDINALITY AS u(a, b, i))`,
} as const;

/** A column of a rollup upsert: its value of an entry, and (for measures) how it merges. */
interface RollupColumn<E> {
  readonly column: Column;
  readonly value: (entry: E) => SqlValue;
  readonly merge?: keyof typeof MERGES;
}

/**
 * `INSERT … SELECT FROM unnest(…) ORDER BY key ON CONFLICT (key) DO UPDATE` of a rollup's
 * columns, one parameter array per column. An array column travels as its text literal
 * (unnest would flatten an array of arrays) and is cast back in the select.
 */
function toUpsertSql(table: Table, columns: readonly RollupColumn<never>[]): string {
  const names = columns.map(({ column }) => column.name).join(', ');
  const arrays = columns.map(({ column }, i) => `$${i + 1}::${isArray(column) ? 'text' : column.type}[]`).join(', ');
  const selects = columns.map(({ column }) => (isArray(column) ? `${column}::${column.type}` : column.name)).join(', ');
  const key = table.key.map((column) => column.name).join(', ');
  const merges = columns.flatMap(({ column, merge }) => (merge === undefined ? [] : [`${column} = ${MERGES[merge](column)}`]));
  return `INSERT INTO ${table} AS h (${names}) SELECT ${selects} FROM unnest(${arrays}) AS s(${names})
     ORDER BY ${key} ON CONFLICT (${key}) DO UPDATE SET ${merges.join(', ')}`;
}

function isArray(column: Column): boolean {
  return column.type.endsWith('[]');
}

async function upsert<E>(client: SqlClient, sql: string, columns: readonly RollupColumn<E>[], entries: readonly E[]): Promise<void> {
  if (entries.length === 0) return;
  await client.query(sql, columns.map(({ value }) => entries.map(value)));
}

const H = LLM_HOURLY.columns;

// A batch's own deltas saturate too: a new rollup row takes them as they are.
const LLM_HOURLY_COLUMNS: readonly RollupColumn<Entry<LlmRollupKey>>[] = [
  { column: H.hour, value: (e) => microsToTimestamp(e.hour) },
  { column: H.provider, value: (e) => e.key.provider },
  { column: H.model, value: (e) => e.key.model },
  { column: H.callType, value: (e) => e.key.callType },
  { column: H.status, value: (e) => e.key.status },
  { column: H.count, value: (e) => e.measures.count, merge: 'add' },
  { column: H.errors, value: (e) => e.measures.errors, merge: 'add' },
  { column: H.inputTokens, value: (e) => saturateInt64(e.measures.inputTokens), merge: 'addTokens' },
  { column: H.outputTokens, value: (e) => saturateInt64(e.measures.outputTokens), merge: 'addTokens' },
  { column: H.cacheReadTokens, value: (e) => saturateInt64(e.measures.cacheReadTokens), merge: 'addTokens' },
  { column: H.cacheWriteTokens, value: (e) => saturateInt64(e.measures.cacheWriteTokens), merge: 'addTokens' },
  { column: H.reasoningTokens, value: (e) => saturateInt64(e.measures.reasoningTokens), merge: 'addTokens' },
  { column: H.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
  { column: H.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
  { column: H.latencyMinMs, value: (e) => optionalMillis(e.measures.latencyMinUs), merge: 'least' },
  { column: H.latencyMaxMs, value: (e) => optionalMillis(e.measures.latencyMaxUs), merge: 'greatest' },
  { column: H.latencyBuckets, value: (e) => bucketsLiteral(e.measures.buckets), merge: 'addBuckets' },
  { column: H.ttftSumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.ttftSumUs)), merge: 'addMillis' },
  { column: H.ttftCount, value: (e) => e.measures.ttftCount, merge: 'add' },
];
const LLM_HOURLY_UPSERT = toUpsertSql(LLM_HOURLY, LLM_HOURLY_COLUMNS);

const SH = STEP_HOURLY.columns;

const STEP_HOURLY_COLUMNS: readonly RollupColumn<Entry<StepRollupKey>>[] = [
  { column: SH.hour, value: (e) => microsToTimestamp(e.hour) },
  { column: SH.kind, value: (e) => e.key.kind },
  { column: SH.name, value: (e) => e.key.name },
  { column: SH.count, value: (e) => e.measures.count, merge: 'add' },
  { column: SH.errors, value: (e) => e.measures.errors, merge: 'add' },
  { column: SH.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
  { column: SH.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
  { column: SH.latencyMinMs, value: (e) => optionalMillis(e.measures.latencyMinUs), merge: 'least' },
  { column: SH.latencyMaxMs, value: (e) => optionalMillis(e.measures.latencyMaxUs), merge: 'greatest' },
  { column: SH.latencyBuckets, value: (e) => bucketsLiteral(e.measures.buckets), merge: 'addBuckets' },
];
const STEP_HOURLY_UPSERT = toUpsertSql(STEP_HOURLY, STEP_HOURLY_COLUMNS);

/** Adds the deltas to `llm_hourly` in one upsert, in key order. */
export async function upsertLlmHourly(client: SqlClient, rollup: LlmRollup): Promise<void> {
  await upsert(client, LLM_HOURLY_UPSERT, LLM_HOURLY_COLUMNS, rollup.entries());
}

/** Adds the deltas to `step_hourly` in one upsert, in key order. */
export async function upsertStepHourly(client: SqlClient, rollup: StepRollup): Promise<void> {
  await upsert(client, STEP_HOURLY_UPSERT, STEP_HOURLY_COLUMNS, rollup.entries());
}

const L = LLM_CALLS.columns;

/** The `llm_hourly` row of a key: `$1` the hour, `$2`… its other key columns, in key order. */
const HOURLY_ROW = `h.${H.hour} = $1::timestamptz AND h.${H.provider} = $2 AND h.${H.model} = $3 AND h.${H.callType} = $4 AND h.${H.status} = $5`;

/**
 * After rows were removed (an agent stand-in replaced by real calls, a call another layer's row
 * now bills): recomputes min/max of their keys from the raw rows, and drops rollup rows whose
 * count fell to zero. The keys were locked by the upsert just before.
 */
export async function repairLlmHourly(client: SqlClient, removed: readonly LlmRollupRow[]): Promise<void> {
  if (removed.length === 0) return;
  const keys = new LlmRollup();
  for (const row of removed) keys.addRow(row, -1);
  for (const { hour, key } of keys.entries()) {
    const params = [microsToTimestamp(hour), key.provider, key.model, key.callType, key.status];
    await client.query(
      `UPDATE ${LLM_HOURLY} h SET ${H.latencyMinMs} = s.min_ms, ${H.latencyMaxMs} = s.max_ms
       FROM (SELECT round(min(${L.durationMs})::numeric, 3) AS min_ms, round(max(${L.durationMs})::numeric, 3) AS max_ms
             FROM ${LLM_CALLS} WHERE ${L.startedAt} >= $1::timestamptz AND ${L.startedAt} < $1::timestamptz + interval '1 hour'
               AND COALESCE(${L.provider}, '') = $2 AND COALESCE(${L.responseModel}, ${L.requestModel}, '') = $3
               AND ${L.callType} = $4 AND ${L.status} = $5 AND ${L.billing} <> 'duplicate') s
       WHERE ${HOURLY_ROW}`,
      params,
    );
    await client.query(`DELETE FROM ${LLM_HOURLY} h WHERE ${HOURLY_ROW} AND h.${H.count} <= 0`, params);
  }
}
