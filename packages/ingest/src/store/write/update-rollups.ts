// The rollups of a write: what changed in this transaction, as exact deltas. Calls and steps that
// were new (or stopped or started counting) add to llm_hourly, llm_daily, step_hourly, step_daily,
// usage_daily and usage_hourly, new SQL spans to sql_hourly and sql_daily; each conversation and
// turn touched moves its share from its old key to its new one, and the turns of a conversation
// whose agent or channel changed move with it. The cost rollups take all of these (turns by user,
// session and agent; calls and priced steps by model, provider, call type and function), and each
// row moved in or out of a conversation's key counts in its conversation_keys row. Tables in one
// order, each upsert in key order: concurrent writers wait for each other but cannot deadlock.
import type { StoreTransaction } from '@convotel/store';
import type { DbQueryRow, LlmCallRow, StepRow } from '../../normalize/rows.js';
import { COST_DAILY, COST_HOURLY, TURN_DAILY, TURN_HOURLY } from '@convotel/store';
import { dayOf, hourOf } from '../../normalize/units/time.js';
import { ConversationRollup, upsertConversationHourly } from '../summary/conversation-rollup.js';
import { ConversationKeyDeltas, CostRollup, updateConversationKeys, upsertCostRollup, type TurnCostKeys } from '../summary/cost-rollup.js';
import { LlmRollup, repairLlmHourly, StepRollup, upsertLlmDaily, upsertLlmHourly, upsertStepDaily, upsertStepHourly } from '../summary/rollups.js';
import { isCountedCall } from '../summary/sums.js';
import { SqlRollup, upsertSqlRollups } from '../summary/sql-rollup.js';
import { selectTurnsOf } from '../summary/trace-table.js';
import { toTurnRollupShares, TurnRollup, upsertTurnRollup, type ConversationDims, type TurnRollupShare } from '../summary/turn-rollup.js';
import { conversationOf, type TurnState } from '../summary/turn-state.js';
import { upsertUsageDaily, upsertUsageHourly, UsageRollup, type UsageIds } from '../summary/usage-rollup.js';
import type { RemovedCall } from './fallback-calls.js';
import type { RelabelledCall } from './stored-calls.js';
import { conversationDimsOf, type ConversationChange } from './update-conversations.js';

/** What a write changed, for its rollups. */
export interface RollupChanges {
  /** Calls inserted by this write (duplicates among them count nowhere), under their trace's ids. */
  readonly newCalls: readonly LlmCallRow[];
  readonly idsOf: (traceId: string) => UsageIds;
  /** Stored calls that count now, as stored (a billed row that took its twin's call type). */
  readonly added: readonly RemovedCall[];
  /** Stored calls that stopped counting (or counted under an old key), as stored. */
  readonly removed: readonly RemovedCall[];
  /** Stored calls whose trace learned another user or session. */
  readonly relabelled: readonly RelabelledCall[];
  readonly newSteps: readonly StepRow[];
  /** SQL spans inserted by this write. */
  readonly newDbQueries: readonly DbQueryRow[];
  /** Every trace the write touched, as locked and as written. */
  readonly before: ReadonlyMap<string, TurnState>;
  readonly after: ReadonlyMap<string, TurnState>;
  /** Each conversation involved, as found and as left. */
  readonly conversations: ReadonlyMap<string, ConversationChange>;
}

