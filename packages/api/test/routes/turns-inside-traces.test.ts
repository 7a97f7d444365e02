// A call-long trace (LiveKit Agents: one trace per session, an agent_turn span per turn) read
// back through the real ingest: each turn of the trace is its own turn in the trace and
// conversation answers, and lists only the LLM calls, steps and SQL of its own turn. LiveKit
// answers a tool call in a second agent_turn of the same speech (lk.speech_id): one turn, named
// by its first agent_turn span.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { conversationDetailResponse } from '../../src/routes/conversation-detail.js';
import { traceResponse } from '../../src/routes/traces.js';
import { useReadSide } from '../helpers/read-side.js';

interface FixtureSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startTimeUnixNano: string;
  readonly attributes: { key: string; value: { stringValue?: string } }[];
}
type FixtureRequest = { resourceSpans: { scopeSpans: { spans: FixtureSpan[] }[] }[] };

const FIXTURE = new URL('../../../ingest/test/fixtures/livekit-turns/traces.json', import.meta.url);

describe('turns inside a call-long trace', () => {
  const side = useReadSide('postgres', { play: { startMs: (nowMs) => nowMs, run: async () => undefined } });

  it('lists each agent_turn as a turn with only its own LLM calls and steps', async () => {
    const requests = JSON.parse(await readFile(FIXTURE, 'utf8')) as FixtureRequest[];
    for (const request of requests) {
      const response = await fetch(`http://127.0.0.1:${side.ingest.port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      expect(response.status, await response.text()).toBe(200);
    }
    const spans = requests.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
    const parentOf = new Map(spans.map((s) => [s.spanId, s.parentSpanId]));
    const speechOf = (span: FixtureSpan): string | undefined => span.attributes.find((a) => a.key === 'lk.speech_id')?.value.stringValue;
    const agentTurns = spans.filter((s) => s.name === 'agent_turn').sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
    /** Each agent_turn span → the first agent_turn span of its speech (the turn's id). */
    const turnIdOf = new Map(agentTurns.map((s) => [s.spanId, agentTurns.find((first) => speechOf(first) === speechOf(s))!.spanId]));
    /** The turn a span is (an agent_turn) or is under (from the fixture's own parent chain). */
    const turnOf = (spanId: string): string | undefined => {
      for (let id: string | undefined = spanId; id !== undefined; id = parentOf.get(id)) if (turnIdOf.has(id)) return turnIdOf.get(id);
      return undefined;
    };
    const traceId = spans[0]!.traceId;

    const { status, body } = await side.get(`/api/v1/traces/${traceId}`);
    expect(status, JSON.stringify(body)).toBe(200);
    const trace = traceResponse.parse(body);
    expect(trace.turns.map((t) => t.turn_span_id).sort()).toEqual([...new Set(turnIdOf.values())].sort());
    const listedCalls = new Set<string>();
    for (const turn of trace.turns) {
      expect(turn.trace_id).toBe(traceId);
      expect(turnIdOf.get(turn.turn_span_id!), `${turn.turn_span_id} is the first agent_turn of its speech`).toBe(turn.turn_span_id);
      expect(turn.turn_id).toBe(turn.turn_span_id);
      for (const item of [...turn.llm_calls, ...turn.steps, ...turn.sql_queries]) {
        expect(turnOf(item.span_id), `${item.span_id} listed under ${turn.turn_span_id}`).toBe(turn.turn_span_id);
      }
      for (const call of turn.llm_calls) {
        expect(listedCalls.has(call.span_id), `${call.span_id} listed once`).toBe(false);
        listedCalls.add(call.span_id);
      }
    }
    expect(listedCalls.size).toBeGreaterThan(0);
    // Every call under a turn span is listed under its turn.
    const underTurns = trace.llm_calls.filter((c) => turnOf(c.span_id) !== undefined).map((c) => c.span_id);
    expect([...listedCalls].sort()).toEqual(underTurns.sort());

    // The conversation lists the same turns.
    const conversationId = trace.turns[0]!.conversation_id;
    const detail = await side.get(`/api/v1/conversations/${encodeURIComponent(conversationId)}`);
    expect(detail.status).toBe(200);
    const conversation = conversationDetailResponse.parse(detail.body);
    expect(conversation.turns.map((t) => [t.turn_span_id, t.llm_calls.map((c) => c.span_id)])).toEqual(trace.turns.map((t) => [t.turn_span_id, t.llm_calls.map((c) => c.span_id)]));
  });
});
