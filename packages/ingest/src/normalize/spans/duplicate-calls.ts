// One provider call, two LLM spans: `@anthropic-ai/sdk` ≥0.13x traces its own requests
// (scope `com.anthropic.sdk.typescript`) as soon as a tracer provider is registered, so an app
// that also runs OpenInference, OpenLLMetry or OpenLIT gets the client's span nested under (or
// beside) the instrumentation's span for the same request (test/fixtures/README.md,
// "anthropic-sdk-native"). Counting both doubles the call's tokens and cost, so one is dropped.
// Pure; it sees one request, so the two spans must arrive in the same export batch (they
// normally do: the client's span ends just before the wrapping one). Two layers of one
// instrumentation (OpenLLMetry's LangChain and OpenAI spans) are paired in the store instead
// (layer-twins.ts), where twins from different requests meet.
import type { Flavour } from '../concepts/flavour.js';
import type { LlmCallRow } from '../rows.js';

/** Flavours whose LLM spans come from the client library itself and may repeat an instrumentation's. */
const CLIENT_OWN_FLAVOURS: ReadonlySet<Flavour> = new Set(['anthropic-sdk']);

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

/** What telling two spans of one request apart reads. */
export type TwinMatchFields = Pick<LlmCallRow, 'spanId' | 'parentSpanId' | 'provider' | 'operation' | 'requestModel' | 'responseId' | 'startedAt' | 'endedAt'>;

/** The other instrumentation's span of the same request, surest match first, then the closest start and end. */
export function findTwin<C extends TwinMatchFields>(own: TwinMatchFields, others: readonly C[], paired: ReadonlySet<C>): C | undefined {
  let best: { call: C; relation: number; gap: bigint } | undefined;
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
function relationOf(own: TwinMatchFields, other: TwinMatchFields): number | undefined {
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

/** Whether the span reports any token count. */
export function hasTokens(call: Pick<LlmCallRow, 'inputTokens' | 'outputTokens'>): boolean {
  return call.inputTokens !== undefined || call.outputTokens !== undefined;
}

/** Start order, then span id. */
export function byStart(a: Pick<LlmCallRow, 'startedAt' | 'spanId'>, b: Pick<LlmCallRow, 'startedAt' | 'spanId'>): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}
