// One provider call, two layers of one instrumentation: OpenLLMetry's LangChain callback handler
// writes a `chat <model>` CLIENT span per model call, and its OpenAI instrumentation one more for
// the same request, side by side under the task span (test/fixtures/README.md,
// "langchain-openllmetry"); its LlamaIndex instrumentation's span wraps the OpenAI one. Both carry usage; counting both doubles the call. The store keeps
// both rows and bills one (store/write/twin-calls.ts): the twins may come in different requests,
// and only the trace's stored rows tell. This module is the pure part: who pairs with whom, which
// one is billed, and what the billed row takes from the other. Pure.
import { byStart, findTwin, hasTokens, type TwinMatchFields } from './duplicate-calls.js';
import type { LlmCallRow } from '../rows.js';
import { frameworkScopePrefixes } from '../flavours/registry.js';

/**
 * Scope-name prefixes of framework instrumentations whose LLM spans describe a model call that a
 * client instrumentation of the same package may trace too (declared by each flavour).
 */
const FRAMEWORK_SCOPE_PREFIXES: readonly string[] = frameworkScopePrefixes();

/** What pairing and merging read of a row (stored rows are read back in this shape). */
export type TwinCandidate = TwinMatchFields &
  Pick<LlmCallRow, 'traceId' | 'scopeName' | 'billing' | 'twinSpanId' | 'inputTokens' | 'outputTokens' | 'isUsageEstimated' | 'functionName' | 'tags' | 'callType'>;

/** The labels the billed row takes from its twin. */
export type TwinLabels = Pick<LlmCallRow, 'functionName' | 'tags' | 'callType' | 'isUsageEstimated'>;

/** Two rows of one provider call: `billed` counts, `duplicate` does not; `labels` are the billed row's afterwards. */
export interface TwinPair<C extends TwinCandidate> {
  readonly billed: C;
  readonly duplicate: C;
  readonly labels: TwinLabels;
}

/** Whether a row is a framework layer's LLM span. */
export function isFrameworkCall(call: Pick<LlmCallRow, 'scopeName'>): boolean {
  return FRAMEWORK_SCOPE_PREFIXES.some((prefix) => call.scopeName.startsWith(prefix));
}

/** The `LIKE` patterns of the framework scopes (for reading candidate rows back). */
export const FRAMEWORK_SCOPE_PATTERNS: readonly string[] = FRAMEWORK_SCOPE_PREFIXES.map((prefix) => `${prefix}%`);

/** Whether a row may still be paired: a billed provider call not paired yet. */
export function isUnpaired(call: Pick<LlmCallRow, 'billing' | 'twinSpanId'>): boolean {
  return call.billing === 'call' && call.twinSpanId === undefined;
}

/**
 * The twins among unpaired calls of one or more traces: each framework span (in start order)
 * with the other span of its request (same parent, provider, operation and request model,
 * overlapping in time, no other response id; the closest start and end wins).
 *
 * Which one is billed: the client's, closest to the wire (dated response model, response id),
 * unless its token counts are not the provider's. The framework reports the usage the provider
 * sent whenever there was any, so where the two disagree the client's counts are its own
 * estimate (OpenLLMetry's OpenAI instrumentation replaces a stream's usage by js-tiktoken counts,
 * its default `enrichTokens`), and where only the client has counts the provider sent none: they
 * are billed, marked estimated. The billed row takes the labels only the other has.
 */
export function pairLayerTwins<C extends TwinCandidate>(calls: readonly C[]): TwinPair<C>[] {
  const open = calls.filter((call) => isUnpaired(call));
  const frameworks = open.filter((call) => isFrameworkCall(call)).sort(byStart);
  if (frameworks.length === 0) return [];
  const clientsByTrace = new Map<string, C[]>();
  for (const call of open) {
    if (isFrameworkCall(call)) continue;
    const list = clientsByTrace.get(call.traceId) ?? [];
    list.push(call);
    clientsByTrace.set(call.traceId, list);
  }
  const pairs: TwinPair<C>[] = [];
  const paired = new Set<C>();
  for (const framework of frameworks) {
    const client = findTwin(framework, clientsByTrace.get(framework.traceId) ?? [], paired);
    if (client === undefined) continue;
    paired.add(client);
    const billClient = !hasTokens(framework) || (framework.inputTokens === client.inputTokens && framework.outputTokens === client.outputTokens);
    const billed = billClient ? client : framework;
    const duplicate = billClient ? framework : client;
    pairs.push({
      billed,
      duplicate,
      labels: {
        functionName: billed.functionName ?? duplicate.functionName,
        tags: billed.tags ?? duplicate.tags,
        // Both default from the same operation; an explicit call type on either wins.
        callType: billed.callType === 'chat' ? duplicate.callType : billed.callType,
        isUsageEstimated: billed.isUsageEstimated || (billClient && hasTokens(client) && !hasTokens(framework)),
      },
    });
  }
  return pairs;
}

/** The calls with every pair applied: the billed row labelled and naming its twin, the other billed `duplicate`. */
export function applyTwinPairs(calls: readonly LlmCallRow[], pairs: readonly TwinPair<LlmCallRow>[]): LlmCallRow[] {
  if (pairs.length === 0) return [...calls];
  const next = new Map<LlmCallRow, LlmCallRow>();
  for (const { billed, duplicate, labels } of pairs) {
    next.set(billed, { ...billed, ...labels, twinSpanId: duplicate.spanId });
    next.set(duplicate, { ...duplicate, billing: 'duplicate', twinSpanId: billed.spanId });
  }
  return calls.map((call) => next.get(call) ?? call);
}
