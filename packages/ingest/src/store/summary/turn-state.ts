// A turn row as state, and how facts and counter deltas fold into it. Every fold is
// order-free: ids and picks merge by total orders, counters add. Pure.
import { betterCandidate, traceIdCandidate, type IdCandidate } from '../../normalize/concepts/conversation-id.js';
import type { TextPick, TurnFacts, TurnRoot } from '../../normalize/rows.js';
import type { Micros } from '../../normalize/units/time.js';
import { betterPick, betterRoot, leastText } from '../../normalize/spans/turn-facts.js';
import { addSums, ZERO_SUMS, type Sums } from './sums.js';
import { mergeVoiceFacts, type VoiceFacts } from '../../normalize/concepts/voice-facts.js';

/** What a turn span inside the trace adds to the rollups and its conversation (a `trace_turns` row). */
export interface InnerTurnShare {
  readonly turnSpanId: string;
  readonly startedAt: Micros;
  readonly durationUs: bigint;
  readonly isError: boolean;
  readonly isInterrupted: boolean;
  readonly perceivedMs: number | undefined;
  readonly sums: Sums;
}

/** A `traces` row as state (derived columns computed on write). */
export interface TurnState {
  readonly traceId: string;
  /** Best explicit conversation id seen on any span of the trace. */
  readonly conversationCandidate: IdCandidate | undefined;
  readonly user: IdCandidate | undefined;
  readonly session: IdCandidate | undefined;
  readonly hasGenAi: boolean;
  readonly serviceName: string | undefined;
  readonly root: TurnRoot | undefined;
  readonly firstSeenAt: Micros | undefined;
  readonly lastSeenAt: Micros | undefined;
  readonly userInput: TextPick | undefined;
  readonly agentOutput: TextPick | undefined;
  readonly dbSystem: string | undefined;
  readonly sums: Sums;
  /** The agent span currently standing in as the trace's LLM call. */
  readonly fallback: { readonly spanId: string; readonly startedAt: Micros } | undefined;
  /** Voice facts of its spans, merged. */
  readonly voice: VoiceFacts | undefined;
  /** The turn spans inside it, in start order (LiveKit, Pipecat); undefined when the trace is one turn. */
  readonly inner: readonly InnerTurnShare[] | undefined;
}

/** The state of a traces row just created. */
export function emptyTurnState(traceId: string): TurnState {
  return {
    traceId,
    conversationCandidate: undefined,
    user: undefined,
    session: undefined,
    hasGenAi: false,
    serviceName: undefined,
    root: undefined,
    firstSeenAt: undefined,
    lastSeenAt: undefined,
    userInput: undefined,
    agentOutput: undefined,
    dbSystem: undefined,
    sums: ZERO_SUMS,
    fallback: undefined,
    voice: undefined,
    inner: undefined,
  };
}

/** The state with a request's facts folded in. */
export function applyTurnFacts(state: TurnState, facts: TurnFacts): TurnState {
  return {
    ...state,
    conversationCandidate: betterCandidate(state.conversationCandidate, facts.identity.conversation),
    user: betterCandidate(state.user, facts.identity.user),
    session: betterCandidate(state.session, facts.identity.session),
    hasGenAi: state.hasGenAi || facts.hasGenAi,
    serviceName: leastText(state.serviceName, facts.serviceName),
    root: betterRoot(state.root, facts.root),
    firstSeenAt: minMicros(state.firstSeenAt, facts.firstSeenAt),
    lastSeenAt: maxMicros(state.lastSeenAt, facts.lastSeenAt),
    userInput: betterPick(state.userInput, facts.userInput, 'earliest'),
    agentOutput: betterPick(state.agentOutput, facts.agentOutput, 'latest'),
    dbSystem: leastText(state.dbSystem, facts.dbSystem),
    voice: mergeVoiceFacts(state.voice, facts.voice),
  };
}

/** The state with counter deltas added. */
export function applyTurnSums(state: TurnState, delta: Sums): TurnState {
  return { ...state, sums: addSums(state.sums, delta) };
}

/** The trace's conversation: none until it has a GenAI span; then its best id, else its trace id. */
export function conversationOf(state: TurnState): IdCandidate | undefined {
  if (!state.hasGenAi) return undefined;
  return state.conversationCandidate ?? traceIdCandidate(state.traceId);
}

/** Root status when the root arrived, else error when any LLM call or step failed. */
export function turnStatusOf(state: TurnState): 'ok' | 'error' {
  if (state.root !== undefined) return state.root.status;
  return state.sums.llmErrors + state.sums.stepErrors > 0 ? 'error' : 'ok';
}

/** Root timings when the root arrived, else the extent of the spans seen. */
export function turnExtentOf(state: TurnState): { startedAt: Micros | undefined; endedAt: Micros | undefined; durationUs: bigint | undefined } {
  if (state.root !== undefined) return { startedAt: state.root.startedAt, endedAt: state.root.endedAt, durationUs: state.root.durationUs };
  if (state.firstSeenAt === undefined || state.lastSeenAt === undefined) return { startedAt: undefined, endedAt: undefined, durationUs: undefined };
  return { startedAt: state.firstSeenAt, endedAt: state.lastSeenAt, durationUs: state.lastSeenAt - state.firstSeenAt };
}

/** The earlier of two optional times. */
export function minMicros(a: Micros | undefined, b: Micros | undefined): Micros | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/** The later of two optional times. */
export function maxMicros(a: Micros | undefined, b: Micros | undefined): Micros | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
