// Recordings of the real instrumentation packages (test/fixtures/, see its README for the calls
// made and the numbers the mock LLM served) through the real decoder and `toRows`. Expected
// token counts are OTel's: input includes cache. Expected costs are worked out by hand from
// @convotel/pricing's table (USD per million tokens: gpt-4o-mini 0.15 in / 0.075 cache read /
// 0.6 out, text-embedding-3-small 0.02, claude-haiku-4-5 1 in / 0.1 cache read / 1.25 cache
// write / 5 out).
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import { logsToRows } from '../../src/normalize/logs-to-rows.js';
import type { EventRow, LlmCallRow, StepRow, TurnFacts } from '../../src/normalize/rows.js';
import { toRows } from '../../src/normalize/to-rows.js';
import type { TraceRequest } from '../../src/otlp/types.js';
import { loadLogsFixture, loadTraceFixture, type FixtureFlavour } from '../helpers/fixtures.js';

const options = { estimateCost: estimateWithPriceTable };
const CONVERSATION_ID = 'conv-fixture-0001';
const USER_ID = 'user-fixture-0001';

/** Picodollars for an amount in millionths of a dollar. */
function microUsd(amount: number): bigint {
  return BigInt(Math.round(amount * 1_000_000));
}

interface Normalized {
  /** In start order. */
  readonly calls: LlmCallRow[];
  readonly steps: StepRow[];
  readonly turns: TurnFacts[];
}

function normalize(requests: readonly TraceRequest[]): Normalized {
  const all = requests.map((request) => toRows(request, options));
  for (const rows of all) expect(rows.rejected).toBe(0);
  const calls = all.flatMap((rows) => rows.llmCalls).sort(byStart);
  return { calls, steps: all.flatMap((rows) => rows.steps), turns: all.flatMap((rows) => rows.turns) };
}

function normalizeFixture(flavour: FixtureFlavour): Normalized {
  return normalize(loadTraceFixture(flavour));
}

function byStart(a: LlmCallRow, b: LlmCallRow): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.spanId.localeCompare(b.spanId);
}

/** The columns this file checks (undefined ones compare equal to absent ones). */
function summarize(row: LlmCallRow) {
  return {
    billing: row.billing,
    flavour: row.flavour,
    scopeName: row.scopeName,
    provider: row.provider,
    operation: row.operation,
    requestModel: row.requestModel,
    responseModel: row.responseModel,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costPicos: row.costPicos,
    costSource: row.costSource,
    status: row.status,
    errorType: row.errorType,
  };
}

/** Expected columns; the ones left out must be undefined. */
type Summary = Partial<ReturnType<typeof summarize>>;

