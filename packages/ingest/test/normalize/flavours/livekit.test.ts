// LiveKit Agents for Node, recorded (test/fixtures/livekit): two text-only sessions. Session 1
// (PII allowed): "Name three French cheeses." answered from the mock's stream (50 input of which
// 20 cached, 9 output), then "Tell me a joke. [mock:429]" rate-limited on both of its attempts.
// Session 2 (PII withheld): one answered turn. Cost of an answer, gpt-4o-mini at 0.15 / 0.075
// cached / 0.6 USD per million: 30·0.15 + 20·0.075 + 9·0.6 = 11.4 µ$.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../../src/normalize/concepts/cost.js';
import type { LlmCallRow } from '../../../src/normalize/rows.js';
import { toRows } from '../../../src/normalize/to-rows.js';
import type { Span, TraceRequest } from '../../../src/otlp/types.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';

const options = { estimateCost: estimateWithPriceTable };
const ANSWER_COST_PICOS = 11_400_000n;
const RATE_LIMITED = '429 Rate limit reached for gpt-4o-mini in organization org-fixture on requests per min (RPM): Limit 3, Used 3, Requested 1. (mock)';

function callsOf(request: TraceRequest): ReturnType<typeof summarize>[] {
  const rows = toRows(request, options);
  expect(rows.rejected).toBe(0);
  return [...rows.llmCalls].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1)).map(summarize);
}

function summarize(row: LlmCallRow) {
  return {
    name: row.name,
    flavour: row.flavour,
    requestModel: row.requestModel,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    costPicos: row.costPicos,
    status: row.status,
    errorType: row.errorType,
    errorMessage: row.errorMessage,
  };
}

const ANSWERED = {
  name: 'llm_request',
  flavour: 'livekit',
  requestModel: 'gpt-4o-mini',
  inputTokens: 50,
  outputTokens: 9,
  cacheReadTokens: 20,
  costPicos: ANSWER_COST_PICOS,
  status: 'ok',
  errorType: undefined,
  errorMessage: undefined,
} as const;
const RATE_LIMITED_CALL = {
  ...ANSWERED,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: undefined,
  costPicos: 0n,
  status: 'error',
  errorType: '429',
  errorMessage: RATE_LIMITED,
} as const;

/** The request with every span passed through `edit` (spans it returns undefined for are left out). */
function editSpans(request: TraceRequest, edit: (span: Span) => Span | undefined): TraceRequest {
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.flatMap((span) => edit(span) ?? []) })),
    })),
  };
}

function sessions(): { withPii: TraceRequest; withoutPii: TraceRequest } {
  const [withPii, withoutPii] = loadTraceFixture('livekit');
  if (withPii === undefined || withoutPii === undefined) throw new Error('livekit fixture: expected two requests');
  return { withPii, withoutPii };
}

describe('LiveKit Agents fixture', () => {
  it('stores the rate-limited request as a failed call with the error of its last attempt', () => {
    expect(callsOf(sessions().withPii)).toEqual([ANSWERED, RATE_LIMITED_CALL]);
    expect(callsOf(sessions().withoutPii)).toEqual([ANSWERED]);
  });

  it('keeps a request whose earlier attempt failed but whose last attempt succeeded ok', () => {
    // The recorded failing request with its second attempt (lk.retry_count 1) succeeding instead.
    const retried = editSpans(sessions().withPii, (span) => {
      if (span.name !== 'llm_request_run' || span.attributes['lk.retry_count'] !== 1) return span;
      const attributes = Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !key.startsWith('exception.') && key !== 'error.type'));
      return { ...span, attributes, events: [], status: { code: 0, message: undefined } };
    });
    expect(callsOf(retried)).toEqual([ANSWERED, { ...RATE_LIMITED_CALL, status: 'ok', errorType: undefined, errorMessage: undefined }]);
  });

  it('gives the same calls whatever the order of the spans in the request', () => {
    const reversed = editSpans(sessions().withPii, (span) => span);
    for (const rs of reversed.resourceSpans) for (const ss of rs.scopeSpans) (ss.spans as Span[]).reverse();
    expect(callsOf(reversed)).toEqual([ANSWERED, RATE_LIMITED_CALL]);
  });

  it('takes the turn user input and agent output from lk.pii.user_input and lk.pii.response.text', () => {
    // Without the GenAI content keys (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false
    // in LiveKit) only the lk.pii keys hold the texts.
    const withoutGenAiContent = editSpans(sessions().withPii, (span) => ({
      ...span,
      attributes: Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !key.startsWith('gen_ai.input.') && !key.startsWith('gen_ai.output.'))),
    }));
    for (const request of [sessions().withPii, withoutGenAiContent]) {
      const [turn] = toRows(request, options).turns;
      // One trace per session: its earliest input and latest answer (the second turn gave none).
      expect(turn?.userInput).toMatchObject({ text: 'Name three French cheeses.', rank: 1 });
      expect(turn?.agentOutput).toMatchObject({ text: 'Brie, Camembert and Roquefort.', rank: 1 });
    }
  });

  it('captures no content from a session whose PII LiveKit withheld', () => {
    const rows = toRows(sessions().withoutPii, options);
    expect(rows.turns.map((turn) => [turn.userInput, turn.agentOutput])).toEqual([[undefined, undefined]]);
    expect(rows.llmCalls.map((call) => [call.inputMessages, call.outputMessages, call.systemInstructions])).toEqual([[undefined, undefined, undefined]]);
  });
});