/** Writes the rollup deltas of a write (the traces and conversations involved are locked). */
export async function updateRollups(tx: StoreTransaction, changes: RollupChanges): Promise<void> {
  // Additions and removals in one sorted upsert per table: a second pass could lock out of order.
  const hourly = new LlmRollup(hourOf);
  const daily = new LlmRollup(dayOf);
  const costs = { hourly: new CostRollup(hourOf), daily: new CostRollup(dayOf), keys: new ConversationKeyDeltas() };
  const conversationOfTrace = (traceId: string): string | undefined => {
    const state = changes.after.get(traceId);
    return state === undefined ? undefined : conversationOf(state)?.value;
  };
  const countCall = (row: Parameters<LlmRollup['addRow']>[0] & Parameters<CostRollup['addCall']>[0] & Pick<LlmCallRow, 'traceId'>, sign: 1 | -1): void => {
    hourly.addRow(row, sign);
    daily.addRow(row, sign);
    costs.hourly.addCall(row, sign);
    costs.daily.addCall(row, sign);
    const id = conversationOfTrace(row.traceId);
    if (id === undefined) return;
    const keys = [['model', row.responseModel ?? row.requestModel ?? ''], ['provider', row.provider ?? ''], ['call_type', row.callType], ['function', row.functionName ?? '']] as const;
    for (const [dimension, key] of keys) costs.keys.add(id, dimension, key, row.startedAt, sign);
  };
  for (const row of changes.newCalls) if (isCountedCall(row)) countCall(row, 1);
  for (const row of changes.added) countCall(row, 1);
  for (const row of changes.removed) countCall(row, -1);
  await upsertLlmHourly(tx, hourly);
  await repairLlmHourly(tx, changes.removed);
  await upsertLlmDaily(tx, daily);

  const steps = new StepRollup(hourOf);
  const stepDays = new StepRollup(dayOf);
  for (const row of changes.newSteps) {
    steps.addRow(row);
    stepDays.addRow(row);
    costs.hourly.addStep(row);
    costs.daily.addStep(row);
    const id = conversationOfTrace(row.traceId);
    if (id === undefined || row.costPicos === undefined) continue;
    for (const [dimension, key] of [['model', row.model ?? ''], ['provider', row.provider ?? '']] as const) costs.keys.add(id, dimension, key, row.startedAt, 1);
  }
  await upsertStepHourly(tx, steps);
  await upsertStepDaily(tx, stepDays);

  const conversations = new ConversationRollup();
  for (const { before, after } of changes.conversations.values()) conversations.move(before, after);
  await upsertConversationHourly(tx, conversations);

  const turns = await turnDeltas(tx, changes, costs);
  await upsertTurnRollup(tx, TURN_HOURLY, turns.hourly);
  await upsertTurnRollup(tx, TURN_DAILY, turns.daily);
  const spans = await updateConversationKeys(tx, costs.keys);
  for (const [list, sign] of [[spans.removed, -1], [spans.added, 1]] as const) {
    for (const span of list) {
      costs.hourly.addConversationSpan(span, sign);
      costs.daily.addConversationSpan(span, sign);
    }
  }
  await upsertCostRollup(tx, COST_HOURLY, costs.hourly);
  await upsertCostRollup(tx, COST_DAILY, costs.daily);

  // The same deltas by day and by hour.
  const usageDays = new UsageRollup(dayOf);
  const usageHours = new UsageRollup(hourOf);
  const countUsage = (call: Parameters<UsageRollup['addCall']>[0], ids: UsageIds, sign: 1 | -1): void => {
    usageDays.addCall(call, ids, sign);
    usageHours.addCall(call, ids, sign);
  };
  for (const row of changes.newCalls) if (isCountedCall(row)) countUsage(row, changes.idsOf(row.traceId), 1);
  for (const row of changes.added) countUsage(row, row, 1);
  for (const row of changes.removed) countUsage(row, row, -1);
  for (const { call, next } of changes.relabelled) {
    countUsage(call, call, -1);
    countUsage(call, next, 1);
  }
  await upsertUsageDaily(tx, usageDays);
  await upsertUsageHourly(tx, usageHours);

  const sqlHourly = new SqlRollup(hourOf);
  const sqlDaily = new SqlRollup(dayOf);
  for (const row of changes.newDbQueries) {
    sqlHourly.addRow(row);
    sqlDaily.addRow(row);
  }
  await upsertSqlRollups(tx, sqlHourly, sqlDaily);
}

/**
 * Each touched turn's share out under its old key (its conversation's dimensions as found) and
 * in under its new one; then the other turns of conversations whose dimensions changed. Those are
 * read after their conversation was locked: a writer changing one of them waits for that lock
 * too, so each of the two sees the other's turn or dimensions, never neither.
 */
async function turnDeltas(
  tx: StoreTransaction,
  changes: RollupChanges,
  costs: { readonly hourly: CostRollup; readonly daily: CostRollup; readonly keys: ConversationKeyDeltas },
): Promise<{ hourly: TurnRollup; daily: TurnRollup }> {
  const hourly = new TurnRollup(hourOf);
  const daily = new TurnRollup(dayOf);
  const add = (share: TurnRollupShare, state: TurnState, dims: ConversationDims, sign: 1 | -1): void => {
    hourly.addShare(share, dims, sign);
    daily.addShare(share, dims, sign);
    const keys: TurnCostKeys = { user: state.user?.value ?? '', session: state.session?.value ?? '', agent: dims.agentName };
    costs.hourly.addTurn(share.startedAt, share.sums, keys, sign);
    costs.daily.addTurn(share.startedAt, share.sums, keys, sign);
    for (const dimension of ['user', 'session', 'agent'] as const) costs.keys.add(share.conversationId, dimension, keys[dimension], share.startedAt, sign);
  };
  const dimsBefore = (id: string) => conversationDimsOf(changes.conversations.get(id)?.before);
  const dimsAfter = (id: string) => conversationDimsOf(changes.conversations.get(id)?.after);
  for (const [traceId, state] of changes.after) {
    const found = changes.before.get(traceId);
    const olds = toTurnRollupShares(found);
    const nexts = toTurnRollupShares(state);
    if (found !== undefined) for (const share of olds) add(share, found, dimsBefore(share.conversationId), -1);
    for (const share of nexts) add(share, state, dimsAfter(share.conversationId), 1);
    const old = olds[0];
    const next = nexts[0];
    // A trace joining or leaving a conversation takes its stored calls and steps along, unseen here.
    const joined = old === undefined ? next !== undefined && found?.firstSeenAt !== undefined : old.conversationId !== next?.conversationId;
    if (joined) for (const id of [old?.conversationId, next?.conversationId]) if (id !== undefined) costs.keys.recompute(id);
  }
  const moved = [...changes.conversations.keys()].filter((id) => {
    const [before, after] = [dimsBefore(id), dimsAfter(id)];
    return before.agentName !== after.agentName || before.channel !== after.channel;
  });
  if (moved.length > 0) {
    for (const turn of await selectTurnsOf(tx, moved)) {
      if (changes.after.has(turn.traceId)) continue;
      for (const share of toTurnRollupShares(turn)) {
        add(share, turn, dimsBefore(share.conversationId), -1);
        add(share, turn, dimsAfter(share.conversationId), 1);
      }
    }
  }
  return { hourly, daily };
}
