// A conversation row as state: what its conversation span says, plus the fold of its turns'
// shares. Counters move by exact deltas; times are min/max; "last" texts follow the turn with
// the greatest (last_seen_at, trace_id), a key that only grows, so every fold is order-free. Pure.
import { betterCandidate, type IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { ConversationFacts } from '../../normalize/rows.js';
import type { Micros } from '../../normalize/units/time.js';
import { leastText } from '../../normalize/spans/turn-facts.js';
import { addSums, ZERO_SUMS, type Sums } from './sums.js';
import { conversationOf, maxMicros, minMicros, turnStatusOf, type TurnState } from './turn-state.js';

/** What the conversation span says (absent until it arrives). */
export type ConversationSpanPart = Pick<
  ConversationFacts,
  'traceId' | 'spanId' | 'startedAt' | 'endedAt' | 'status' | 'errorType' | 'errorMessage' | 'endReason' | 'agentName' | 'channel' | 'metadata' | 'telephony'
>;

/** A "last" text and the turn it came from. */
export interface LatestText {
  readonly text: string;
  readonly at: Micros;
  readonly traceId: string;
}

/** A `conversations` row as state (derived columns computed on write). */
export interface ConversationState {
  readonly conversationId: string;
  /** The best-ranked key the id was read from, over the conversation span and all turns. */
  readonly id: IdCandidate | undefined;
  readonly span: ConversationSpanPart | undefined;
  readonly serviceName: string | undefined;
  readonly user: IdCandidate | undefined;
  readonly session: IdCandidate | undefined;
  readonly firstSeenAt: Micros | undefined;
  readonly lastSeenAt: Micros | undefined;
  readonly turns: number;
  /** Turns whose status is error. */
  readonly errors: number;
  readonly sums: Sums;
  readonly lastUserInput: LatestText | undefined;
  readonly lastAgentOutput: LatestText | undefined;
}

/** What one turn contributes to its conversation. */
export interface TurnShare {
  readonly conversation: IdCandidate;
  readonly traceId: string;
  readonly sums: Sums;
  readonly isError: boolean;
  /** Turns it counts as: 1, or the turn spans inside a call-long trace. */
  readonly turnCount: number;
  /** Of those, the ones that failed. */
  readonly errorCount: number;
  readonly firstSeenAt: Micros | undefined;
  readonly lastSeenAt: Micros | undefined;
  readonly userInput: string | undefined;
  readonly agentOutput: string | undefined;
  readonly user: IdCandidate | undefined;
  readonly session: IdCandidate | undefined;
  readonly serviceName: string | undefined;
}

/** The state of a conversation row just created. */
export function emptyConversationState(conversationId: string): ConversationState {
  return {
    conversationId,
    id: undefined,
    span: undefined,
    serviceName: undefined,
    user: undefined,
    session: undefined,
    firstSeenAt: undefined,
    lastSeenAt: undefined,
    turns: 0,
    errors: 0,
    sums: ZERO_SUMS,
    lastUserInput: undefined,
    lastAgentOutput: undefined,
  };
}

/** The share of a turn, or undefined when the turn belongs to no conversation. */
export function toTurnShare(turn: TurnState): TurnShare | undefined {
  const conversation = conversationOf(turn);
  if (conversation === undefined) return undefined;
  return {
    conversation,
    traceId: turn.traceId,
    sums: turn.sums,
    isError: turnStatusOf(turn) === 'error',
    turnCount: turn.inner?.length ?? 1,
    errorCount: turn.inner === undefined ? (turnStatusOf(turn) === 'error' ? 1 : 0) : turn.inner.filter((inner) => inner.isError).length,
    firstSeenAt: turn.firstSeenAt,
    lastSeenAt: turn.lastSeenAt,
    userInput: turn.userInput?.text,
    agentOutput: turn.agentOutput?.text,
    user: turn.user,
    session: turn.session,
    serviceName: turn.serviceName,
  };
}

/** Adds (sign 1) or removes (sign -1) a share's counters. */
export function applyShareCounters(state: ConversationState, share: TurnShare, sign: 1 | -1): ConversationState {
  return {
    ...state,
    turns: state.turns + sign * share.turnCount,
    errors: state.errors + sign * share.errorCount,
    sums: addSums(state.sums, share.sums, sign),
  };
}

/**
 * Folds a share's times, ids and texts. These parts are monotone (a turn's candidates only get
 * better, its last_seen only grows), so folding a turn's newer share over its older one gives
 * what folding only the newer one would.
 */
export function applyShareFacts(state: ConversationState, share: TurnShare): ConversationState {
  return {
    ...state,
    id: betterCandidate(state.id, share.conversation),
    serviceName: leastText(state.serviceName, share.serviceName),
    user: betterCandidate(state.user, share.user),
    session: betterCandidate(state.session, share.session),
    firstSeenAt: minMicros(state.firstSeenAt, share.firstSeenAt),
    lastSeenAt: maxMicros(state.lastSeenAt, share.lastSeenAt),
    lastUserInput: latestText(state.lastUserInput, share, share.userInput),
    lastAgentOutput: latestText(state.lastAgentOutput, share, share.agentOutput),
  };
}

function latestText(current: LatestText | undefined, share: TurnShare, text: string | undefined): LatestText | undefined {
  if (text === undefined || share.lastSeenAt === undefined) return current;
  const candidate = { text, at: share.lastSeenAt, traceId: share.traceId };
  // The same turn: its key only grew, so it stays the latest; take its current text.
  if (current === undefined || current.traceId === share.traceId) return candidate;
  const isLater = candidate.at !== current.at ? candidate.at > current.at : candidate.traceId > current.traceId;
  return isLater ? candidate : current;
}

/** Folds a conversation span (the one with the smaller span id if there are several). */
export function applyConversationFacts(state: ConversationState, facts: ConversationFacts): ConversationState {
  const span: ConversationSpanPart = {
    traceId: facts.traceId,
    spanId: facts.spanId,
    startedAt: facts.startedAt,
    endedAt: facts.endedAt,
    status: facts.status,
    errorType: facts.errorType,
    errorMessage: facts.errorMessage,
    endReason: facts.endReason,
    agentName: facts.agentName,
    channel: facts.channel,
    metadata: facts.metadata,
    telephony: facts.telephony,
  };
  const keep = state.span !== undefined && state.span.spanId <= span.spanId;
  return {
    ...state,
    span: keep ? state.span : span,
    id: betterCandidate(state.id, facts.conversation),
    serviceName: leastText(state.serviceName, facts.serviceName),
    user: betterCandidate(state.user, facts.user),
    session: betterCandidate(state.session, facts.session),
    firstSeenAt: minMicros(state.firstSeenAt, facts.startedAt),
    lastSeenAt: maxMicros(state.lastSeenAt, facts.endedAt),
  };
}

/** Derived columns. */
export function conversationStatusOf(state: ConversationState): 'active' | 'completed' | 'error' {
  if (state.span === undefined) return 'active';
  return state.span.status === 'error' ? 'error' : 'completed';
}

/** Start (first span seen), end (conversation span) and duration (to the end, else to the last span seen). */
export function conversationExtentOf(state: ConversationState): { startedAt: Micros | undefined; endedAt: Micros | undefined; durationUs: bigint | undefined } {
  const startedAt = state.firstSeenAt;
  const endedAt = state.span?.endedAt;
  const until = endedAt ?? state.lastSeenAt;
  return { startedAt, endedAt, durationUs: startedAt === undefined || until === undefined ? undefined : until - startedAt };
}

/** Share of turns without error; undefined without turns. */
export function successRateOf(state: ConversationState): number | undefined {
  return state.turns > 0 ? (state.turns - state.errors) / state.turns : undefined;
}
