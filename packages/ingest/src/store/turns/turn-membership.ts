// Which turn span each span of a call-long trace belongs to (DESIGN.md §2): walk up the parents
// until a turn span. The answer depends only on the set of spans stored, never on the order
// they came in, so recomputing it after every write gives the same result for any arrival
// order. Pure.
import type { Micros } from '../../normalize/units/time.js';

/** A span of the trace: from `span_edges` or from a raw row (whose parent it also knows). */
export interface TraceNode {
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly isTurn: boolean;
  readonly startedAt: Micros;
  /** Says something about the voice turn (then, outside any turn, it goes to the turn it led to). */
  readonly hasVoiceFacts: boolean;
}

/**
 * Span id → its turn span id, for the spans that have one: itself for a turn span, the nearest
 * turn span above it, or — for a span outside any turn that carries voice facts (LiveKit's
 * `user_turn`, which precedes the agent's reply as its sibling) — the first turn span starting
 * at or after it. Spans whose chain is broken by a span not stored yet get none until it is.
 */
export function turnMembership(nodes: readonly TraceNode[]): Map<string, string> {
  const byId = new Map<string, TraceNode>();
  for (const node of nodes) {
    const known = byId.get(node.spanId);
    // The same span from span_edges and a raw row: either says the same parent; keep a turn flag.
    if (known === undefined || (!known.isTurn && node.isTurn)) byId.set(node.spanId, known === undefined ? node : { ...known, isTurn: true });
  }
  const turnOf = new Map<string, string | null>();
  const resolve = (start: TraceNode): string | null => {
    const path: string[] = [];
    let node: TraceNode | undefined = start;
    let found: string | null = null;
    // Bounded by the span count: a cycle (a broken sender) ends the walk with no turn.
    for (let steps = 0; node !== undefined && steps <= byId.size; steps += 1) {
      const cached = turnOf.get(node.spanId);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      path.push(node.spanId);
      if (node.isTurn) {
        found = node.spanId;
        break;
      }
      node = node.parentSpanId === undefined ? undefined : byId.get(node.parentSpanId);
    }
    for (const id of path) turnOf.set(id, found);
    return found;
  };
  for (const node of byId.values()) resolve(node);

  const turns = [...byId.values()].filter((node) => node.isTurn).sort(byStart);
  const membership = new Map<string, string>();
  for (const node of byId.values()) {
    const turn = turnOf.get(node.spanId) ?? null;
    if (turn !== null) {
      membership.set(node.spanId, turn);
    } else if (node.hasVoiceFacts && (isChainComplete(node, byId) || turns.some((t) => t.parentSpanId === node.parentSpanId))) {
      const next = turns.find((t) => t.startedAt >= node.startedAt);
      if (next !== undefined) membership.set(node.spanId, next.spanId);
    }
  }
  return membership;
}

/**
 * Whether the span's ancestors are all stored, so it is really outside any turn and not waiting
 * for one (a sibling of a turn span is known to be outside without waiting for the root).
 */
function isChainComplete(node: TraceNode, byId: ReadonlyMap<string, TraceNode>): boolean {
  let current: TraceNode | undefined = node;
  for (let steps = 0; current !== undefined && steps <= byId.size; steps += 1) {
    if (current.parentSpanId === undefined) return true;
    current = byId.get(current.parentSpanId);
  }
  return false;
}

/** Start order, then span id: the order turns are numbered in, order-free. */
export function byStart(a: { readonly startedAt: Micros; readonly spanId: string }, b: { readonly startedAt: Micros; readonly spanId: string }): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}
