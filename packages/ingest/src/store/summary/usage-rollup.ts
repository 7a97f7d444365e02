// `usage_daily` and `usage_hourly`: counted LLM calls by UTC day (and hour) under each of their
// user, session and function, both from the same calls. A call counts under the ids its row
// holds: a new row under its trace's ids, a stored row that stops (or starts) counting under the
// ids it was stored with, and a stored row whose trace learned other ids moves from the old ones
// to the new (write/stored-calls.ts reads them).
import { USAGE_DAILY, USAGE_HOURLY, type Column, type SqlClient, type Table, type UsageDimension } from '@convotel/store';
import { saturateInt64, saturateMillisSum, saturateMoney } from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { microsToMillisText, microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { FineHistogramDelta, RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { deleteEmptiedRows, toRollupUpsert, upsertRollup, type RollupColumn } from './rollup-upsert.js';
import type { LlmRollupRow } from './rollups.js';

/** The fields of a call `usage_daily` reads besides its ids. */
export type UsageCall = Pick<
  LlmRollupRow,
  'startedAt' | 'durationUs' | 'status' | 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'reasoningTokens' | 'costPicos' | 'ttftMs'
> & { readonly functionName: string | undefined };

/** The ids a call counts under. */
export interface UsageIds {
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
}

/** Dimensions of `usage_daily` besides the day. */
export type UsageRollupKey = { dimension: UsageDimension; key: string };

interface UsageMeasures {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costPicos: bigint;
  latencySumUs: bigint;
  ttftSumUs: bigint;
  ttftCount: number;
  latency: FineHistogramDelta;
}

function emptyUsageMeasures(): UsageMeasures {
  return {
    calls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPicos: 0n,
    latencySumUs: 0n,
    ttftSumUs: 0n,
    ttftCount: 0,
    latency: new FineHistogramDelta(),
  };
}

/** `usage_daily` (by `dayOf`) or `usage_hourly` (by `hourOf`) deltas of a batch. */
export class UsageRollup extends RollupDeltas<UsageRollupKey, UsageMeasures> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros) {
    super(emptyUsageMeasures);
    this.#bucketOf = bucketOf;
  }

  /** Adds (sign 1) or takes out (sign -1) a call under its user, its session and its function. */
  addCall(call: UsageCall, ids: UsageIds, sign: 1 | -1): void {
    const time = this.#bucketOf(call.startedAt);
    const keys: readonly UsageRollupKey[] = [
      { dimension: 'user', key: ids.userId ?? '' },
      { dimension: 'session', key: ids.sessionId ?? '' },
      { dimension: 'function', key: call.functionName ?? '' },
    ];
    const big = BigInt(sign);
    for (const key of keys) {
      const m = this.measuresOf(time, key);
      m.calls += sign;
      m.errors += call.status === 'error' ? sign : 0;
      m.inputTokens += sign * (call.inputTokens ?? 0);
      m.outputTokens += sign * (call.outputTokens ?? 0);
      m.cacheReadTokens += sign * (call.cacheReadTokens ?? 0);
      m.cacheWriteTokens += sign * (call.cacheWriteTokens ?? 0);
      m.reasoningTokens += sign * (call.reasoningTokens ?? 0);
      m.costPicos += big * (call.costPicos ?? 0n);
      m.latencySumUs += big * call.durationUs;
      m.latency.add(Number(call.durationUs) / 1000, sign);
      if (call.ttftMs !== undefined) {
        m.ttftSumUs += big * BigInt(Math.round(call.ttftMs * 1000));
        m.ttftCount += sign;
      }
    }
  }
}

type Entry = RollupEntry<UsageRollupKey, UsageMeasures>;

/** The two usage rollups: the same columns but their time's. */
type UsageTable = typeof USAGE_DAILY | typeof USAGE_HOURLY;
const U = USAGE_DAILY.columns;
const ms = (micros: bigint): string => microsToMillisText(saturateMillisSum(micros));

function usageColumns(time: Column): readonly RollupColumn<Entry>[] {
  return [
    { column: time, value: (e) => microsToTimestamp(e.time) },
    { column: U.dimension, value: (e) => e.key.dimension },
    { column: U.key, value: (e) => e.key.key },
    { column: U.calls, value: (e) => e.measures.calls, merge: 'add' },
    { column: U.errors, value: (e) => e.measures.errors, merge: 'add' },
    { column: U.inputTokens, value: (e) => saturateInt64(e.measures.inputTokens), merge: 'addTokens' },
    { column: U.outputTokens, value: (e) => saturateInt64(e.measures.outputTokens), merge: 'addTokens' },
    { column: U.cacheReadTokens, value: (e) => saturateInt64(e.measures.cacheReadTokens), merge: 'addTokens' },
    { column: U.cacheWriteTokens, value: (e) => saturateInt64(e.measures.cacheWriteTokens), merge: 'addTokens' },
    { column: U.reasoningTokens, value: (e) => saturateInt64(e.measures.reasoningTokens), merge: 'addTokens' },
    { column: U.costUsd, value: (e) => picosToDecimal(saturateMoney(e.measures.costPicos)), merge: 'addMoney' },
    { column: U.latencySumMs, value: (e) => ms(e.measures.latencySumUs), merge: 'addMillis' },
    { column: U.ttftSumMs, value: (e) => ms(e.measures.ttftSumUs), merge: 'addMillis' },
    { column: U.ttftCount, value: (e) => e.measures.ttftCount, merge: 'add' },
    { histogram: [U.latencyBucketIndex, U.latencyBucketCount], value: (e) => e.measures.latency.toHistogram() },
  ];
}
const USAGE_DAILY_UPSERT = toRollupUpsert(USAGE_DAILY, usageColumns(USAGE_DAILY.columns.day));
const USAGE_HOURLY_UPSERT = toRollupUpsert(USAGE_HOURLY, usageColumns(USAGE_HOURLY.columns.hour));

/** Adds the deltas to a usage rollup in one upsert, in key order, and drops rows left without calls. */
async function upsertUsage(client: SqlClient, table: UsageTable, upsert: typeof USAGE_DAILY_UPSERT, rollup: UsageRollup): Promise<void> {
  const entries = rollup.entries();
  await upsertRollup(client, upsert, entries);
  const shrunk = entries.filter((e) => e.measures.calls < 0);
  await deleteEmptiedRows(
    client,
    table as Table,
    table.columns.calls,
    shrunk.map((e) => [microsToTimestamp(e.time), e.key.dimension, e.key.key]),
  );
}

/** Adds the deltas (a `UsageRollup` by `dayOf`) to `usage_daily`. */
export async function upsertUsageDaily(client: SqlClient, rollup: UsageRollup): Promise<void> {
  await upsertUsage(client, USAGE_DAILY, USAGE_DAILY_UPSERT, rollup);
}

/** Adds the deltas (a `UsageRollup` by `hourOf`) to `usage_hourly`. */
export async function upsertUsageHourly(client: SqlClient, rollup: UsageRollup): Promise<void> {
  await upsertUsage(client, USAGE_HOURLY, USAGE_HOURLY_UPSERT, rollup);
}