const GPT = { provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18' } as const;
const EMBEDDING = { provider: 'openai', operation: 'embeddings', requestModel: 'text-embedding-3-small' } as const;
const CLAUDE = { provider: 'anthropic', operation: 'chat', requestModel: 'claude-haiku-4-5', responseModel: 'claude-haiku-4-5-20251001' } as const;
// What the mock served for the two Anthropic calls, in OTel terms (input = 30 + 100 + 20 and 31 + 200 + 0).
const CLAUDE_PLAIN = { ...CLAUDE, inputTokens: 150, outputTokens: 12, cacheReadTokens: 100, cacheWriteTokens: 20 } as const;
const CLAUDE_STREAM = { ...CLAUDE, inputTokens: 231, outputTokens: 14, cacheReadTokens: 200 } as const;
// 30·1 + 100·0.1 + 20·1.25 + 12·5 = 125 µ$; 31·1 + 200·0.1 + 14·5 = 121 µ$.
const CLAUDE_PLAIN_COST = microUsd(125);
const CLAUDE_STREAM_COST = microUsd(121);

function identitiesOf(turns: readonly TurnFacts[]): { conversations: string[]; users: string[] } {
  const unique = (values: string[]) => [...new Set(values)].sort();
  return {
    conversations: unique(turns.map((turn) => `${turn.identity.conversation?.key}=${turn.identity.conversation?.value}`)),
    users: unique(turns.map((turn) => `${turn.identity.user?.key}=${turn.identity.user?.value}`)),
  };
}

describe('recorded instrumentations → llm_calls', () => {
  it('normalizes instrumentation-openai spans: one call per request, usage as served, the 429 as an error', () => {
    const { calls, turns } = normalizeFixture('otel-contrib-openai');
    const base = { billing: 'call', flavour: 'otel-openai', scopeName: '@opentelemetry/instrumentation-openai', costSource: 'computed' } as const;
    // No cache key is emitted, so every input token is priced at the full rate.
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...base, ...GPT, inputTokens: 42, outputTokens: 7, costPicos: microUsd(10.5), status: 'ok' },
      { ...base, ...GPT, inputTokens: 50, outputTokens: 9, costPicos: microUsd(12.9), status: 'ok' },
      { ...base, ...GPT, inputTokens: 60, outputTokens: 15, costPicos: microUsd(18), status: 'ok' },
      { ...base, ...GPT, inputTokens: 80, outputTokens: 11, costPicos: microUsd(18.6), status: 'ok' },
      { ...base, ...EMBEDDING, responseModel: 'text-embedding-3-small', inputTokens: 8, costPicos: microUsd(0.16), status: 'ok' },
      { ...base, ...GPT, inputTokens: 36, outputTokens: 5, costPicos: microUsd(8.4), status: 'ok' },
      { ...base, ...GPT, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'RateLimitError' },
    ]);
    expect(calls.map((call) => call.finishReason)).toEqual(['stop', 'stop', 'tool_call', 'stop', undefined, 'stop', undefined]);
    expect(calls.at(-1)?.errorMessage).toMatch(/^429 Rate limit reached/);
    expect(identitiesOf(turns)).toEqual({ conversations: [`gen_ai.conversation.id=${CONVERSATION_ID}`], users: [`user.id=${USER_ID}`] });
  });

  it('normalizes OpenLLMetry spans: Anthropic input tokens gain their cache', () => {
    const { calls, steps, turns } = normalizeFixture('openllmetry');
    const openai = { billing: 'call', flavour: 'openllmetry', scopeName: '@traceloop/instrumentation-openai', costSource: 'computed', status: 'ok' } as const;
    const anthropic = { ...openai, scopeName: '@traceloop/instrumentation-anthropic' } as const;
    // 0.27.0 exports no span for the OpenAI 429 nor for embeddings, and reports its own tiktoken
    // estimate (11/12) for the stream instead of the served 50/9: seven calls are all it shows.
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...openai, ...GPT, inputTokens: 42, outputTokens: 7, costPicos: microUsd(10.5) },
      { ...openai, ...GPT, inputTokens: 11, outputTokens: 12, costPicos: microUsd(8.85) },
      { ...openai, ...GPT, inputTokens: 60, outputTokens: 15, costPicos: microUsd(18) },
      { ...openai, ...GPT, inputTokens: 80, outputTokens: 11, costPicos: microUsd(18.6) },
      { ...anthropic, ...CLAUDE_PLAIN, costPicos: CLAUDE_PLAIN_COST },
      { ...anthropic, ...CLAUDE_STREAM, cacheWriteTokens: 0, costPicos: CLAUDE_STREAM_COST },
      { ...anthropic, ...CLAUDE, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'Error' },
    ]);
    // Its total (raw input + output: 42 and 45) gains the cache as well.
    expect(calls.slice(4, 6).map((call) => call.totalTokens)).toEqual([162, 245]);
    expect(calls.at(-1)?.errorMessage).toMatch(/^429 .*rate_limit_error/);
    // The workflow roots are wrappers without usage: steps, never calls.
    expect(steps.map((step) => [step.kind, step.fallbackLlmCall])).toEqual([
      ['workflow', undefined],
      ['workflow', undefined],
    ]);
    expect(identitiesOf(turns)).toEqual({
      conversations: [`gen_ai.conversation.id=${CONVERSATION_ID}`, `traceloop.association.properties.session_id=${CONVERSATION_ID}`],
      users: [`traceloop.association.properties.user_id=${USER_ID}`],
    });
  });

  it('normalizes OpenLIT spans: Anthropic input tokens gain their cache and the reported cost is kept', () => {
    const { calls, turns } = normalizeFixture('openlit');
    const openai = { billing: 'call', flavour: 'openlit', scopeName: '@openlit/instrumentation-openai', costSource: 'reported', status: 'ok' } as const;
    const anthropic = { ...openai, scopeName: '@openlit/instrumentation-anthropic' } as const;
    // OpenLIT prices with its own table (set to the same rates in the capture), from the same counts.
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...openai, ...GPT, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, costPicos: microUsd(9.75) },
      { ...openai, ...GPT, inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, costPicos: microUsd(11.4) },
      { ...openai, ...GPT, inputTokens: 60, outputTokens: 15, costPicos: microUsd(18) },
      { ...openai, ...GPT, inputTokens: 80, outputTokens: 11, cacheReadTokens: 40, costPicos: microUsd(15.6) },
      { ...openai, ...EMBEDDING, inputTokens: 8, costPicos: microUsd(0.16) },
      { ...openai, ...GPT, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'RateLimitError' },
      { ...anthropic, ...CLAUDE_PLAIN, costPicos: CLAUDE_PLAIN_COST },
      // OpenLIT 1.15.0 counts the stream's output one too high (15: message_start's 1 + the final 14)
      // and prices that; both are kept as reported.
      { ...anthropic, ...CLAUDE_STREAM, outputTokens: 15, costPicos: microUsd(126) },
      { ...anthropic, ...CLAUDE, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'RateLimitError' },
    ]);
    expect(calls.map((call) => call.sourceKeys['cost_usd'])).toEqual([...Array(5).fill('gen_ai.usage.cost'), undefined, 'gen_ai.usage.cost', 'gen_ai.usage.cost', undefined]);
    // Streams report their time to first token in seconds.
    expect(calls.filter((call) => call.ttftMs !== undefined).map((call) => call.responseId)).toEqual(['chatcmpl-fixture-stream', 'msg_fixture_stream']);
    // The 429 leaves carry no ids; their turn roots do.
    expect(identitiesOf(turns)).toEqual({ conversations: [`gen_ai.conversation.id=${CONVERSATION_ID}`], users: [`user.id=${USER_ID}`] });
  });

  it('normalizes OpenInference spans: Anthropic prompt tokens already include their cache and are not added twice', () => {
    const { calls, steps, turns } = normalizeFixture('openinference');
    const openai = { billing: 'call', flavour: 'openinference', scopeName: '@arizeai/openinference-instrumentation-openai', costSource: 'computed', status: 'ok' } as const;
    const anthropic = { ...openai, scopeName: '@arizeai/openinference-instrumentation-anthropic' } as const;
    // No span is exported for the OpenAI 429, and the stream and embeddings spans carry no counts.
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...openai, ...GPT, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, costPicos: microUsd(9.75) },
      // `llm.model_name` holds the requested model when there is no response object to read.
      { ...openai, ...GPT, responseModel: 'gpt-4o-mini', costSource: undefined },
      { ...openai, ...GPT, inputTokens: 60, outputTokens: 15, cacheReadTokens: 0, costPicos: microUsd(18) },
      { ...openai, ...GPT, inputTokens: 80, outputTokens: 11, cacheReadTokens: 40, costPicos: microUsd(15.6) },
      { ...openai, ...EMBEDDING, costSource: undefined },
      { ...anthropic, ...CLAUDE_PLAIN, costPicos: CLAUDE_PLAIN_COST },
      { ...anthropic, ...CLAUDE_STREAM, costPicos: CLAUDE_STREAM_COST },
      { ...anthropic, ...CLAUDE, responseModel: 'claude-haiku-4-5', costSource: undefined, status: 'error', errorType: 'Error' },
    ]);
    expect(calls.map((call) => call.finishReason)).toEqual(['stop', 'stop', 'tool_call', 'stop', undefined, 'stop', 'stop', undefined]);
    // The AGENT roots repeat nothing: steps without a stand-in call.
    expect(steps.map((step) => [step.kind, step.fallbackLlmCall])).toEqual([
      ['agent', undefined],
      ['agent', undefined],
    ]);
    expect(identitiesOf(turns)).toEqual({ conversations: [`session.id=${CONVERSATION_ID}`], users: [`user.id=${USER_ID}`] });
  });

  it('normalizes Vercel AI SDK spans: provider calls only, never the tool-call root that repeats their sum', () => {
    const { calls, steps, turns } = normalizeFixture('vercel-ai');
    const base = { billing: 'call', flavour: 'vercel-ai', scopeName: 'ai', costSource: 'computed', status: 'ok' } as const;
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...base, ...GPT, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, costPicos: microUsd(9.75) },
      { ...base, ...GPT, inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, costPicos: microUsd(11.4) },
      { ...base, ...GPT, inputTokens: 60, outputTokens: 15, cacheReadTokens: 0, costPicos: microUsd(18) },
      { ...base, ...GPT, inputTokens: 80, outputTokens: 11, cacheReadTokens: 40, costPicos: microUsd(15.6) },
      // `ai.usage.tokens`, the embed span's only count, is input.
      { ...base, ...EMBEDDING, inputTokens: 8, costPicos: microUsd(0.16) },
      { ...base, ...GPT, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'AI_APICallError' },
    ]);
    expect(calls.map((call) => call.name)).toEqual([
      'ai.generateText.doGenerate',
      'ai.streamText.doStream',
      'ai.generateText.doGenerate',
      'ai.generateText.doGenerate',
      'ai.embed.doEmbed',
      'ai.generateText.doGenerate',
    ]);
    // The roots are agent steps; their usage is only a stand-in for traces without a provider
    // call, and every trace here has one, so the store never bills a root.
    const toolRoot = steps.find((step) => step.kind === 'agent' && step.fallbackLlmCall?.inputTokens === 140);
    expect(toolRoot?.fallbackLlmCall).toMatchObject({ billing: 'agent_fallback', outputTokens: 26, cacheReadTokens: 40 });
    const billedTraces = new Set(calls.map((call) => call.traceId));
    for (const step of steps) if (step.fallbackLlmCall !== undefined) expect(billedTraces.has(step.traceId)).toBe(true);
    const toolTrace = calls.filter((call) => call.traceId === toolRoot?.traceId);
    expect([sum(toolTrace, 'inputTokens'), sum(toolTrace, 'outputTokens')]).toEqual([140, 26]);
    expect(steps.filter((step) => step.kind === 'tool').map((step) => step.toolName)).toEqual(['get_weather']);
    expect(calls.filter((call) => call.ttftMs !== undefined).map((call) => call.name)).toEqual(['ai.streamText.doStream']);
    expect(identitiesOf(turns)).toEqual({
      conversations: [`ai.telemetry.metadata.sessionId=${CONVERSATION_ID}`],
      users: [`ai.telemetry.metadata.userId=${USER_ID}`],
    });
  });

  it("normalizes the Anthropic client's own spans", () => {
    const { calls, turns } = normalizeFixture('anthropic-sdk-native');
    const base = { billing: 'call', flavour: 'anthropic-sdk', scopeName: 'com.anthropic.sdk.typescript', costSource: 'computed', status: 'ok' } as const;
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...base, ...CLAUDE_PLAIN, costPicos: CLAUDE_PLAIN_COST },
      { ...base, ...CLAUDE_STREAM, cacheWriteTokens: 0, costPicos: CLAUDE_STREAM_COST },
      // The API's error type, not a class name; the span has no status message.
      { ...base, ...CLAUDE, responseModel: undefined, costSource: undefined, status: 'error', errorType: 'rate_limit_error' },
    ]);
    // The new spelling of the cache-write key.
    expect(calls.map((call) => call.sourceKeys['cache_write_tokens'])).toEqual([
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.usage.cache_write.input_tokens',
      undefined,
    ]);
    // `anthropic.message.stop_reason` stands in for the missing gen_ai.response.finish_reasons.
    expect(calls.map((call) => call.finishReason)).toEqual(['stop', 'stop', undefined]);
    expect(calls.filter((call) => call.ttftMs !== undefined).map((call) => call.responseId)).toEqual(['msg_fixture_stream']);
    expect(identitiesOf(turns)).toEqual({ conversations: [`gen_ai.conversation.id=${CONVERSATION_ID}`], users: [`user.id=${USER_ID}`] });
  });
});

