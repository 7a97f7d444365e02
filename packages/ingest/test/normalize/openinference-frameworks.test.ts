// Agent frameworks traced by OpenInference (test/fixtures/langchain-openinference and
// openai-agents-openinference, see the README there) through the real decoder and `toRows`.
// Expected costs from @convotel/pricing's gpt-4o-mini rates (USD per million tokens: 0.15 in,
// 0.075 cache read, 0.6 out), input counting its cache.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import type { LlmCallRow, StepRow, TurnFacts } from '../../src/normalize/rows.js';
import { toRows } from '../../src/normalize/to-rows.js';
import { loadTraceFixture, type FixtureFlavour } from '../helpers/fixtures.js';

const CONVERSATION_ID = 'conv-fixture-0001';
const USER_ID = 'user-fixture-0001';

function microUsd(amount: number): bigint {
  return BigInt(Math.round(amount * 1_000_000));
}

function normalizeFixture(flavour: FixtureFlavour): { calls: LlmCallRow[]; steps: StepRow[]; turns: TurnFacts[] } {
  const all = loadTraceFixture(flavour).map((request) => toRows(request, { estimateCost: estimateWithPriceTable }));
  for (const rows of all) expect(rows.rejected).toBe(0);
  const calls = all.flatMap((rows) => rows.llmCalls).sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return { calls, steps: all.flatMap((rows) => rows.steps), turns: all.flatMap((rows) => rows.turns) };
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
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    costPicos: row.costPicos,
    costSource: row.costSource,
    status: row.status,
    errorType: row.errorType,
  };
}

type Summary = Partial<ReturnType<typeof summarize>>;

// Both frameworks record the model they asked for, never the dated one the mock answered with.
const GPT = { provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini' } as const;
const FAILED = { ...GPT, costSource: undefined, status: 'error', errorType: '429' } as const;

function identitiesOf(turns: readonly TurnFacts[]): string[] {
  const keyed = turns.flatMap((turn) => [
    `conversation ${turn.identity.conversation?.key}=${turn.identity.conversation?.value}`,
    `user ${turn.identity.user?.key}=${turn.identity.user?.value}`,
  ]);
  return [...new Set(keyed)].sort();
}

describe('agent frameworks traced by OpenInference → llm_calls', () => {
  it("names LangChain's provider from ls_provider in its metadata, and the 429 by its HTTP status", () => {
    const { calls, steps, turns } = normalizeFixture('langchain-openinference');
    const base = { billing: 'call', flavour: 'openinference', scopeName: '@arizeai/openinference-instrumentation-langchain', costSource: 'computed', status: 'ok' } as const;
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...base, ...GPT, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, costPicos: microUsd(9.75) },
      { ...base, ...GPT, inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, costPicos: microUsd(11.4) },
      // No cache count on the tool-call span: all 60 input tokens at the full rate.
      { ...base, ...GPT, inputTokens: 60, outputTokens: 15, costPicos: microUsd(18) },
      { ...base, ...GPT, inputTokens: 80, outputTokens: 11, cacheReadTokens: 40, costPicos: microUsd(15.6) },
      { ...base, ...FAILED },
    ]);
    expect(calls.map((call) => call.sourceKeys['provider'])).toEqual(Array(5).fill('metadata.ls_provider'));
    expect(calls.at(-1)?.errorMessage).toMatch(/^429 Rate limit reached for gpt-4o-mini/);
    expect(calls.map((call) => call.finishReason)).toEqual(['stop', 'stop', 'tool_call', 'stop', undefined]);
    // The traceAgent root is the one step; every call is in its trace.
    expect(steps.map((step) => [step.kind, step.name])).toEqual([['agent', 'conversation_turn']]);
    expect(new Set(calls.map((call) => call.traceId)).size).toBe(1);
    expect(identitiesOf(turns)).toEqual([`conversation session.id=${CONVERSATION_ID}`, `user user.id=${USER_ID}`]);
  });

  it("takes the Agents SDK's request model from llm.model_name, its only model key, and the 429 by its HTTP status", () => {
    const { calls, steps, turns } = normalizeFixture('openai-agents-openinference');
    const base = { billing: 'call', flavour: 'openinference', scopeName: '@arizeai/openinference-instrumentation-openai-agents', costSource: 'computed', status: 'ok' } as const;
    expect(calls.map(summarize)).toEqual<Summary[]>([
      { ...base, ...GPT, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, costPicos: microUsd(9.75) },
      { ...base, ...GPT, inputTokens: 60, outputTokens: 15, cacheReadTokens: 0, costPicos: microUsd(18) },
      { ...base, ...GPT, inputTokens: 80, outputTokens: 11, cacheReadTokens: 40, costPicos: microUsd(15.6) },
      { ...base, ...FAILED },
    ]);
    expect(calls.map((call) => call.sourceKeys['request_model'])).toEqual(Array(4).fill('llm.model_name'));
    expect(calls.map((call) => call.finishReason)).toEqual(['stop', 'tool_call', 'stop', undefined]);
    // One trace per run; the tool run's two calls share one, with the tool step between them.
    expect(new Set(calls.map((call) => call.traceId)).size).toBe(3);
    expect(steps.filter((step) => step.kind === 'tool').map((step) => [step.toolName, step.traceId])).toEqual([['get_weather', calls[1]?.traceId]]);
    expect(turns).toHaveLength(3);
    expect(identitiesOf(turns)).toEqual([`conversation session.id=${CONVERSATION_ID}`, `user user.id=${USER_ID}`]);
  });
});
