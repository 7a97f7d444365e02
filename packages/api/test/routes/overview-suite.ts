// GET /api/v1/overview against figures computed from the planned traffic. Shared by the
// PostgreSQL and PGlite test files.
import { describe, expect, it } from 'vitest';
import { overviewResponse } from '../../src/routes/overview.js';
import { conversationFacts, isInWindow, percentileCont, sum } from '../helpers/expected.js';
import type { StoreKind } from '../helpers/databases.js';
import { useReadSide } from '../helpers/read-side.js';

export function describeOverview(kind: StoreKind): void {
  describe(`GET /api/v1/overview (${kind})`, () => {
    const side = useReadSide(kind);

    async function overview(query: Record<string, string | number>) {
      const { status, body } = await side.get('/api/v1/overview', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return overviewResponse.parse(body);
    }

    function expectedFor(window: { from: string; to: string }, slaMs = 1500) {
      const conversations = side.plan.map(conversationFacts);
      const turns = conversations.flatMap((c) => c.turns).filter((t) => isInWindow(t.startMs, window));
      const calls = conversations.flatMap((c) => c.calls).filter((c) => isInWindow(c.startMs, window));
      const inWindow = conversations.filter((c) => isInWindow(c.startedMs, window));
      const byModel = new Map<string, { calls: number; cost: number }>();
      for (const { call } of calls) {
        // A failed call has no response: its model is the one requested.
        const model = call.error === undefined ? `${call.model}-2026` : call.model;
        const entry = byModel.get(model) ?? { calls: 0, cost: 0 };
        byModel.set(model, { calls: entry.calls + 1, cost: entry.cost + call.costUsd });
      }
      const perceived = turns.flatMap((t) => (t.turn.perceivedLatencyMs === undefined ? [] : [t.turn.perceivedLatencyMs]));
      const durations = turns.map((t) => t.durationMs);
      return {
        conversations: inWindow.length,
        active_conversations: inWindow.filter((c) => c.status === 'active').length,
        turns: turns.length,
        failed_turns: turns.filter((t) => t.isFailed).length,
        llm_calls: calls.length,
        failed_llm_calls: calls.filter((c) => c.call.error !== undefined).length,
        input_tokens: sum(calls.map((c) => c.call.inputTokens)),
        output_tokens: sum(calls.map((c) => c.call.outputTokens)),
        cost: {
          total: sum(turns.map((t) => t.costUsd)),
          llm: sum(turns.map((t) => t.llmCostUsd)),
          stt: sum(turns.map((t) => t.sttCostUsd)),
          tts: sum(turns.map((t) => t.ttsCostUsd)),
        },
        interruptions: turns.filter((t) => t.turn.interrupted).length,
        sla_violations: turns.filter((t) => t.durationMs > slaMs).length,
        turn_latency: [0.5, 0.95, 0.99].map((p) => percentileCont(durations, p)),
        perceived: [0.5, 0.95, 0.99].map((p) => percentileCont(perceived, p)),
        models: [...byModel.entries()].sort((a, b) => b[1].calls - a[1].calls || b[1].cost - a[1].cost || (a[0] < b[0] ? -1 : 1)),
      };
    }

    function expectFigures(answer: ReturnType<typeof overviewResponse.parse>, expected: ReturnType<typeof expectedFor>): void {
      expect(answer.conversations).toBe(expected.conversations);
      expect(answer.active_conversations).toBe(expected.active_conversations);
      expect(answer.turns).toBe(expected.turns);
      expect(answer.failed_turns).toBe(expected.failed_turns);
      expect(answer.error_rate).toBeCloseTo(expected.turns === 0 ? 0 : expected.failed_turns / expected.turns, 12);
      expect(answer.llm_calls).toBe(expected.llm_calls);
      expect(answer.llm_error_rate).toBeCloseTo(expected.llm_calls === 0 ? 0 : expected.failed_llm_calls / expected.llm_calls, 12);
      expect(answer.input_tokens).toBe(expected.input_tokens);
      expect(answer.output_tokens).toBe(expected.output_tokens);
      expect(answer.cost_usd.total).toBeCloseTo(expected.cost.total, 9);
      expect(answer.cost_usd.llm).toBeCloseTo(expected.cost.llm, 9);
      expect(answer.cost_usd.stt).toBeCloseTo(expected.cost.stt, 9);
      expect(answer.cost_usd.tts).toBeCloseTo(expected.cost.tts, 9);
      expect(answer.cost_usd.other).toBe(0);
      expect(answer.interruptions).toBe(expected.interruptions);
      expect(answer.sla.violations).toBe(expected.sla_violations);
      expect(answer.sla.violation_rate).toBeCloseTo(expected.turns === 0 ? 0 : expected.sla_violations / expected.turns, 12);
      const latency = answer.turn_latency_ms;
      for (const [i, value] of [latency.p50, latency.p95, latency.p99].entries()) {
        if (expected.turn_latency[i] === null) expect(value).toBeNull();
        else expect(value).toBeCloseTo(expected.turn_latency[i]!, 6);
      }
      const perceived = answer.perceived_latency_ms;
      for (const [i, value] of [perceived.p50, perceived.p95, perceived.p99].entries()) {
        if (expected.perceived[i] === null) expect(value).toBeNull();
        else expect(value).toBeCloseTo(expected.perceived[i]!, 6);
      }
      expect(answer.top_models.map((m) => [m.model, m.calls])).toEqual(expected.models.slice(0, 10).map(([model, m]) => [model, m.calls]));
      for (const [i, [, m]] of expected.models.slice(0, 10).entries()) expect(answer.top_models[i]!.cost_usd).toBeCloseTo(m.cost, 9);
    }

    it('answers every figure of a window holding all the traffic', async () => {
      const answer = await overview(side.everything);
      const expected = expectedFor(side.everything);
      expect(expected.turns).toBeGreaterThan(50);
      expect(expected.failed_turns).toBeGreaterThan(0);
      expect(expected.interruptions).toBeGreaterThan(0);
      expect(expected.active_conversations).toBeGreaterThan(0);
      expectFigures(answer, expected);
      expect(answer.window).toEqual(side.everything);
    });

    it('answers the default 24-hour window with the turns that started in it', async () => {
      const answer = await overview({});
      expect(Date.parse(answer.window.to) - Date.parse(answer.window.from)).toBe(24 * 3_600_000);
      const expected = expectedFor(answer.window);
      expect(expected.turns).toBeGreaterThan(0);
      expect(expected.turns).toBeLessThan(expectedFor(side.everything).turns);
      expectFigures(answer, expected);
    });

    it('counts SLA violations against sla_ms', async () => {
      const answer = await overview({ ...side.everything, sla_ms: 4000 });
      expect(answer.sla.threshold_ms).toBe(4000);
      expect(answer.sla.violations).toBe(expectedFor(side.everything, 4000).sla_violations);
    });

    it('narrows every figure to a filter', async () => {
      const answer = await overview({ ...side.everything, agent: 'support' });
      // The agent name travels on the conversation span: a conversation still active has none yet.
      const conversations = side.plan.filter((c) => c.agentName === 'support' && c.end !== undefined).map(conversationFacts);
      expect(conversations.length).toBeGreaterThan(0);
      const turns = conversations.flatMap((c) => c.turns);
      expect(answer.turns).toBe(turns.length);
      expect(answer.conversations).toBe(conversations.length);
      expect(answer.cost_usd.total).toBeCloseTo(sum(turns.map((t) => t.costUsd)), 9);
      expect(answer.llm_calls).toBe(conversations.flatMap((c) => c.calls).length);
    });

    it('answers zeros and null percentiles for an empty window', async () => {
      const answer = await overview({ from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' });
      expect(answer).toMatchObject({ conversations: 0, turns: 0, llm_calls: 0, error_rate: 0, llm_error_rate: 0, top_models: [] });
      expect(answer.turn_latency_ms).toEqual({ p50: null, p95: null, p99: null });
      expect(answer.cost_usd).toEqual({ total: 0, llm: 0, stt: 0, tts: 0, other: 0 });
    });
  });
}
