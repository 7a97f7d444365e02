// Hourly rollups (llm_hourly, step_hourly): deltas of new rows folded in with additive upserts.
// Every measure is exact (integers, numeric money and µs latencies), so the order in which
// rows arrive never changes a total. Sums saturate at their column's maximum: a rollup row
// that reached it keeps taking the hour's calls instead of failing every batch that adds to it.
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
import type { SqlClient, SqlValue } from '@convotel/store';

/** Upper bounds (ms, inclusive) of the latency buckets; also in the `histogram_bounds` table. */
export const LATENCY_BUCKET_BOUNDS_MS = [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960, 81920] as const;
const BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Index of the latency histogram bucket of a duration. */
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
export type LlmRollupKey = { provider: string; model: string; call_type: string; status: string };
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
  return { provider: row.provider ?? '', model: row.responseModel ?? row.requestModel ?? '', call_type: row.callType, status: row.status };
}

function bucketsLiteral(buckets: readonly number[]): string {
  return `{${buckets.join(',')}}`;
}

function optionalMillis(value: bigint | undefined): SqlValue {
  return value === undefined ? null : microsToMillisText(value);
}

// `h.column + excluded.column`, saturating at the column's maximum. bigint goes through numeric,
// where the sum cannot overflow before LEAST sees it.
const ADD_TOKENS = (column: string) => `${column} = LEAST(h.${column}::numeric + excluded.${column}, ${INT64_MAX})::bigint`;
const ADD_MONEY = (column: string) => `${column} = LEAST(h.${column} + excluded.${column}, ${picosToDecimal(MONEY_MAX_PICOS)})`;
const ADD_MILLIS = (column: string) => `${column} = LEAST(h.${column} + excluded.${column}, ${microsToMillisText(MILLIS_SUM_MAX_MICROS)})`;

const ADD_BUCKETS = (table: string) =>
  `(SELECT array_agg(COALESCE(a, 0) + COALESCE(b, 0) ORDER BY i) FROM unnest(${table}.latency_buckets, excluded.latency_buckets) WITH ORDINALITY AS u(a, b, i))`;

/** Adds the deltas to `llm_hourly` in one upsert, in key order. */
export async function upsertLlmHourly(client: SqlClient, rollup: LlmRollup): Promise<void> {
  const entries = rollup.entries();
  if (entries.length === 0) return;
  const col = <T>(get: (entry: (typeof entries)[number]) => T): T[] => entries.map(get);
  await client.query(
    `INSERT INTO llm_hourly AS h (hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms,
       latency_buckets, ttft_sum_ms, ttft_count)
     SELECT hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens, cache_read_tokens,
       cache_write_tokens, reasoning_tokens, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, buckets::bigint[],
       ttft_sum_ms, ttft_count
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
       $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::numeric[], $14::numeric[], $15::numeric[], $16::numeric[],
       $17::text[], $18::numeric[], $19::bigint[])
       AS s(hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, reasoning_tokens, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, buckets, ttft_sum_ms, ttft_count)
     ORDER BY hour, provider, model, call_type, status
     ON CONFLICT (hour, provider, model, call_type, status) DO UPDATE SET
       count = h.count + excluded.count,
       errors = h.errors + excluded.errors,
       ${ADD_TOKENS('input_tokens')},
       ${ADD_TOKENS('output_tokens')},
       ${ADD_TOKENS('cache_read_tokens')},
       ${ADD_TOKENS('cache_write_tokens')},
       ${ADD_TOKENS('reasoning_tokens')},
       ${ADD_MONEY('cost_usd')},
       ${ADD_MILLIS('latency_sum_ms')},
       latency_min_ms = LEAST(h.latency_min_ms, excluded.latency_min_ms),
       latency_max_ms = GREATEST(h.latency_max_ms, excluded.latency_max_ms),
       latency_buckets = ${ADD_BUCKETS('h')},
       ${ADD_MILLIS('ttft_sum_ms')},
       ttft_count = h.ttft_count + excluded.ttft_count`,
    [
      col((e) => microsToTimestamp(e.hour)),
      col((e) => e.key.provider),
      col((e) => e.key.model),
      col((e) => e.key.call_type),
      col((e) => e.key.status),
      col((e) => e.measures.count),
      col((e) => e.measures.errors),
      // A batch's own deltas saturate too: a new rollup row takes them as they are.
      col((e) => saturateInt64(e.measures.inputTokens)),
      col((e) => saturateInt64(e.measures.outputTokens)),
      col((e) => saturateInt64(e.measures.cacheReadTokens)),
      col((e) => saturateInt64(e.measures.cacheWriteTokens)),
      col((e) => saturateInt64(e.measures.reasoningTokens)),
      col((e) => picosToDecimal(saturateMoney(e.measures.costPicos))),
      col((e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs))),
      col((e) => optionalMillis(e.measures.latencyMinUs)),
      col((e) => optionalMillis(e.measures.latencyMaxUs)),
      col((e) => bucketsLiteral(e.measures.buckets)),
      col((e) => microsToMillisText(saturateMillisSum(e.measures.ttftSumUs))),
      col((e) => e.measures.ttftCount),
    ],
  );
}

