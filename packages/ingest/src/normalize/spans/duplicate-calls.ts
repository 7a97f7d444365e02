// One provider call, two LLM spans, from two instrumentation layers:
// - `@anthropic-ai/sdk` ≥0.13x traces its own requests (scope `com.anthropic.sdk.typescript`) as
//   soon as a tracer provider is registered, so an app that also runs OpenInference, OpenLLMetry
//   or OpenLIT gets the client's span nested under (or beside) the instrumentation's span for the
//   same request (test/fixtures/README.md, "anthropic-sdk-native").
// - OpenLLMetry's LangChain instrumentation writes a `chat <model>` CLIENT span per model call,
//   and its OpenAI instrumentation one more for the same request, side by side under the task
//   span (test/fixtures/README.md, "langchain-openllmetry").
// Counting both doubles the call's tokens and cost, so one is dropped. Pure; it sees one request,
// so the two spans must arrive in the same export batch (they normally do: they end together).
import type { Flavour } from '../concepts/flavour.js';
import type { LlmCallRow } from '../rows.js';

/** Flavours whose LLM spans come from the client library itself and may repeat an instrumentation's. */
const CLIENT_OWN_FLAVOURS: ReadonlySet<Flavour> = new Set(['anthropic-sdk']);

/**
 * Scopes of framework instrumentations whose LLM spans describe a model call a client
 * instrumentation may also trace (OpenLLMetry's LangChain callback handler).
 */
const FRAMEWORK_SCOPE_PREFIXES: readonly string[] = ['@traceloop/instrumentation-langchain'];

/** Raw attributes added to the kept row: the span id and scope of the twin dropped for it. */
export const ATTR_TWIN_SPAN_ID = 'convotel.twin.span_id';
export const ATTR_TWIN_SCOPE = 'convotel.twin.scope';

// How surely two spans are the same request; lower is surer.
const PARENT_OR_CHILD = 0;
const SAME_RESPONSE_ID = 1;
const OVERLAPPING_SIBLING = 2;

/**
 * The calls with each client-own span that repeats another instrumentation's span of the same
 * request removed, or that other span removed instead when only the client's has usage.
 *
 * Which one stays: the other instrumentation's. It is the one the user installed on purpose,
 * so it carries what they set up (captured content, session and user ids, OpenLIT's reported
 * cost), while the client's span is on by default and holds content only in its opt-in
 * `contentMode: 'content'`. Its usage is no worse once the per-flavour cache rules of
 * usage.ts apply: both say 150 input tokens for the recorded Anthropic call. The exception is an
 * instrumentation span with no token counts at all, where the client's span keeps the call priced.
 */
export function dropDuplicateCalls(calls: LlmCallRow[]): LlmCallRow[] {
  return mergeFrameworkTwins(dropClientOwnTwins(calls));
}

function dropClientOwnTwins(calls: LlmCallRow[]): LlmCallRow[] {
  const clientOwn = calls.filter((call) => isClientOwn(call)).sort(byStart);
  if (clientOwn.length === 0) return calls;
  const othersByTrace = new Map<string, LlmCallRow[]>();
  for (const call of calls) {
    if (isClientOwn(call) || call.billing !== 'call') continue;
    const list = othersByTrace.get(call.traceId) ?? [];
    list.push(call);
    othersByTrace.set(call.traceId, list);
  }
  const dropped = new Set<LlmCallRow>();
  const paired = new Set<LlmCallRow>();
  for (const own of clientOwn) {
    const twin = findTwin(own, othersByTrace.get(own.traceId) ?? [], paired);
    if (twin === undefined) continue;
    paired.add(twin);
    dropped.add(hasTokens(twin) || !hasTokens(own) ? own : twin);
  }
  return dropped.size === 0 ? calls : calls.filter((call) => !dropped.has(call));
}

function isClientOwn(call: LlmCallRow): boolean {
  return call.billing === 'call' && CLIENT_OWN_FLAVOURS.has(call.flavour);
}

/**
 * Each framework span and the client instrumentation's span of the same request merged into one
 * row. Which one stays: the client's, closest to the wire (dated response model, response id),
 * unless its token counts are not the provider's. The framework reports the usage the provider
 * sent whenever there was any, so where the two disagree the client's counts are its own
 * estimate (OpenLLMetry's OpenAI instrumentation replaces a stream's usage by js-tiktoken counts,
 * its default `enrichTokens`), and where only the client has counts the provider sent none and
 * they are estimated. The kept row takes the other's labels it lacks and names the other span.
 */
