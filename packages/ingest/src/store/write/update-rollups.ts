// The rollups of a write: what changed in this transaction, as exact deltas. Calls and steps that
// were new (or stopped or started counting) add to the hourly rollups and to usage_daily; each
// turn touched moves its share from its old turn_hourly key to its new one, and the turns of a
// conversation whose agent or channel changed move with it. Tables in one order, each upsert in
// key order: concurrent writers wait for each other but cannot deadlock.
import type { StoreTransaction } from '@convotel/store';
import type { LlmCallRow, StepRow } from '../../normalize/rows.js';
import { LlmRollup, repairLlmHourly, StepRollup, upsertLlmHourly, upsertStepHourly } from '../summary/rollups.js';
import { isCountedCall } from '../summary/sums.js';
import { selectTurnsOf } from '../summary/trace-table.js';
import { NO_CONVERSATION_DIMS, toTurnRollupShare, TurnRollup, upsertTurnHourly } from '../summary/turn-rollup.js';
import type { TurnState } from '../summary/turn-state.js';
import { upsertUsageDaily, UsageRollup, type UsageIds } from '../summary/usage-rollup.js';
import type { RemovedCall } from './fallback-calls.js';
import type { RelabelledCall } from './stored-calls.js';
import type { DimsChange } from './update-conversations.js';

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
  /** Every trace the write touched, as locked and as written. */
  readonly before: ReadonlyMap<string, TurnState>;
  readonly after: ReadonlyMap<string, TurnState>;
  /** The agent and channel of each conversation involved, before and after. */
  readonly dims: ReadonlyMap<string, DimsChange>;
}

/** Writes the rollup deltas of a write (the traces and conversations involved are locked). */
export async function updateRollups(tx: StoreTransaction, changes: RollupChanges): Promise<void> {
  // Additions and removals in one sorted upsert per table: a second pass could lock out of order.
  const llm = new LlmRollup();
  for (const row of changes.newCalls) if (isCountedCall(row)) llm.addRow(row, 1);
  for (const row of changes.added) llm.addRow(row, 1);
  for (const row of changes.removed) llm.addRow(row, -1);
  await upsertLlmHourly(tx, llm);
  await repairLlmHourly(tx, changes.removed);

  const steps = new StepRollup();
  for (const row of changes.newSteps) steps.addRow(row);
  await upsertStepHourly(tx, steps);

  await upsertTurnHourly(tx, await turnDeltas(tx, changes));

  const usage = new UsageRollup();
  for (const row of changes.newCalls) if (isCountedCall(row)) usage.addCall(row, changes.idsOf(row.traceId), 1);
  for (const row of changes.added) usage.addCall(row, row, 1);
  for (const row of changes.removed) usage.addCall(row, row, -1);
  for (const { call, next } of changes.relabelled) {
    usage.addCall(call, call, -1);
    usage.addCall(call, next, 1);
  }
  await upsertUsageDaily(tx, usage);
}

/**
 * Each touched turn's share out under its old key (its conversation's dimensions as found) and
 * in under its new one; then the other turns of conversations whose dimensions changed. Those are
 * read after their conversation was locked: a writer changing one of them waits for that lock
 * too, so each of the two sees the other's turn or dimensions, never neither.
 */
async function turnDeltas(tx: StoreTransaction, changes: RollupChanges): Promise<TurnRollup> {
  const rollup = new TurnRollup();
  const dimsBefore = (id: string) => changes.dims.get(id)?.before ?? NO_CONVERSATION_DIMS;
  const dimsAfter = (id: string) => changes.dims.get(id)?.after ?? NO_CONVERSATION_DIMS;
  for (const [traceId, state] of changes.after) {
    const old = toTurnRollupShare(changes.before.get(traceId));
    const next = toTurnRollupShare(state);
    if (old !== undefined) rollup.addShare(old, dimsBefore(old.conversationId), -1);
    if (next !== undefined) rollup.addShare(next, dimsAfter(next.conversationId), 1);
  }
  const moved = [...changes.dims]
    .filter(([, { before, after }]) => before.agentName !== after.agentName || before.channel !== after.channel)
    .map(([id]) => id);
  if (moved.length > 0) {
    for (const turn of await selectTurnsOf(tx, moved)) {
      if (changes.after.has(turn.traceId)) continue;
      const share = toTurnRollupShare(turn);
      if (share === undefined) continue;
      rollup.addShare(share, dimsBefore(share.conversationId), -1);
      rollup.addShare(share, dimsAfter(share.conversationId), 1);
    }
  }
  return rollup;
}
