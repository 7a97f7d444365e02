// Merging turn facts. Every merge here is commutative, associative and idempotent, so any
// split or order of a trace's spans, and any redelivery, gives the same result. Pure.
import { mergeIdentity } from '../concepts/conversation-id.js';
import type { TextPick, TurnFacts, TurnRoot } from '../rows.js';
import { mergeVoiceFacts } from '../concepts/voice-facts.js';

/** Facts of the same trace combined. */
export function mergeTurnFacts(a: TurnFacts, b: TurnFacts): TurnFacts {
  return {
    traceId: a.traceId,
    identity: mergeIdentity(a.identity, b.identity),
    hasGenAi: a.hasGenAi || b.hasGenAi,
    firstSeenAt: a.firstSeenAt < b.firstSeenAt ? a.firstSeenAt : b.firstSeenAt,
    lastSeenAt: a.lastSeenAt > b.lastSeenAt ? a.lastSeenAt : b.lastSeenAt,
    serviceName: leastText(a.serviceName, b.serviceName),
    root: betterRoot(a.root, b.root),
    userInput: betterPick(a.userInput, b.userInput, 'earliest'),
    agentOutput: betterPick(a.agentOutput, b.agentOutput, 'latest'),
    dbSystem: leastText(a.dbSystem, b.dbSystem),
    voice: mergeVoiceFacts(a.voice, b.voice),
  };
}

/** Combines all facts per trace. */
export function mergeTurnFactsByTrace(facts: Iterable<TurnFacts>): Map<string, TurnFacts> {
  const byTrace = new Map<string, TurnFacts>();
  for (const fact of facts) {
    const current = byTrace.get(fact.traceId);
    byTrace.set(fact.traceId, current === undefined ? fact : mergeTurnFacts(current, fact));
  }
  return byTrace;
}

/**
 * The root to keep when a trace has two (our turn span beats a foreign root; then the smaller
 * span id): normally there is one, and this only makes the odd case deterministic.
 */
export function betterRoot(a: TurnRoot | undefined, b: TurnRoot | undefined): TurnRoot | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.isConvotelTurn !== b.isConvotelTurn) return a.isConvotelTurn ? a : b;
  return a.spanId <= b.spanId ? a : b;
}

/** Lower rank wins, then the earliest (user input) or latest (agent output) time, then the smaller text. */
export function betterPick(a: TextPick | undefined, b: TextPick | undefined, when: 'earliest' | 'latest'): TextPick | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.at !== b.at) return (a.at < b.at) === (when === 'earliest') ? a : b;
  return a.text <= b.text ? a : b;
}

/** The smaller of two optional texts: an order-free choice when sources disagree. */
export function leastText(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}
