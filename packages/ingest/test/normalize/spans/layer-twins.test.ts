// OpenLLMetry's LangChain and OpenAI spans of the same provider calls (recorded:
// test/fixtures/README.md, "langchain-openllmetry"), paired as the store pairs them.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../../src/normalize/concepts/cost.js';
import type { LlmCallRow } from '../../../src/normalize/rows.js';
import { applyTwinPairs, pairLayerTwins } from '../../../src/normalize/spans/layer-twins.js';
import { toRows } from '../../../src/normalize/to-rows.js';
import type { TraceRequest } from '../../../src/otlp/types.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';

const LANGCHAIN = '@traceloop/instrumentation-langchain';
const OPENAI = '@traceloop/instrumentation-openai';

function callsOf(requests: readonly TraceRequest[]): LlmCallRow[] {
  return requests
    .flatMap((request) => toRows(request, { estimateCost: estimateWithPriceTable }).llmCalls)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.scopeName.localeCompare(b.scopeName)));
}

function paired(calls: readonly LlmCallRow[]): LlmCallRow[] {
  return applyTwinPairs(calls, pairLayerTwins(calls));
}

describe('pairLayerTwins: LangChain.js traced by OpenLLMetry (recorded)', () => {
  const calls = callsOf(loadTraceFixture('langchain-openllmetry'));

  it('bills each provider call once: the OpenAI span, or LangChain\'s where the OpenAI counts are estimates', () => {
    // gpt-4o-mini at 0.15 in / 0.6 out USD per million tokens. The mock served 42/7, 50/9, 50/9
    // (the stream without usage: LangChain reports none, the OpenAI span counts 11/12 with
    // js-tiktoken; its stream with usage says 11/12 too), 60/15 and 80/11.
    const rows = paired(calls);
    const billed = rows.filter((row) => row.billing === 'call');
    expect(billed.map((row) => [row.scopeName, row.inputTokens, row.outputTokens, row.costPicos, row.isUsageEstimated])).toEqual([
      [OPENAI, 42, 7, 10_500_000n, false],
      [LANGCHAIN, 50, 9, 12_900_000n, false],
      [OPENAI, 11, 12, 8_850_000n, true],
      [OPENAI, 60, 15, 18_000_000n, false],
      [OPENAI, 80, 11, 18_600_000n, false],
    ]);
    expect(rows.filter((row) => row.billing === 'duplicate')).toHaveLength(5);
    // Each row names the other of its pair: a sibling from the other layer.
    const bySpan = new Map(rows.map((row) => [row.spanId, row]));
    for (const row of rows) {
      const twin = bySpan.get(row.twinSpanId ?? '');
      expect(twin?.twinSpanId).toBe(row.spanId);
      expect(twin?.parentSpanId).toBe(row.parentSpanId);
      expect(twin?.scopeName).not.toBe(row.scopeName);
      expect(twin?.billing).not.toBe(row.billing);
    }
  });

  it('pairs the same spans whatever their order', () => {
    const key = (rows: readonly LlmCallRow[]) => rows.map((row) => `${row.spanId}:${row.billing}:${row.twinSpanId}`).sort();
    expect(key(paired([...calls].reverse()))).toEqual(key(paired(calls)));
  });

  it('gives the billed row the labels only its twin has', () => {
    // The plain call: the OpenAI span is billed, LangChain's (here with labels) is the duplicate.
    const [first] = pairLayerTwins(calls);
    if (first === undefined) throw new Error('no pair');
    const labelled = { ...first.duplicate, functionName: 'answer-question', tags: ['beta'], callType: 'summarization' };
    const [row] = paired([labelled, first.billed]).filter((r) => r.billing === 'call');
    expect(row).toMatchObject({ spanId: first.billed.spanId, scopeName: OPENAI, functionName: 'answer-question', tags: ['beta'], callType: 'summarization' });
  });

  it('leaves a LangChain span without an OpenAI span of the same request alone', () => {
    const langChainOnly = calls.filter((row) => row.scopeName === LANGCHAIN);
    expect(paired(langChainOnly)).toEqual(langChainOnly);
  });
});