function mergeFrameworkTwins(calls: LlmCallRow[]): LlmCallRow[] {
  const frameworks = calls.filter((call) => isFramework(call)).sort(byStart);
  if (frameworks.length === 0) return calls;
  const clientsByTrace = new Map<string, LlmCallRow[]>();
  for (const call of calls) {
    if (isFramework(call) || call.billing !== 'call') continue;
    const list = clientsByTrace.get(call.traceId) ?? [];
    list.push(call);
    clientsByTrace.set(call.traceId, list);
  }
  const replaced = new Map<LlmCallRow, LlmCallRow | undefined>();
  const paired = new Set<LlmCallRow>();
  for (const framework of frameworks) {
    const client = findTwin(framework, clientsByTrace.get(framework.traceId) ?? [], paired);
    if (client === undefined) continue;
    paired.add(client);
    const keepClient = !hasTokens(framework) || sameTokens(framework, client);
    const kept = keepClient ? client : framework;
    const other = keepClient ? framework : client;
    replaced.set(other, undefined);
    replaced.set(kept, {
      ...withTwinLabels(kept, other),
      isUsageEstimated: kept.isUsageEstimated || (keepClient && hasTokens(client) && !hasTokens(framework)),
    });
  }
  if (replaced.size === 0) return calls;
  const merged: LlmCallRow[] = [];
  for (const call of calls) {
    const next = replaced.has(call) ? replaced.get(call) : call;
    if (next !== undefined) merged.push(next);
  }
  return merged;
}

function isFramework(call: LlmCallRow): boolean {
  return call.billing === 'call' && FRAMEWORK_SCOPE_PREFIXES.some((prefix) => call.scopeName.startsWith(prefix));
}

/** `kept` with the labels only `other` has, and the dropped twin named in its raw attributes. */
function withTwinLabels(kept: LlmCallRow, other: LlmCallRow): LlmCallRow {
  const attributes = typeof kept.attributes === 'object' && kept.attributes !== null && !Array.isArray(kept.attributes) ? kept.attributes : {};
  return {
    ...kept,
    functionName: kept.functionName ?? other.functionName,
    tags: kept.tags ?? other.tags,
    // Both defaulted from the same operation unless one was set explicitly.
    callType: kept.callType === 'chat' ? other.callType : kept.callType,
    responseId: kept.responseId ?? other.responseId,
    attributes: { ...attributes, [ATTR_TWIN_SPAN_ID]: other.spanId, [ATTR_TWIN_SCOPE]: other.scopeName },
  };
}

function sameTokens(a: LlmCallRow, b: LlmCallRow): boolean {
  return a.inputTokens === b.inputTokens && a.outputTokens === b.outputTokens;
}

/** The other instrumentation's span of the same request, surest match first, then the closest start and end. */
function findTwin(own: LlmCallRow, others: readonly LlmCallRow[], paired: ReadonlySet<LlmCallRow>): LlmCallRow | undefined {
  let best: { call: LlmCallRow; relation: number; gap: bigint } | undefined;
  for (const call of others) {
    if (paired.has(call)) continue;
    const relation = relationOf(own, call);
    if (relation === undefined) continue;
    const gap = distance(own.startedAt, call.startedAt) + distance(own.endedAt, call.endedAt);
    if (best === undefined || relation < best.relation || (relation === best.relation && (gap < best.gap || (gap === best.gap && call.spanId < best.call.spanId)))) {
      best = { call, relation, gap };
    }
  }
  return best?.call;
}

/** How the two spans relate if they can be the same request; undefined when they cannot. */
function relationOf(own: LlmCallRow, other: LlmCallRow): number | undefined {
  if (own.provider === undefined || own.provider !== other.provider || own.operation !== other.operation) return undefined;
  if (differ(own.responseId, other.responseId) || differ(own.requestModel, other.requestModel)) return undefined;
  if (own.parentSpanId === other.spanId || other.parentSpanId === own.spanId) return PARENT_OR_CHILD;
  if (own.responseId !== undefined && own.responseId === other.responseId) return SAME_RESPONSE_ID;
  const overlaps = own.startedAt <= other.endedAt && other.startedAt <= own.endedAt;
  return own.parentSpanId === other.parentSpanId && overlaps ? OVERLAPPING_SIBLING : undefined;
}

function distance(a: bigint, b: bigint): bigint {
  return a >= b ? a - b : b - a;
}

function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

function hasTokens(call: LlmCallRow): boolean {
  return call.inputTokens !== undefined || call.outputTokens !== undefined;
}

function byStart(a: LlmCallRow, b: LlmCallRow): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}
