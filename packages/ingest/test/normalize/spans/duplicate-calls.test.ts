// The client library's own LLM spans (`@anthropic-ai/sdk`, scope com.anthropic.sdk.typescript)
// put beside the recorded spans of instrumentations that wrap the same client, as an app gets
// them when it leaves the client's tracing on (test/fixtures/README.md, "anthropic-sdk-native").
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../../src/normalize/concepts/cost.js';
import type { LlmCallRow } from '../../../src/normalize/rows.js';
import { dropDuplicateCalls } from '../../../src/normalize/spans/duplicate-calls.js';
import { toRows } from '../../../src/normalize/to-rows.js';
import type { Span, TraceRequest } from '../../../src/otlp/types.js';
import { graftClientSpans, loadTraceFixture } from '../../helpers/fixtures.js';

// claude-haiku-4-5 at 1 / 0.1 cache read / 1.25 cache write / 5 out USD per million tokens:
// 30 + 100·0.1 + 20·1.25 + 12·5 = 125 µ$ and 31 + 200·0.1 + 14·5 = 121 µ$.
const CLAUDE_PLAIN_COST = 125_000_000n;
const CLAUDE_STREAM_COST = 121_000_000n;

/** The llm_calls rows of some requests, in start order. */
function callsOf(requests: readonly TraceRequest[]): LlmCallRow[] {
  return requests
    .flatMap((request) => toRows(request, { estimateCost: estimateWithPriceTable }).llmCalls)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.spanId.localeCompare(b.spanId)));
}

describe("dropDuplicateCalls: the Anthropic client's own spans beside an instrumentation's (recorded)", () => {
  const cases = [
    { title: "counts an Anthropic call once when the client's own span nests under OpenInference's", into: 'openinference', scopePrefix: '@arizeai/openinference-instrumentation-anthropic', placement: 'nested' },
    { title: "counts an Anthropic call once when the client's own span nests under OpenLLMetry's", into: 'openllmetry', scopePrefix: '@traceloop/instrumentation-anthropic', placement: 'nested' },
    { title: "counts an Anthropic call once when the client's own span sits beside OpenLIT's", into: 'openlit', scopePrefix: '@openlit/instrumentation-anthropic', placement: 'beside' },
  ] as const;

  for (const { title, into, scopePrefix, placement } of cases) {
    it(title, () => {
      const alone = callsOf(loadTraceFixture(into));
      const calls = callsOf([graftClientSpans({ into, scopePrefix, placement })]);
      // The instrumentation's rows are kept exactly as without the client's spans.
      expect(calls).toEqual(alone);
      expect(calls.filter((call) => call.provider === 'anthropic').map((call) => call.inputTokens)).toEqual([150, 231, undefined]);
    });
  }

  it("keeps the client's own span when the instrumentation's span of the same call has no token counts", () => {
    const stripUsage = (span: Span): Span => ({
      ...span,
      attributes: Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !key.startsWith('llm.token_count.'))),
    });
    const request = graftClientSpans({
      into: 'openinference',
      scopePrefix: '@arizeai/openinference-instrumentation-anthropic',
      placement: 'nested',
      editOuter: (span, index) => (index === 0 ? stripUsage(span) : span),
    });
    const anthropic = callsOf([request]).filter((call) => call.provider === 'anthropic');
    expect(anthropic.map((call) => [call.flavour, call.inputTokens, call.costPicos])).toEqual([
      ['anthropic-sdk', 150, CLAUDE_PLAIN_COST],
      ['openinference', 231, CLAUDE_STREAM_COST],
      ['openinference', undefined, undefined],
    ]);
  });

  it("counts the client's own Anthropic spans when no instrumentation covers Anthropic", () => {
    // The client's spans beside OpenLIT's OpenAI calls: other requests, so nothing is dropped.
    const request = graftClientSpans({ into: 'openlit', scopePrefix: '@openlit/instrumentation-openai', placement: 'beside' });
    const calls = callsOf([request]);
    expect(calls.filter((call) => call.flavour === 'anthropic-sdk').map((call) => call.inputTokens)).toEqual([150, 231, undefined]);
    expect(calls).toHaveLength(callsOf(loadTraceFixture('openlit')).length + 3);
  });
});

describe('dropDuplicateCalls', () => {
  const [plainOuter, streamOuter] = callsOf(loadTraceFixture('openlit')).filter((call) => call.provider === 'anthropic');
  const [plainClient, streamClient] = callsOf(loadTraceFixture('anthropic-sdk-native'));

  /** A client span moved into the trace of `outer`, under the same parent and inside its time. */
  function besideOf(client: LlmCallRow | undefined, outer: LlmCallRow | undefined): LlmCallRow {
    if (client === undefined || outer === undefined) throw new Error('fixture rows missing');
    return { ...client, traceId: outer.traceId, parentSpanId: outer.parentSpanId, startedAt: outer.startedAt, endedAt: outer.endedAt };
  }

  it('pairs a client span with the span reporting its response id, not with an overlapping one', () => {
    // The plain call's client span overlaps the stream's OpenLIT span, but names the plain response.
    const client = besideOf(plainClient, streamOuter);
    const calls = [plainOuter, streamOuter, client].filter((call): call is LlmCallRow => call !== undefined);
    expect(dropDuplicateCalls(calls).map((call) => call.responseId)).toEqual(['msg_fixture_plain', 'msg_fixture_stream']);
  });

  it('keeps a client span whose response id no other span of its trace reports', () => {
    const client = { ...besideOf(streamClient, plainOuter), responseId: 'msg_other' };
    const calls = [plainOuter, client].filter((call): call is LlmCallRow => call !== undefined);
    expect(dropDuplicateCalls(calls)).toEqual(calls);
  });

  it('gives the same rows for any order of the calls', () => {
    const calls = [plainOuter, streamOuter, besideOf(plainClient, plainOuter), besideOf(streamClient, streamOuter)].filter(
      (call): call is LlmCallRow => call !== undefined,
    );
    const kept = (list: LlmCallRow[]) => dropDuplicateCalls(list).map((call) => call.spanId).sort();
    expect(kept([...calls].reverse())).toEqual(kept(calls));
    expect(kept(calls)).toEqual([plainOuter?.spanId, streamOuter?.spanId].sort());
  });
});
