// LlamaIndex.TS traced by OpenLLMetry, recorded (test/fixtures/llamaindex-openllmetry, see its
// README section): a ContextChatEngine (plain, stream, 429, streamed 429) and a workflow agent
// with the get_weather tool, in one workflow span. Each provider call that reached the mock is
// traced twice: by the LlamaIndex instrumentation (`chat gpt-4o-mini`, the request model as
// response model, the usage LlamaIndex got) and, nested under it, by the OpenAI instrumentation
// (dated model; js-tiktoken estimates on streams, nothing on the streamed tool call). Costs by
// hand from @convotel/pricing: gpt-4o-mini 0.15 in / 0.6 out USD per million tokens; neither
// layer reports cached tokens, so every input token is priced at the full rate.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import type { LlmCallRow, StepRow, TurnFacts } from '../../src/normalize/rows.js';
import { applyTwinPairs, pairLayerTwins } from '../../src/normalize/spans/layer-twins.js';
import { toRows } from '../../src/normalize/to-rows.js';
import type { TraceRequest } from '../../src/otlp/types.js';
import { loadTraceFixture, splitBySpan } from '../helpers/fixtures.js';
import { Ids, shuffle, split } from '../helpers/spans.js';

const CONVERSATION_ID = 'conv-fixture-0001';
const USER_ID = 'user-fixture-0001';
const LLAMAINDEX = '@traceloop/instrumentation-llamaindex';
const OPENAI = '@traceloop/instrumentation-openai';

/** Picodollars for an amount in millionths of a dollar. */
function microUsd(amount: number): bigint {
  return BigInt(Math.round(amount * 1_000_000));
}

interface Normalized {
  /** In start order, a LlamaIndex span before the OpenAI span it wraps. */
  readonly calls: LlmCallRow[];
  readonly steps: StepRow[];
  readonly turns: TurnFacts[];
}

function normalize(requests: readonly TraceRequest[]): Normalized {
  const all = requests.map((request) => toRows(request, { estimateCost: estimateWithPriceTable }));
  for (const rows of all) expect(rows.rejected).toBe(0);
  // A redelivered span gives the same row again; the store keeps one per span id.
  const bySpan = new Map(all.flatMap((rows) => rows.llmCalls).map((call) => [call.spanId, call]));
  const steps = new Map(all.flatMap((rows) => rows.steps).map((step) => [step.spanId, step]));
  return { calls: [...bySpan.values()].sort(byStart), steps: [...steps.values()].sort(byStart), turns: all.flatMap((rows) => rows.turns) };
}

function byStart<T extends { startedAt: bigint; scopeName: string; spanId: string }>(a: T, b: T): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.scopeName < b.scopeName ? -1 : a.scopeName > b.scopeName ? 1 : a.spanId.localeCompare(b.spanId);
}

/** The calls as the store leaves them: each pair of layer twins billed once. */
function paired(calls: readonly LlmCallRow[]): LlmCallRow[] {
  return applyTwinPairs(calls, pairLayerTwins(calls));
}

function summarize(row: LlmCallRow) {
  return {
    billing: row.billing,
    flavour: row.flavour,
    scopeName: row.scopeName,
    provider: row.provider,
    operation: row.operation,
    requestModel: row.requestModel,
    responseModel: row.responseModel,
    responseId: row.responseId,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    totalTokens: row.totalTokens,
    costPicos: row.costPicos,
    costSource: row.costSource,
    finishReason: row.finishReason,
    status: row.status,
    errorType: row.errorType,
  };
}

/** Expected columns; the ones left out must be undefined. */
type Summary = Partial<ReturnType<typeof summarize>>;

