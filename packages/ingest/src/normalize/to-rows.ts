// TraceRequest → rows for every table. Pure: no I/O, no clock; the same request always gives
// the same rows, which is what makes retries and reordering safe downstream.
import { ATTR_GEN_AI_CONVERSATION_ID, CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH } from '@convotel/semconv';
import type { Span, TraceRequest } from '../otlp/types.js';
import { readString } from './read/attributes.js';
import { DroppedValues } from './read/dropped-values.js';
import { readIdentity, type Identity } from './concepts/conversation-id.js';
import { toConversationFacts } from './spans/conversation.js';
import type { CostEstimator } from './concepts/cost.js';
import { estimateTelephonyWithPriceTable, type TelephonyEstimator } from './concepts/telephony.js';
import { readDbSystem, toDbQueryRow } from './spans/db-query.js';
import { flavourOfAttributes } from './concepts/flavour.js';
import { flavourOfScope } from './flavours/registry.js';
import { dropDuplicateCalls } from './spans/duplicate-calls.js';
import { applyRequestAttempts, toRequestAttempt, type RequestAttempt } from './spans/request-attempts.js';
import { ATTR_SERVICE_NAME } from '@convotel/semconv';
import { toLlmCallRow } from './spans/llm-call.js';
import { readOperation } from './concepts/operation.js';
import type { LlmCallRow, SpanEdgeRow, TraceRows, TurnFacts } from './rows.js';
import { toIdentifier } from './read/sanitize.js';
import { classifySpan, isGenAiRole } from './spans/span-role.js';
import { toSpanInput, type SpanInput } from './spans/span-input.js';
import { isStepRole, toStepRow } from './spans/step.js';
import { isPlausibleNanos } from './units/time.js';
import { mergeTurnFactsByTrace } from './spans/turn-facts.js';
import { toTextPicks, toTurnRoot } from './spans/turn.js';
import { NO_VOICE_FACTS, readVoiceFacts, type VoiceFacts } from './concepts/voice-facts.js';
import { CONVOTEL_STEP_NAME_VALUE_STT, CONVOTEL_STEP_NAME_VALUE_TTS } from '@convotel/semconv';
import { turnGroupKeyOf, turnSpanNamesOf } from './flavours/registry.js';

/** Dependencies of normalization (kept injectable so tests can price with their own table). */
export interface NormalizeOptions {
  /** Prices calls whose spans report no cost (`@convotel/pricing`'s `estimateCost`). */
  readonly estimateCost: CostEstimator;
  /**
   * Longest captured content stored, in characters (user input, agent output, each text of
   * the messages); longer is cut and marked as the SDK does. Default 16384, the SDK's default.
   */
  readonly maxContentLength?: number;
  /** Prices a conversation's telephony minutes (default: `@convotel/pricing`'s telephony prices). */
  readonly estimateTelephony?: TelephonyEstimator;
}

/** {@link NormalizeOptions} with defaults applied. */
interface Settings {
  readonly estimateCost: CostEstimator;
  readonly maxContentLength: number;
  readonly estimateTelephony: TelephonyEstimator;
}

const MAX_REJECTION_REASONS = 5;

/** Every row a decoded trace request becomes, plus the spans that could not be used. */
export function toRows(request: TraceRequest, options: NormalizeOptions): TraceRows {
  const rows: TraceRows = {
    llmCalls: [],
    steps: [],
    dbQueries: [],
    turns: [],
    conversations: [],
    spanEdges: [],
    spans: 0,
    rejected: 0,
    rejectionReasons: [],
    failed: 0,
    failure: undefined,
    droppedValues: 0,
    droppedValueReasons: [],
  };
  const settings: Settings = {
    estimateCost: options.estimateCost,
    maxContentLength: options.maxContentLength ?? CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH,
    estimateTelephony: options.estimateTelephony ?? estimateTelephonyWithPriceTable,
  };
  const dropped = new DroppedValues();
  let accepted = 0;
  let rejected = 0;
  let failed = 0;
  let failure: unknown;
  const turnFacts: TurnFacts[] = [];
  const attempts: RequestAttempt[] = [];
  for (const { resource, scopeSpans } of request.resourceSpans) {
    const service = readString(resource, ATTR_SERVICE_NAME);
    const serviceName = service === undefined ? undefined : toIdentifier(service);
    for (const { scope, spans } of scopeSpans) {
      const scopeFlavour = flavourOfScope(scope.name);
      for (const span of spans) {
        const problem = findProblem(span);
        if (problem !== undefined) {
          rejected += 1;
          if (rows.rejectionReasons.length < MAX_REJECTION_REASONS) rows.rejectionReasons.push(problem);
          continue;
        }
        // Row counts before the span, to take back a span that throws halfway.
        const llmCalls = rows.llmCalls.length;
        const steps = rows.steps.length;
        const dbQueries = rows.dbQueries.length;
        const conversations = rows.conversations.length;
        const spanEdges = rows.spanEdges.length;
        try {
          const flavour = scopeFlavour ?? flavourOfAttributes(span.attributes);
          const operation = readOperation(span.name, span.attributes);
          const input = toSpanInput(span, resource, scope, flavour, operation, serviceName, dropped);
          const facts = addSpan(input, classifySpan(span.name, span.attributes, operation?.value, flavour), rows, settings);
          const attempt = toRequestAttempt(input);
          // Nothing below can throw: a span counts whole or not at all.
          if (facts !== undefined) turnFacts.push(facts);
          if (attempt !== undefined) attempts.push(attempt);
          accepted += 1;
        } catch (error) {
          // A bug of ours on this span's values: it alone is rejected (and the sink logs it),
          // instead of the request failing the same way on every retry.
          rows.llmCalls.length = llmCalls;
          rows.steps.length = steps;
          rows.dbQueries.length = dbQueries;
          rows.conversations.length = conversations;
          rows.spanEdges.length = spanEdges;
          rejected += 1;
          failed += 1;
          failure ??= error;
          if (rows.rejectionReasons.length < MAX_REJECTION_REASONS) {
            rows.rejectionReasons.push(`span ${span.spanId} of trace ${span.traceId}: internal error: ${(error as Error)?.message ?? String(error)}`);
          }
        }
      }
    }
  }
  // One push per trace: spreading them into one call overflows the stack beyond ~10^5 traces.
  for (const facts of mergeTurnFactsByTrace(turnFacts).values()) rows.turns.push(facts);
  return {
    ...rows,
    llmCalls: applyRequestAttempts(dropDuplicateCalls(rows.llmCalls), attempts),
    spans: accepted,
    rejected,
    failed,
    failure,
    droppedValues: dropped.count,
    droppedValueReasons: dropped.reasons,
  };
}

