// Hourly rollups (llm_hourly, step_hourly) and the daily ones beside them (llm_daily, step_daily): deltas of new rows folded in with additive upserts.
// Every measure is exact (integers, numeric money, µs latencies and histogram counts), so the
// order in which rows arrive never changes a total.
import { LATENCY_BUCKET_BOUNDS_MS, LLM_CALLS, LLM_DAILY, LLM_HOURLY, STEP_DAILY, STEP_HOURLY, type SqlClient, type SqlValue } from '@convotel/store';
import type { LlmCallRow, StepRow } from '../../normalize/rows.js';
import { saturateInt64, saturateMillisSum, saturateMoney } from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { hourOf, microsToMillisText, microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { FineHistogramDelta, RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { deleteEmptiedRows, toRollupUpsert, upsertRollup, type RollupColumn } from './rollup-upsert.js';

const BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Index of the coarse latency histogram bucket of a duration (bounds from @convotel/store, inclusive). */
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
  latency: FineHistogramDelta;
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
    latency: new FineHistogramDelta(),
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

/** Sums of rows by hourly rollup key; `sign` -1 removes rows (min/max are then recomputed from raw rows). */
class HourlyDeltas<K extends Record<string, string>> extends RollupDeltas<K, Measures> {
  constructor() {
    super(emptyMeasures);
  }

  add(hour: Micros, key: K, row: RollupInput, sign: 1 | -1): void {
    const m = this.measuresOf(hour, key);
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
    m.latency.add(Number(row.durationUs) / 1000, sign);
    if (row.ttftMs !== undefined) {
      m.ttftSumUs += big * BigInt(Math.round(row.ttftMs * 1000));
      m.ttftCount += sign;
    }
  }
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

/** `llm_hourly` (or, by `dayOf`, `llm_daily`) deltas of a batch. */
export class LlmRollup extends HourlyDeltas<LlmRollupKey> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros = hourOf) {
    super();
    this.#bucketOf = bucketOf;
  }

  addRow(row: LlmRollupRow, sign: 1 | -1): void {
    this.add(
      this.#bucketOf(row.startedAt),
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

/** `step_hourly` (or, by `dayOf`, `step_daily`) deltas of a batch. */
export class StepRollup extends HourlyDeltas<StepRollupKey> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros = hourOf) {
    super();
    this.#bucketOf = bucketOf;
  }

  addRow(row: StepRow): void {
    this.add(this.#bucketOf(row.startedAt), { kind: row.kind, name: row.stepName }, { durationUs: row.durationUs, isError: row.status === 'error', costPicos: row.costPicos }, 1);
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

type Entry<K extends Record<string, string>> = RollupEntry<K, Measures>;

const H = LLM_HOURLY.columns;

// A batch's own deltas saturate too: a new rollup row takes them as they are.
const LLM_HOURLY_COLUMNS: readonly RollupColumn<Entry<LlmRollupKey>>[] = [
  { column: H.hour, value: (e) => microsToTimestamp(e.time) },
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
  { histogram: [H.latencyBucketIndex, H.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
  { column: H.ttftSumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.ttftSumUs)), merge: 'addMillis' },
  { column: H.ttftCount, value: (e) => e.measures.ttftCount, merge: 'add' },
];
const LLM_HOURLY_UPSERT = toRollupUpsert(LLM_HOURLY, LLM_HOURLY_COLUMNS);

const D = LLM_DAILY.columns;

const LLM_DAILY_COLUMNS: readonly RollupColumn<Entry<LlmRollupKey>>[] = [
  { column: D.day, value: (e) => microsToTimestamp(e.time) },
  { column: D.provider, value: (e) => e.key.provider },
  { column: D.model, value: (e) => e.key.model },
  { column: D.callType, value: (e) => e.key.callType },
  { column: D.status, value: (e) => e.key.status },
  { column: D.count, value: (e) => e.measures.count, merge: 'add' },
  { column: D.errors, value: (e) => e.measures.errors, merge: 'add' },
  { column: D.inputTokens, value: (e) => saturateInt64(e.measures.inputTokens), merge: 'addTokens' },
  { column: D.outputTokens, value: (e) => saturateInt64(e.measures.outputTokens), merge: 'addTokens' },
  { column: D.cacheReadTokens, value: (e) => saturateInt64(e.measures.cacheReadTokens), merge: 'addTokens' },
  { column: D.cacheWriteTokens, value: (e) => saturateInt64(e.measures.cacheWriteTokens), merge: 'addTokens' },
  { column: D.reasoningTokens, value: (e) => saturateInt64(e.measures.reasoningTokens), merge: 'addTokens' },
  { column: D.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
  { column: D.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
  { histogram: [D.latencyBucketIndex, D.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
  { column: D.ttftSumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.ttftSumUs)), merge: 'addMillis' },
  { column: D.ttftCount, value: (e) => e.measures.ttftCount, merge: 'add' },
];
const LLM_DAILY_UPSERT = toRollupUpsert(LLM_DAILY, LLM_DAILY_COLUMNS);

/** Adds the deltas (an `LlmRollup` by `dayOf`) to `llm_daily` in one upsert, in key order, and drops rows left without calls. */
export async function upsertLlmDaily(client: SqlClient, rollup: LlmRollup): Promise<void> {
  const entries = rollup.entries();
  await upsertRollup(client, LLM_DAILY_UPSERT, entries);
  const shrunk = entries.filter((e) => e.measures.count < 0);
  await deleteEmptiedRows(
    client,
    LLM_DAILY,
    D.count,
    shrunk.map((e) => [microsToTimestamp(e.time), e.key.provider, e.key.model, e.key.callType, e.key.status]),
  );
}

const SH = STEP_HOURLY.columns;

const STEP_HOURLY_COLUMNS: readonly RollupColumn<Entry<StepRollupKey>>[] = [
  { column: SH.hour, value: (e) => microsToTimestamp(e.time) },
  { column: SH.kind, value: (e) => e.key.kind },
  { column: SH.name, value: (e) => e.key.name },
  { column: SH.count, value: (e) => e.measures.count, merge: 'add' },
  { column: SH.errors, value: (e) => e.measures.errors, merge: 'add' },
  { column: SH.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
  { column: SH.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
  { column: SH.latencyMinMs, value: (e) => optionalMillis(e.measures.latencyMinUs), merge: 'least' },
  { column: SH.latencyMaxMs, value: (e) => optionalMillis(e.measures.latencyMaxUs), merge: 'greatest' },
  { column: SH.latencyBuckets, value: (e) => bucketsLiteral(e.measures.buckets), merge: 'addBuckets' },
  { histogram: [SH.latencyBucketIndex, SH.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
];
const STEP_HOURLY_UPSERT = toRollupUpsert(STEP_HOURLY, STEP_HOURLY_COLUMNS);

const SD = STEP_DAILY.columns;

const STEP_DAILY_COLUMNS: readonly RollupColumn<Entry<StepRollupKey>>[] = [
  { column: SD.day, value: (e) => microsToTimestamp(e.time) },
  { column: SD.kind, value: (e) => e.key.kind },
  { column: SD.name, value: (e) => e.key.name },
  { column: SD.count, value: (e) => e.measures.count, merge: 'add' },
  { column: SD.errors, value: (e) => e.measures.errors, merge: 'add' },
  { column: SD.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
  { column: SD.latencySumMs, value: (e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs)), merge: 'addMillis' },
  { column: SD.latencyMinMs, value: (e) => optionalMillis(e.measures.latencyMinUs), merge: 'least' },
  { column: SD.latencyMaxMs, value: (e) => optionalMillis(e.measures.latencyMaxUs), merge: 'greatest' },
  { histogram: [SD.latencyBucketIndex, SD.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
];
const STEP_DAILY_UPSERT = toRollupUpsert(STEP_DAILY, STEP_DAILY_COLUMNS);

/** Adds the deltas to `llm_hourly` in one upsert, in key order. */
export async function upsertLlmHourly(client: SqlClient, rollup: LlmRollup): Promise<void> {
  await upsertRollup(client, LLM_HOURLY_UPSERT, rollup.entries());
}

/** Adds the deltas to `step_hourly` in one upsert, in key order. */
export async function upsertStepHourly(client: SqlClient, rollup: StepRollup): Promise<void> {
  await upsertRollup(client, STEP_HOURLY_UPSERT, rollup.entries());
}

/** Adds the deltas (a `StepRollup` by `dayOf`) to `step_daily` in one upsert, in key order. */
export async function upsertStepDaily(client: SqlClient, rollup: StepRollup): Promise<void> {
  await upsertRollup(client, STEP_DAILY_UPSERT, rollup.entries());
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
  for (const { time, key } of keys.entries()) {
    const params = [microsToTimestamp(time), key.provider, key.model, key.callType, key.status];
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