describe('recorded instrumentations → events', () => {
  /** The events of a flavour's logs, each with the llm_calls row of its (trace_id, span_id). */
  function eventsWithCalls(flavour: FixtureFlavour): { event: EventRow; call: LlmCallRow | undefined }[] {
    const calls = new Map(normalizeFixture(flavour).calls.map((call) => [`${call.traceId}/${call.spanId}`, call]));
    const events = loadLogsFixture(flavour).flatMap((request) => {
      const rows = logsToRows(request);
      expect(rows.rejected).toBe(0);
      return rows.events;
    });
    return events.map((event) => ({ event, call: calls.get(`${event.traceId}/${event.spanId}`) }));
  }

  it("attaches instrumentation-openai's content events to their chat calls by trace and span id", () => {
    const pairs = eventsWithCalls('otel-contrib-openai');
    expect(pairs).toHaveLength(18);
    for (const { call } of pairs) expect(call).toBeDefined();
    const byResponse = (responseId: string | undefined) =>
      pairs.filter(({ call }) => call?.responseId === responseId).map(({ event }) => [event.name, event.contentKind, event.content]);
    const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });
    const system = text('system', 'You are a terse assistant.');
    expect(byResponse('chatcmpl-fixture-plain')).toEqual([
      ['gen_ai.system.message', 'input', [system]],
      ['gen_ai.user.message', 'input', [text('user', 'What is the capital of France?')]],
      ['gen_ai.choice', 'output', [{ ...text('assistant', 'The capital of France is Paris.'), finish_reason: 'stop' }]],
    ]);
    // The tool call the model asked for, as an OTel tool_call part.
    const toolCall = { type: 'tool_call', id: 'call_fixture_weather_1', name: 'get_weather', arguments: { city: 'Paris' } };
    expect(byResponse('chatcmpl-fixture-toolcall').at(-1)).toEqual(['gen_ai.choice', 'output', [{ role: 'assistant', parts: [toolCall], finish_reason: 'tool_calls' }]]);
    expect(byResponse('chatcmpl-fixture-toolresult').map(([name, kind]) => [name, kind])).toEqual([
      ['gen_ai.system.message', 'input'],
      ['gen_ai.user.message', 'input'],
      ['gen_ai.assistant.message', 'input'],
      ['gen_ai.tool.message', 'input'],
      ['gen_ai.choice', 'output'],
    ]);
    // Responses API: operation-details records with structured messages and an empty body.
    expect(byResponse('resp_fixture_plain')).toEqual([
      ['gen_ai.client.inference.operation.details', 'input', [system, text('user', 'What is the capital of Spain?')]],
      ['gen_ai.client.inference.operation.details', 'output', [{ ...text('assistant', 'The capital of Spain is Madrid.'), finish_reason: 'stop' }]],
    ]);
    // The 429 call has its input and no choice.
    const failed = pairs.filter(({ call }) => call?.status === 'error').map(({ event }) => event.contentKind);
    expect(failed).toEqual(['input', 'input']);
  });

  it("attaches OpenLIT's operation-details events to their chat calls by trace and span id", () => {
    const pairs = eventsWithCalls('openlit');
    // One record per successful chat call; embeddings and errors get none.
    expect(pairs.map(({ call }) => call?.responseId)).toEqual([
      'chatcmpl-fixture-plain',
      'chatcmpl-fixture-stream',
      'chatcmpl-fixture-toolcall',
      'chatcmpl-fixture-toolresult',
      'msg_fixture_plain',
      'msg_fixture_stream',
    ]);
    for (const { event } of pairs) {
      expect(event).toMatchObject({ name: 'gen_ai.client.inference.operation.details', conversationId: CONVERSATION_ID, contentKind: 'output' });
    }
    expect(pairs[4]?.event.content).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'The capital of Italy is Rome.' }], finish_reason: 'stop' }]);
  });
});

function sum(calls: readonly LlmCallRow[], field: 'inputTokens' | 'outputTokens'): number {
  return calls.reduce((total, call) => total + (call[field] ?? 0), 0);
}
