// The recording of a real Mastra agent (test/fixtures/mastra, see its README section): three
// runs on one memory thread, the first calling the weather tool, the third failing with a 429,
// through the real decoder and `toRows`. Costs by hand from @convotel/pricing's table (USD per
// million tokens: gpt-4o-mini 0.15 in / 0.075 cache read / 0.6 out).
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../../src/normalize/concepts/cost.js';
import type { LlmCallRow, StepRow } from '../../../src/normalize/rows.js';
import { toRows } from '../../../src/normalize/to-rows.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';

const THREAD_ID = 'conv-fixture-0001';
const RESOURCE_ID = 'user-fixture-0001';

/** Picodollars for an amount in millionths of a dollar. */
function microUsd(amount: number): bigint {
  return BigInt(Math.round(amount * 1_000_000));
}

function normalizeMastra() {
  const all = loadTraceFixture('mastra').map((request) => toRows(request, { estimateCost: estimateWithPriceTable }));
  for (const rows of all) expect(rows.rejected).toBe(0);
  const byStart = <T extends { startedAt: bigint; spanId: string }>(a: T, b: T) =>
    a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.spanId.localeCompare(b.spanId);
  return {
    calls: all.flatMap((rows) => rows.llmCalls).sort(byStart),
    steps: all.flatMap((rows) => rows.steps).sort(byStart),
    turns: all.flatMap((rows) => rows.turns),
  };
}

function callColumns(call: LlmCallRow) {
  return {
    billing: call.billing,
    flavour: call.flavour,
    provider: call.provider,
    operation: call.operation,
    requestModel: call.requestModel,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    totalTokens: call.totalTokens,
    costPicos: call.costPicos,
    costSource: call.costSource,
    finishReason: call.finishReason,
    status: call.status,
    errorType: call.errorType,
  };
}

function stepColumns(step: StepRow) {
  return {
    kind: step.kind,
    stepName: step.stepName,
    operation: step.operation,
    toolName: step.toolName,
    model: step.model,
    provider: step.provider,
    status: step.status,
    fallback: step.fallbackLlmCall !== undefined,
  };
}

describe('Mastra (@mastra/otel-exporter) → rows', () => {
  it('counts each model generation once, with the loop usage as served, cache reads priced as such', () => {
    const { calls } = normalizeMastra();
    const base = { billing: 'call', flavour: 'mastra', provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini' } as const;
    expect(calls.map(callColumns)).toEqual([
      // Run 1: tool call (60/15, cache 0) and answer (80/11, cache 40) in one generation. 100·0.15 + 40·0.075 + 26·0.6 = 33.6 µ$.
      { ...base, inputTokens: 140, outputTokens: 26, cacheReadTokens: 40, totalTokens: 166, costPicos: microUsd(33.6), costSource: 'computed', finishReason: 'stop', status: 'ok' },
      // Run 2: 32·0.15 + 10·0.075 + 7·0.6 = 9.75 µ$.
      { ...base, inputTokens: 42, outputTokens: 7, cacheReadTokens: 10, totalTokens: 49, costPicos: microUsd(9.75), costSource: 'computed', finishReason: 'stop', status: 'ok' },
      // Run 3: the 429, reported with status OK, finish reason `error` and a total of 0.
      { ...base, totalTokens: 0, costPicos: 0n, costSource: 'computed', finishReason: 'error', status: 'error', errorType: '_OTHER' },
    ]);
    expect(calls.map((call) => call.sourceKeys['provider'])).toEqual(['gen_ai.system', 'gen_ai.system', 'gen_ai.system']);
  });

  it('keeps agent runs, model steps (with the served model and provider) and tool executions as steps', () => {
    const { steps } = normalizeMastra();
    // A model step names the served model in `modelId` and the AI SDK provider id in `modelMetadata`.
    const modelStep = { kind: 'step', operation: 'other', toolName: undefined, model: 'gpt-4o-mini-2024-07-18', provider: 'openai', status: 'ok', fallback: false } as const;
    const none = { model: undefined, provider: undefined };
    const agent = { kind: 'agent', stepName: 'fixture-agent', operation: 'invoke_agent', toolName: undefined, ...none, status: 'ok', fallback: false } as const;
    expect(steps.map(stepColumns)).toEqual([
      agent,
      { ...modelStep, stepName: 'step: 0' },
      { kind: 'tool', stepName: 'get_weather', operation: 'execute_tool', toolName: 'get_weather', ...none, status: 'ok', fallback: false },
      { ...modelStep, stepName: 'step: 1' },
      agent,
      { ...modelStep, stepName: 'step: 0' },
      // The failed run's agent span is never exported; its model step says OK and names the requested model.
      { ...modelStep, stepName: 'step: 0', model: 'gpt-4o-mini' },
    ]);
    expect(steps.filter((step) => step.kind === 'step').map((step) => [step.sourceKeys['model'], step.sourceKeys['provider']])).toEqual([
      ['modelId', 'modelMetadata.modelProvider'],
      ['modelId', 'modelMetadata.modelProvider'],
      ['modelId', 'modelMetadata.modelProvider'],
      ['modelId', 'modelProvider'],
    ]);
  });

  it('takes the conversation from threadId and the user from resourceId in every run', () => {
    const { turns } = normalizeMastra();
    expect(turns).toHaveLength(3);
    expect(turns.map((turn) => [turn.identity.conversation, turn.identity.user])).toEqual(
      Array(3).fill([
        { key: 'threadId', value: THREAD_ID, rank: 10 },
        { key: 'resourceId', value: RESOURCE_ID, rank: 9 },
      ]),
    );
  });
});
