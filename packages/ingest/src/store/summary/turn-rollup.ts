// `turn_hourly` and `turn_daily`: each turn of a conversation counted under the UTC hour (day) it
// started in, its trace's service, and its conversation's agent and channel. A turn changes as its spans arrive (start,
// duration, status, even its conversation), and an agent and a channel arrive with the
// conversation span, so a write takes each changed turn's share out under its old key and puts
// it back under the new one: exact deltas, in any order of arrival.
import { TURN_DAILY, TURN_HOURLY, type Column, type SqlClient } from '@convotel/store';
import { saturateMillisSum, saturateMoney } from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { microsToMillisText, microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { FineHistogramDelta, RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { deleteEmptiedRows, toRollupUpsert, upsertRollup, type RollupColumn, type RollupUpsert } from './rollup-upsert.js';
import { addSums, totalCostPicos, type Sums } from './sums.js';
import { conversationOf, turnExtentOf, turnStatusOf, type TurnState } from './turn-state.js';

/** What a turn's conversation adds to its rollup key (`''` until the conversation span says). */
export interface ConversationDims {
  readonly agentName: string;
  readonly channel: string;
}

export const NO_CONVERSATION_DIMS: ConversationDims = Object.freeze({ agentName: '', channel: '' });

/** What one turn adds to the turn rollups, as its `traces` row shows it. */
export interface TurnRollupShare {
  readonly conversationId: string;
  readonly startedAt: Micros;
  readonly serviceName: string;
  readonly isError: boolean;
  readonly isInterrupted: boolean;
  readonly durationUs: bigint | undefined;
  readonly perceivedMs: number | undefined;
  readonly sums: Sums;
}

/**
 * The shares of a trace: its turn, or each turn span inside it (the trace's rows outside any turn
 * span count with the first, so cost stays whole); none for a trace outside any conversation,
 * or without a start yet.
 */
export function toTurnRollupShares(state: TurnState | undefined): TurnRollupShare[] {
  if (state === undefined) return [];
  const conversation = conversationOf(state);
  const extent = turnExtentOf(state);
  if (conversation === undefined || extent.startedAt === undefined) return [];
  const serviceName = state.serviceName ?? '';
  if (state.inner !== undefined && state.inner.length > 0) {
    let outside = state.sums;
    for (const inner of state.inner) outside = addSums(outside, inner.sums, -1);
    return state.inner.map((inner, i) => ({
      conversationId: conversation.value,
      startedAt: inner.startedAt,
      serviceName,
      isError: inner.isError,
      isInterrupted: inner.isInterrupted,
      durationUs: inner.durationUs,
      perceivedMs: inner.perceivedMs,
      sums: i === 0 ? addSums(inner.sums, outside) : inner.sums,
    }));
  }
  const perceived = state.root?.perceivedLatencyMs;
  return [
    {
      conversationId: conversation.value,
      startedAt: extent.startedAt,
      serviceName,
      isError: turnStatusOf(state) === 'error',
      isInterrupted: state.root?.isInterrupted === true || state.voice?.interruptedByUser === true,
      durationUs: extent.durationUs,
      // As the traces row stores it: a value that is not finite is NULL.
      perceivedMs: perceived !== undefined && Number.isFinite(perceived) ? perceived : undefined,
      sums: state.sums,
    },
  ];
}

/** Dimensions of the turn rollups besides the time. */
export type TurnRollupKey = { serviceName: string; agentName: string; channel: string };

interface TurnMeasures {
  turns: number;
  errors: number;
  interruptions: number;
  llmCostPicos: bigint;
  sttCostPicos: bigint;
  ttsCostPicos: bigint;
  otherCostPicos: bigint;
  costPicos: bigint;
  durationSumUs: bigint;
  duration: FineHistogramDelta;
  perceivedCount: number;
  perceivedSumUs: bigint;
  perceived: FineHistogramDelta;
}

function emptyTurnMeasures(): TurnMeasures {
  return {
    turns: 0,
    errors: 0,
    interruptions: 0,
    llmCostPicos: 0n,
    sttCostPicos: 0n,
    ttsCostPicos: 0n,
    otherCostPicos: 0n,
    costPicos: 0n,
    durationSumUs: 0n,
    duration: new FineHistogramDelta(),
    perceivedCount: 0,
    perceivedSumUs: 0n,
    perceived: new FineHistogramDelta(),
  };
}

/** Turn rollup deltas of a batch, by the time bucket `bucketOf` (hourOf, dayOf). */
export class TurnRollup extends RollupDeltas<TurnRollupKey, TurnMeasures> {
  readonly #bucketOf: (micros: Micros) => Micros;

  constructor(bucketOf: (micros: Micros) => Micros) {
    super(emptyTurnMeasures);
    this.#bucketOf = bucketOf;
  }

  /** Adds (sign 1) or takes out (sign -1) a turn's share under its conversation's dimensions. */
  addShare(share: TurnRollupShare, dims: ConversationDims, sign: 1 | -1): void {
    const m = this.measuresOf(this.#bucketOf(share.startedAt), { serviceName: share.serviceName, agentName: dims.agentName, channel: dims.channel });
    const big = BigInt(sign);
    m.turns += sign;
    m.errors += share.isError ? sign : 0;
    m.interruptions += share.isInterrupted ? sign : 0;
    m.llmCostPicos += big * share.sums.llmCostPicos;
    m.sttCostPicos += big * share.sums.sttCostPicos;
    m.ttsCostPicos += big * share.sums.ttsCostPicos;
    m.otherCostPicos += big * share.sums.otherCostPicos;
    m.costPicos += big * totalCostPicos(share.sums);
    if (share.durationUs !== undefined) {
      m.durationSumUs += big * share.durationUs;
      m.duration.add(Number(share.durationUs) / 1000, sign);
    }
    if (share.perceivedMs !== undefined) {
      m.perceivedCount += sign;
      m.perceivedSumUs += big * BigInt(Math.round(share.perceivedMs * 1000));
      m.perceived.add(share.perceivedMs, sign);
    }
  }
}

type Entry = RollupEntry<TurnRollupKey, TurnMeasures>;

const usd = (picos: bigint): string => picosToDecimal(saturateMoney(picos));
const ms = (micros: bigint): string => microsToMillisText(saturateMillisSum(micros));

/** The upsert columns of a turn rollup table (its first key column is its time). */
function turnRollupColumns(table: typeof TURN_HOURLY | typeof TURN_DAILY): RollupColumn<Entry>[] {
  const T = table.columns;
  return [
    { column: table.key[0] as Column, value: (e) => microsToTimestamp(e.time) },
    { column: T.serviceName, value: (e) => e.key.serviceName },
    { column: T.agentName, value: (e) => e.key.agentName },
    { column: T.channel, value: (e) => e.key.channel },
    { column: T.turns, value: (e) => e.measures.turns, merge: 'add' },
    { column: T.errors, value: (e) => e.measures.errors, merge: 'add' },
    { column: T.interruptions, value: (e) => e.measures.interruptions, merge: 'add' },
    { column: T.llmCostUsd, value: (e) => usd(e.measures.llmCostPicos), merge: 'addMoney' },
    { column: T.sttCostUsd, value: (e) => usd(e.measures.sttCostPicos), merge: 'addMoney' },
    { column: T.ttsCostUsd, value: (e) => usd(e.measures.ttsCostPicos), merge: 'addMoney' },
    { column: T.otherCostUsd, value: (e) => usd(e.measures.otherCostPicos), merge: 'addMoney' },
    { column: T.costUsd, value: (e) => usd(e.measures.costPicos), merge: 'addMoney' },
    { column: T.durationSumMs, value: (e) => ms(e.measures.durationSumUs), merge: 'addMillis' },
    { histogram: [T.durationBucketIndex, T.durationBucketCount], value: (e) => e.measures.duration.toHistogram() },
    { column: T.perceivedCount, value: (e) => e.measures.perceivedCount, merge: 'add' },
    { column: T.perceivedSumMs, value: (e) => ms(e.measures.perceivedSumUs), merge: 'addMillis' },
    { histogram: [T.perceivedBucketIndex, T.perceivedBucketCount], value: (e) => e.measures.perceived.toHistogram() },
  ];
}

const UPSERTS = new Map([TURN_HOURLY, TURN_DAILY].map((table) => [table, toRollupUpsert(table, turnRollupColumns(table))]));

/** Adds the deltas to `table` (turn_hourly or turn_daily) in one upsert, in key order, and drops rows left without turns. */
export async function upsertTurnRollup(client: SqlClient, table: typeof TURN_HOURLY | typeof TURN_DAILY, rollup: TurnRollup): Promise<void> {
  const entries = rollup.entries();
  await upsertRollup(client, UPSERTS.get(table) as RollupUpsert<Entry>, entries);
  const shrunk = entries.filter((e) => e.measures.turns < 0);
  await deleteEmptiedRows(
    client,
    table,
    table.columns.turns,
    shrunk.map((e) => [microsToTimestamp(e.time), e.key.serviceName, e.key.agentName, e.key.channel]),
  );
}