const CALL = { billing: 'call', flavour: 'openllmetry', provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini' } as const;
// The LlamaIndex instrumentation writes the LLM's configured model as the response model.
const LI = { ...CALL, scopeName: LLAMAINDEX, responseModel: 'gpt-4o-mini' } as const;
const OA = { ...CALL, scopeName: OPENAI, responseModel: 'gpt-4o-mini-2024-07-18' } as const;

// What each span says, in start order (the LlamaIndex span first, the OpenAI span it wraps next).
const LI_PLAIN = { ...LI, responseId: 'chatcmpl-fixture-plain', inputTokens: 42, outputTokens: 7, totalTokens: 49, costPicos: microUsd(10.5), costSource: 'computed', finishReason: 'stop', status: 'ok' } as const;
const OA_PLAIN = { ...LI_PLAIN, ...OA } as const;
// The LlamaIndex stream: the served include_usage numbers, but no finish reason (the usage chunk,
// its last, has no choices). The OpenAI one: js-tiktoken's estimate. 50·0.15 + 9·0.6 = 12.9 µ$.
const LI_STREAM = { ...LI, responseId: 'chatcmpl-fixture-stream', inputTokens: 50, outputTokens: 9, totalTokens: 59, costPicos: microUsd(12.9), costSource: 'computed', status: 'ok' } as const;
const OA_STREAM = { ...OA, responseId: 'chatcmpl-fixture-stream', inputTokens: 41, outputTokens: 12, totalTokens: 53, costPicos: microUsd(13.35), costSource: 'computed', finishReason: 'stop', status: 'ok' } as const;
// The agent always streams: the OpenAI layer has no usage at all on the tool-call stream.
const LI_TOOL_CALL = { ...LI, responseId: 'chatcmpl-fixture-toolcall', inputTokens: 60, outputTokens: 15, totalTokens: 75, costPicos: microUsd(18), costSource: 'computed', status: 'ok' } as const;
const OA_TOOL_CALL = { ...OA, responseId: 'chatcmpl-fixture-toolcall', finishReason: 'tool_call', status: 'ok' } as const;
const LI_TOOL_RESULT = { ...LI, responseId: 'chatcmpl-fixture-toolresult', inputTokens: 80, outputTokens: 11, totalTokens: 91, costPicos: microUsd(18.6), costSource: 'computed', status: 'ok' } as const;
const OA_TOOL_RESULT = { ...OA, responseId: 'chatcmpl-fixture-toolresult', inputTokens: 32, outputTokens: 10, totalTokens: 42, costPicos: microUsd(10.8), costSource: 'computed', finishReason: 'stop', status: 'ok' } as const;
// The 429: ERROR with the SDK's message, no error.type nor exception event; the OpenAI layer
// exports no span for a rejected call.
const LI_RATE_LIMITED = { ...LI, responseModel: undefined, status: 'error', errorType: '429' } as const;
// The streamed 429: the instrumentation ends the span when the stream throws, with status OK,
// no usage and an empty answer; nothing on it tells the failure.
const LI_RATE_LIMITED_STREAM = { ...LI, status: 'ok' } as const;

function fixture(): Normalized {
  return normalize(loadTraceFixture('llamaindex-openllmetry'));
}

describe('LlamaIndex.TS traced by OpenLLMetry → rows', () => {
  it('reads every chat span of both layers as recorded', () => {
    const { calls } = fixture();
    expect(calls.map(summarize)).toEqual<Summary[]>([
      LI_PLAIN,
      OA_PLAIN,
      LI_STREAM,
      OA_STREAM,
      LI_TOOL_CALL,
      OA_TOOL_CALL,
      LI_TOOL_RESULT,
      OA_TOOL_RESULT,
      LI_RATE_LIMITED,
      LI_RATE_LIMITED_STREAM,
    ]);
    expect(calls.find((call) => call.status === 'error')?.errorMessage).toMatch(/^429 Rate limit reached for gpt-4o-mini/);
    // Each OpenAI span is the child of the LlamaIndex span of the same request.
    const bySpan = new Map(calls.map((call) => [call.spanId, call]));
    for (const call of calls.filter((row) => row.scopeName === OPENAI)) {
      expect(bySpan.get(call.parentSpanId ?? '')).toMatchObject({ scopeName: LLAMAINDEX, responseId: call.responseId });
    }
  });

  it('bills each provider call once: the OpenAI span, or the LlamaIndex one where the OpenAI counts are estimates or missing', () => {
    const rows = paired(fixture().calls);
    const duplicate = { billing: 'duplicate' } as const;
    expect(rows.map(summarize)).toEqual<Summary[]>([
      { ...LI_PLAIN, ...duplicate },
      OA_PLAIN,
      LI_STREAM,
      { ...OA_STREAM, ...duplicate },
      LI_TOOL_CALL,
      { ...OA_TOOL_CALL, ...duplicate },
      LI_TOOL_RESULT,
      { ...OA_TOOL_RESULT, ...duplicate },
      LI_RATE_LIMITED,
      LI_RATE_LIMITED_STREAM,
    ]);
    // Each pair names its other half, parent and child.
    const bySpan = new Map(rows.map((row) => [row.spanId, row]));
    for (const row of rows.filter((r) => r.twinSpanId !== undefined)) {
      const twin = bySpan.get(row.twinSpanId ?? '');
      expect(twin?.twinSpanId).toBe(row.spanId);
      expect(twin?.parentSpanId === row.spanId || row.parentSpanId === twin?.spanId).toBe(true);
    }
    // The six provider requests the mock answered or refused, billed as served: 42+50+60+80 in,
    // 7+9+15+11 out; 10.5 + 12.9 + 18 + 18.6 µ$.
    const billed = rows.filter((row) => row.billing === 'call');
    expect(billed).toHaveLength(6);
    expect([sum(billed, 'inputTokens'), sum(billed, 'outputTokens'), billed.reduce((total, row) => total + (row.costPicos ?? 0n), 0n)]).toEqual([232, 42, microUsd(60)]);
  });

  it('bills the same rows whatever the order of delivery, span by span with repeats', () => {
    const requests = loadTraceFixture('llamaindex-openllmetry');
    const key = (rows: readonly LlmCallRow[]) => rows.map((row) => `${row.spanId}:${row.billing}:${row.twinSpanId}:${row.inputTokens}:${row.status}`).sort();
    const inOrder = key(paired(normalize(requests).calls));
    const spans = requests.flatMap(splitBySpan);
    const ids = new Ids(2718);
    for (let round = 0; round < 3; round += 1) {
      const shuffled = shuffle(spans, ids);
      const withRepeats = [...shuffled, ...shuffle(shuffled, ids).slice(0, 5)];
      const batches = split(withRepeats, 1 + (ids.next() % 5), ids).map((chunk): TraceRequest => ({ resourceSpans: chunk.flatMap((request) => request.resourceSpans) }));
      expect(key(paired(normalize(batches).calls))).toEqual(inOrder);
    }
  });

  it('takes the conversation and the user from the association properties on every span', () => {
    const { turns } = fixture();
    // One trace: the workflow span holds every call, the agent's included.
    // The rank is the key's place in its lookup list: not asserted here.
    const keyAndValue = (candidate: { key: string; value: string } | undefined) => candidate && { key: candidate.key, value: candidate.value };
    expect(turns.map((turn) => [keyAndValue(turn.identity.conversation), keyAndValue(turn.identity.user), turn.root?.name])).toEqual([
      [
        { key: 'traceloop.association.properties.session_id', value: CONVERSATION_ID },
        { key: 'traceloop.association.properties.user_id', value: USER_ID },
        'conversation_turn.workflow',
      ],
    ]);
  });

  it('keeps the tool call only in the OpenAI layer: no span executes the tool, the LlamaIndex span shows an empty answer', () => {
    const { calls, steps } = fixture();
    expect(steps.filter((step) => step.kind === 'tool' || step.kind === 'agent')).toEqual([]);
    const toolCall = { type: 'tool_call', id: 'call_fixture_weather_1', name: 'get_weather', arguments: { city: 'Paris' } };
    const ofToolCall = (scope: string) => calls.find((call) => call.scopeName === scope && call.responseId === 'chatcmpl-fixture-toolcall');
    expect(ofToolCall(OPENAI)?.outputMessages).toEqual([{ role: 'assistant', parts: [toolCall], finish_reason: 'tool_call' }]);
    expect(ofToolCall(LLAMAINDEX)?.outputMessages).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '' }], finish_reason: '' }]);
    // The next request: the OpenAI layer sends the call and its result; LlamaIndex's own
    // messages hold an empty assistant text and the result as a user message.
    const ofToolResult = (scope: string) => calls.find((call) => call.scopeName === scope && call.responseId === 'chatcmpl-fixture-toolresult');
    expect(ofToolResult(OPENAI)?.inputMessages?.slice(2).map((message) => [message.role, message.parts.map((part) => part.type)])).toEqual([
      ['assistant', ['tool_call']],
      ['tool', ['tool_call_response']],
    ]);
    expect(ofToolResult(LLAMAINDEX)?.inputMessages?.slice(2).map((message) => [message.role, message.parts.map((part) => part.type)])).toEqual([
      ['assistant', ['text']],
      ['user', ['text']],
    ]);
  });

  it('names the LlamaIndex task spans after themselves, not after the workflow around them', () => {
    const { steps } = fixture();
    // Starts share a millisecond, so the steps are compared as a tree: each with its parent's name.
    const names = new Map(steps.map((step) => [step.spanId, step.stepName]));
    const tree = steps.map((step) => `${step.kind} ${step.stepName} ${step.status} < ${step.parentSpanId === undefined ? '(root)' : (names.get(step.parentSpanId) ?? '(not exported)')}`);
    // `traceloop.span.kind=task` spans carry the enclosing workflow's `traceloop.workflow.name`
    // (`conversation_turn`) and no `traceloop.entity.name`: their own name is the span name.
    expect(tree.sort()).toEqual(
      [
        'workflow conversation_turn ok < (root)',
        ...Array(2).fill('workflow context_chat_engine.chat ok < conversation_turn'),
        'workflow context_chat_engine.chat error < conversation_turn',
        ...Array(3).fill('workflow vector_index_retriever.retrieve ok < context_chat_engine.chat'),
        // The streamed 429's chat-engine span is never ended, so never exported.
        'workflow vector_index_retriever.retrieve ok < (not exported)',
        ...Array(4).fill('workflow base_embedding.get_query_embedding ok < vector_index_retriever.retrieve'),
      ].sort(),
    );
  });
});

function sum(calls: readonly LlmCallRow[], field: 'inputTokens' | 'outputTokens'): number {
  return calls.reduce((total, call) => total + (call[field] ?? 0), 0);
}
