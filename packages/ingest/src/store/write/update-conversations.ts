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

/** A conversation as this write found it (the state its changes were applied to) and as it left it; undefined: absent, deleted. */
export interface ConversationChange {
  readonly before: ConversationState | undefined;
  readonly after: ConversationState | undefined;
}

/** The agent and channel a conversation's turns count under in turn_hourly. */
export function conversationDimsOf(state: ConversationState | undefined): ConversationDims {
  if (state?.span === undefined) return NO_CONVERSATION_DIMS;
  return { agentName: state.span.agentName ?? '', channel: state.span.channel ?? '' };
}

/**
 * Updates the conversations of the turns and conversation spans. Returns every conversation
 * involved as found and as left (the conversation and turn rollups count under their dimensions).
 */
export async function updateConversations(
  tx: StoreTransaction,
  before: ReadonlyMap<string, TurnState>,
  after: ReadonlyMap<string, TurnState>,
  facts: readonly ConversationFacts[],
): Promise<Map<string, ConversationChange>> {
  const log = new Map<string, ConversationChange>();
  const record = (id: string, found: ConversationState | undefined, left: ConversationState | undefined): void => {
    log.set(id, { before: found, after: left });
  };
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
  if (ids.size === 0) return log;
  if (recount.size > 0) {
    // Rare (a late span moved turns): every row is created first, so the recount finds it.
    const locked = await lockConversations(tx, [...ids]);
    const states = applyChanges(locked, changes, facts, recount);
    await writeConversations(tx, [...states.values()]);
    const recounted = await recountConversations(tx, [...recount], locked, facts);
    // Rows created just to be locked were absent before; recounted ones may be deleted now.
    for (const id of ids) record(id, locked.get(id), states.get(id) ?? (recounted.has(id) ? recounted.get(id) : locked.get(id)));
    return log;
  }
  // Existing rows are locked as they are; absent ones are inserted whole once computed.
  const existing = await lockExistingConversations(tx, [...ids]);
  const states = applyChanges(existing, changes, facts, recount);
  const absent = [...states.values()].filter((state) => !existing.has(state.conversationId));
  await writeConversations(tx, [...states.values()].filter((state) => existing.has(state.conversationId)));
  for (const [id, state] of states) record(id, existing.get(id), state);
  const inserted = await insertConversations(tx, absent);
  if (inserted.size < absent.length) {
    // Another writer created some of them since: lock those and apply the changes to theirs.
    const created = await lockExistingConversations(
      tx,
      absent.filter((state) => !inserted.has(state.conversationId)).map((state) => state.conversationId),
    );
    const reapplied = applyChanges(created, changes, facts, recount, new Set(created.keys()));
    await writeConversations(tx, [...reapplied.values()]);
    for (const [id, state] of reapplied) record(id, created.get(id), state);
  }
  return log;
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

/** Recounts conversations from their remaining turns; returns their states (undefined: deleted). */
async function recountConversations(
  tx: StoreTransaction,
  ids: readonly string[],
  locked: ReadonlyMap<string, ConversationState>,
  facts: readonly ConversationFacts[],
): Promise<Map<string, ConversationState | undefined>> {
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
  return new Map([...recounted].map(([id, state]) => [id, empty.includes(state) ? undefined : state]));
}