/** Adds the span's rows; returns what it says about its turn (undefined for spans we ignore). */
function addSpan(input: SpanInput, role: ReturnType<typeof classifySpan>, rows: TraceRows, settings: Settings): TurnFacts | undefined {
  const { span } = input;
  let voice = readVoiceFacts(span, input.flavour);
  const turnSpanNames = turnSpanNamesOf(input.flavour);
  const isFrameworkTurn = turnSpanNames.includes(span.name);
  // A framework with a trace per call: keep the span's parent, so the store finds its turn.
  if (turnSpanNames.length > 0) rows.spanEdges.push(toSpanEdgeRow(input, isFrameworkTurn, voice, settings.maxContentLength));
  if (role === 'conversation') {
    rows.conversations.push(toConversationFacts(input, settings.estimateTelephony));
    return undefined;
  }
  const isRoot = role === 'turn' || span.parentSpanId === undefined;
  let llmCall: LlmCallRow | undefined;
  if (role === 'llm') {
    llmCall = toLlmCallRow(input, 'call', settings.estimateCost, settings.maxContentLength);
    rows.llmCalls.push(llmCall);
  } else if (isStepRole(role)) {
    const step = toStepRow(input, role, settings.estimateCost, settings.maxContentLength);
    rows.steps.push(step);
    // Speech steps make the trace a voice turn, measured by its spans when it has no markers.
    if (step.stepName === CONVOTEL_STEP_NAME_VALUE_STT || step.stepName === CONVOTEL_STEP_NAME_VALUE_TTS) voice ??= NO_VOICE_FACTS;
    llmCall = step.fallbackLlmCall;
  } else if (role === 'db') {
    rows.dbQueries.push(toDbQueryRow(input));
  } else if (!isRoot && voice === undefined && !isFrameworkTurn) {
    // Not GenAI, not SQL, not a root or a turn, nothing about the voice turn: its payload belongs to the trace backend.
    return undefined;
  }
  const identity = readIdentity(span.attributes, input.resource, input.flavour);
  const base = input.base;
  const picks = toTextPicks(input, llmCall, settings.maxContentLength);
  return {
    traceId: span.traceId,
    identity,
    hasGenAi: isGenAiRole(role) || hasExplicitConversation(identity),
    firstSeenAt: base.startedAt,
    lastSeenAt: base.endedAt,
    serviceName: input.serviceName,
    root: isRoot ? toTurnRoot(input, role === 'turn') : undefined,
    userInput: picks.userInput,
    agentOutput: picks.agentOutput,
    dbSystem: role === 'db' ? optionalSystem(readDbSystem(span.attributes)) : undefined,
    voice,
  };
}

function toSpanEdgeRow(input: SpanInput, isTurn: boolean, voice: VoiceFacts | undefined, maxContentLength: number): SpanEdgeRow {
  const base = input.base;
  let turn: SpanEdgeRow['turn'];
  if (isTurn) {
    const picks = toTextPicks(input, undefined, maxContentLength);
    const groupKey = turnGroupKeyOf(input.flavour);
    const group = groupKey === undefined ? undefined : readString(input.span.attributes, groupKey);
    turn = { root: toTurnRoot(input, false), userInput: picks.userInput, agentOutput: picks.agentOutput, group: group === undefined ? undefined : toIdentifier(group) };
  }
  return {
    traceId: base.traceId,
    spanId: base.spanId,
    parentSpanId: base.parentSpanId,
    name: base.name,
    isTurn,
    startedAt: base.startedAt,
    endedAt: base.endedAt,
    turn,
    voice,
    attempt: toRequestAttempt(input),
  };
}

/** `gen_ai.conversation.id` on any span (our SDK stamps every span it sees) marks a conversation's trace. */
function hasExplicitConversation(identity: Identity): boolean {
  return identity.conversation?.key === ATTR_GEN_AI_CONVERSATION_ID;
}

function optionalSystem(system: string | undefined): string | undefined {
  return system === undefined ? undefined : toIdentifier(system);
}

function findProblem(span: Span): string | undefined {
  if (!isPlausibleNanos(span.startTimeUnixNano)) {
    return `span ${span.spanId} of trace ${span.traceId}: start time ${span.startTimeUnixNano} is not a plausible Unix time in ns`;
  }
  if (span.endTimeUnixNano !== 0n && !isPlausibleNanos(span.endTimeUnixNano)) {
    return `span ${span.spanId} of trace ${span.traceId}: end time ${span.endTimeUnixNano} is not a plausible Unix time in ns`;
  }
  return undefined;
}