/**
 * After rows were removed (an agent stand-in replaced by real calls, a call another layer's row
 * now bills): recomputes min/max of
 * their keys from the raw rows, and drops rollup rows whose count fell to zero. The keys were
 * locked by the upsert just before.
 */
export async function repairLlmHourly(client: SqlClient, removed: readonly LlmRollupRow[]): Promise<void> {
  if (removed.length === 0) return;
  const keys = new LlmRollup();
  for (const row of removed) keys.addRow(row, -1);
  for (const { hour, key } of keys.entries()) {
    const params = [microsToTimestamp(hour), key.provider, key.model, key.call_type, key.status];
    await client.query(
      `UPDATE llm_hourly h SET latency_min_ms = s.min_ms, latency_max_ms = s.max_ms
       FROM (SELECT round(min(duration_ms)::numeric, 3) AS min_ms, round(max(duration_ms)::numeric, 3) AS max_ms
             FROM llm_calls WHERE started_at >= $1::timestamptz AND started_at < $1::timestamptz + interval '1 hour'
               AND COALESCE(provider, '') = $2 AND COALESCE(response_model, request_model, '') = $3
               AND call_type = $4 AND status = $5 AND billing <> 'duplicate') s
       WHERE h.hour = $1::timestamptz AND h.provider = $2 AND h.model = $3 AND h.call_type = $4 AND h.status = $5`,
      params,
    );
    await client.query(
      `DELETE FROM llm_hourly WHERE hour = $1::timestamptz AND provider = $2 AND model = $3 AND call_type = $4 AND status = $5 AND count <= 0`,
      params,
    );
  }
}

/** Adds the deltas to `step_hourly` in one upsert, in key order. */
export async function upsertStepHourly(client: SqlClient, rollup: StepRollup): Promise<void> {
  const entries = rollup.entries();
  if (entries.length === 0) return;
  const col = <T>(get: (entry: (typeof entries)[number]) => T): T[] => entries.map(get);
  await client.query(
    `INSERT INTO step_hourly AS h (hour, kind, name, count, errors, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, latency_buckets)
     SELECT hour, kind, name, count, errors, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, buckets::bigint[]
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::numeric[], $7::numeric[], $8::numeric[],
       $9::numeric[], $10::text[]) AS s(hour, kind, name, count, errors, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, buckets)
     ORDER BY hour, kind, name
     ON CONFLICT (hour, kind, name) DO UPDATE SET
       count = h.count + excluded.count,
       errors = h.errors + excluded.errors,
       ${ADD_MONEY('cost_usd')},
       ${ADD_MILLIS('latency_sum_ms')},
       latency_min_ms = LEAST(h.latency_min_ms, excluded.latency_min_ms),
       latency_max_ms = GREATEST(h.latency_max_ms, excluded.latency_max_ms),
       latency_buckets = ${ADD_BUCKETS('h')}`,
    [
      col((e) => microsToTimestamp(e.hour)),
      col((e) => e.key.kind),
      col((e) => e.key.name),
      col((e) => e.measures.count),
      col((e) => e.measures.errors),
      col((e) => picosToDecimal(saturateMoney(e.measures.costPicos))),
      col((e) => microsToMillisText(saturateMillisSum(e.measures.latencySumUs))),
      col((e) => optionalMillis(e.measures.latencyMinUs)),
      col((e) => optionalMillis(e.measures.latencyMaxUs)),
      col((e) => bucketsLiteral(e.measures.buckets)),
    ],
  );
}
