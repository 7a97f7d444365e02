// Conversation rows follow their turns: each turn's share before this batch is taken out and
// its share after is put in (exact counters), and conversation spans add their facts. A
// conversation that lost a turn to another (a late span named the real conversation) is
// recounted from its remaining turns, and deleted when nothing is left.
import type { ConversationFacts } from '../../normalize/rows.js';
import {
  applyConversationFacts,
  applyShareCounters,
  applyShareFacts,
  emptyConversationState,
  toTurnShare,
  type ConversationState,
  type TurnShare,
} from '../summary/conversation-state.js';
import {
  deleteConversations,
  insertConversations,
  lockConversations,
  lockExistingConversations,
  writeConversations,
} from '../summary/conversation-table.js';
import { selectTurnsOf } from '../summary/trace-table.js';
import { NO_CONVERSATION_DIMS, type ConversationDims } from '../summary/turn-rollup.js';
import type { TurnState } from '../summary/turn-state.js';
import type { StoreTransaction } from '@convotel/store';

interface ShareChange {
  readonly old: TurnShare | undefined;
  readonly next: TurnShare | undefined;
}

/** The agent and channel of a conversation as this write found it, and as it left it. */
export interface DimsChange {
  readonly before: ConversationDims;
  readonly after: ConversationDims;
}

function dimsOf(state: ConversationState | undefined): ConversationDims {
  if (state?.span === undefined) return NO_CONVERSATION_DIMS;
  return { agentName: state.span.agentName ?? '', channel: state.span.channel ?? '' };
}

/** Records each conversation's dimensions before (the state it was changed from) and after. */
class DimsLog {
  readonly changes = new Map<string, DimsChange>();

  record(id: string, before: ConversationState | undefined, after: ConversationState | undefined): void {
    this.changes.set(id, { before: dimsOf(before), after: dimsOf(after) });
  }
}

/**
 * Updates the conversations of the turns and conversation spans. Returns, for every conversation
 * involved, its agent and channel before and after (turn_hourly counts turns under them).
 */
export async function updateConversations(
  tx: StoreTransaction,
  before: ReadonlyMap<string, TurnState>,
  after: ReadonlyMap<string, TurnState>,
  facts: readonly ConversationFacts[],
): Promise<Map<string, DimsChange>> {
  const log = new DimsLog();
  const changes: ShareChange[] = [];
  const ids = new Set<string>(facts.map((fact) => fact.conversation.value));
  const recount = new Set<string>();
  for (const [traceId, state] of after) {
    const old = before.has(traceId) ? toTurnShare(before.get(traceId) as TurnState) : undefined;
    const next = toTurnShare(state);
    if (old === undefined && next === undefined) continue;
    changes.push({ old, next });
    if (old !== undefined) ids.add(old.conversation.value);
    if (next !== undefined) ids.add(next.conversation.value);
    if (old !== undefined && old.conversation.value !== next?.conversation.value) recount.add(old.conversation.value);
  }
  if (ids.size === 0) return log.changes;
  if (recount.size > 0) {
    // Rare (a late span moved turns): every row is created first, so the recount finds it.
    const locked = await lockConversations(tx, [...ids]);
    const states = applyChanges(locked, changes, facts, recount);
    await writeConversations(tx, [...states.values()]);
    const recounted = await recountConversations(tx, [...recount], locked, facts);
    for (const id of ids) log.record(id, locked.get(id), states.get(id) ?? recounted.get(id) ?? locked.get(id));
    return log.changes;
  }
  // Existing rows are locked as they are; absent ones are inserted whole once computed.
  const existing = await lockExistingConversations(tx, [...ids]);
  const states = applyChanges(existing, changes, facts, recount);
  const absent = [...states.values()].filter((state) => !existing.has(state.conversationId));
  await writeConversations(tx, [...states.values()].filter((state) => existing.has(state.conversationId)));
  for (const [id, state] of states) log.record(id, existing.get(id), state);
  const inserted = await insertConversations(tx, absent);
  if (inserted.size < absent.length) {
    // Another writer created some of them since: lock those and apply the changes to theirs.
    const created = await lockExistingConversations(
      tx,
      absent.filter((state) => !inserted.has(state.conversationId)).map((state) => state.conversationId),
    );
    const reapplied = applyChanges(created, changes, facts, recount, new Set(created.keys()));
    await writeConversations(tx, [...reapplied.values()]);
    for (const [id, state] of reapplied) log.record(id, created.get(id), state);
  }
  return log.changes;
}

/**
 * The states after this batch: each turn's share before is taken out and its share after put
 * in, and conversation spans add their facts. Starts from `base` (empty where absent); leaves
 * out the conversations to recount, and, given `only`, every other one.
 */
function applyChanges(
  base: ReadonlyMap<string, ConversationState>,
  changes: readonly ShareChange[],
  facts: readonly ConversationFacts[],
  recount: ReadonlySet<string>,
  only?: ReadonlySet<string>,
): Map<string, ConversationState> {
  const states = new Map<string, ConversationState>();
  const update = (id: string, change: (state: ConversationState) => ConversationState): void => {
    if (recount.has(id) || (only !== undefined && !only.has(id))) return;
    states.set(id, change(states.get(id) ?? base.get(id) ?? emptyConversationState(id)));
  };
  for (const { old, next } of changes) {
    if (old !== undefined && old.conversation.value === next?.conversation.value) {
      update(old.conversation.value, (state) => applyShareCounters(state, old, -1));
    }
    if (next !== undefined) update(next.conversation.value, (state) => applyShareFacts(applyShareCounters(state, next, 1), next));
  }
  for (const fact of facts) update(fact.conversation.value, (state) => applyConversationFacts(state, fact));
  return states;
}

/** Recounts conversations from their remaining turns; returns their states (deleted ones included). */
async function recountConversations(
  tx: StoreTransaction,
  ids: readonly string[],
  locked: ReadonlyMap<string, ConversationState>,
  facts: readonly ConversationFacts[],
): Promise<Map<string, ConversationState>> {
  const turns = await selectTurnsOf(tx, ids);
  const recounted = new Map<string, ConversationState>();
  for (const id of ids) {
    const span = locked.get(id)?.span;
    let state: ConversationState = { ...emptyConversationState(id), span };
    if (span !== undefined) state = { ...state, firstSeenAt: span.startedAt, lastSeenAt: span.endedAt };
    for (const fact of facts) if (fact.conversation.value === id) state = applyConversationFacts(state, fact);
    recounted.set(id, state);
  }
  for (const turn of turns) {
    const share = toTurnShare(turn);
    const state = share === undefined ? undefined : recounted.get(share.conversation.value);
    if (share === undefined || state === undefined) continue;
    recounted.set(share.conversation.value, applyShareFacts(applyShareCounters(state, share, 1), share));
  }
  const empty = [...recounted.values()].filter((state) => state.turns === 0 && state.span === undefined);
  await writeConversations(tx, [...recounted.values()].filter((state) => !empty.includes(state)));
  await deleteConversations(tx, empty.map((state) => state.conversationId));
  return recounted;
}
