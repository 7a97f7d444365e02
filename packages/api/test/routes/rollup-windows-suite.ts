// GET /overview and /timeseries over windows longer than 48 hours, which read rollups: against
// figures computed from the planned traffic (turn latencies from four distributions, a heavy tail
// among them) and against the same question answered exactly from raw rows. Counts and sums must
// be equal, percentiles within 1% (the fine histograms' bound; the goal is 2%). Shared by the
// PostgreSQL and PGlite test files.
import { createReadDb, getOverview } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { overviewResponse } from '../../src/routes/overview.js';
import { timeseriesResponse } from '../../src/routes/timeseries.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, sum, type ConversationFact, type TurnFact } from '../helpers/expected.js';
import { latencySegments, planLatencyTraffic } from '../helpers/latency-traffic.js';
import { useReadSide } from '../helpers/read-side.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FRACTIONS = [0.5, 0.95, 0.99] as const;
const APPROXIMATE = ['turn_latency_ms', 'perceived_latency_ms', 'sla.violations'];
/** The fine histograms' bound (1%), plus float noise. */
const BOUND = 0.01 + 1e-9;

type Window = { readonly from: string; readonly to: string };
type OverviewAnswer = ReturnType<typeof overviewResponse.parse>;

function relativeError(estimate: number | null, exact: number | null): number {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

export function describeRollupWindows(kind: StoreKind): void {
  describe(`answers over windows longer than 48 hours, from rollups (${kind})`, () => {
    const side = useReadSide(kind, { plan: (nowMs) => planLatencyTraffic({ seed: 23, nowMs, perSegment: 90 }) });
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);
    const segments = () => latencySegments(side.nowMs);
    const allSegments = (): Window => ({ from: segments()[0]!.window.from, to: segments().at(-1)!.window.to });

    async function overview(query: Record<string, string | number>): Promise<OverviewAnswer> {
      const { status, body } = await side.get('/api/v1/overview', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return overviewResponse.parse(body);
    }

    function turnsIn(window: Window, conversations = facts()): TurnFact[] {
      return conversations.flatMap((c) => c.turns).filter((t) => isInWindow(t.startMs, window));
    }

    /** Every figure the overview must answer exactly, computed from the plan. */
    function exactFigures(window: Window, conversations = facts()) {
      const turns = turnsIn(window, conversations);
      const calls = conversations.flatMap((c) => c.calls).filter((c) => isInWindow(c.startMs, window));
      return {
        conversations: conversations.filter((c) => isInWindow(c.startedMs, window)).length,
        turns: turns.length,
        failed_turns: turns.filter((t) => t.isFailed).length,
        interruptions: turns.filter((t) => t.turn.interrupted).length,
        llm_calls: calls.length,
        failed_llm_calls: calls.filter((c) => c.call.error !== undefined).length,
        input_tokens: sum(calls.map((c) => c.call.inputTokens)),
        output_tokens: sum(calls.map((c) => c.call.outputTokens)),
        cost: sum(turns.map((t) => t.costUsd)),
        durations: turns.map((t) => t.durationMs),
        perceived: turns.flatMap((t) => (t.turn.perceivedLatencyMs === undefined ? [] : [t.turn.perceivedLatencyMs])),
      };
    }

    function expectFromRollups(answer: OverviewAnswer, window: Window, conversations = facts(), slaMs = 1500): void {
      const expected = exactFigures(window, conversations);
      expect(expected.turns).toBeGreaterThan(50);
      expect(answer.approximate).toEqual(APPROXIMATE);
      expect(answer.turns).toBe(expected.turns);
      expect(answer.failed_turns).toBe(expected.failed_turns);
      expect(answer.interruptions).toBe(expected.interruptions);
      expect(answer.llm_calls).toBe(expected.llm_calls);
      expect(answer.failed_llm_calls).toBe(expected.failed_llm_calls);
      expect(answer.input_tokens).toBe(expected.input_tokens);
      expect(answer.output_tokens).toBe(expected.output_tokens);
      expect(answer.cost_usd.total).toBeCloseTo(expected.cost, 9);
      expect(answer.cost_usd.llm).toBeCloseTo(expected.cost, 9);
      expect(answer.conversations).toBe(expected.conversations);
      for (const [i, fraction] of FRACTIONS.entries()) {
        const key = (['p50', 'p95', 'p99'] as const)[i]!;
        expect(relativeError(answer.turn_latency_ms[key], percentileCont(expected.durations, fraction)), `turn ${key}`).toBeLessThanOrEqual(BOUND);
        expect(relativeError(answer.perceived_latency_ms[key], percentileCont(expected.perceived, fraction)), `perceived ${key}`).toBeLessThanOrEqual(BOUND);
      }
      // Violations read from the histogram: off only by turns within 2% of the threshold.
      const exactViolations = expected.durations.filter((d) => d > slaMs).length;
      const nearThreshold = expected.durations.filter((d) => Math.abs(d - slaMs) <= 0.02 * slaMs).length;
      expect(Math.abs(answer.sla.violations - exactViolations)).toBeLessThanOrEqual(nearThreshold);
    }

    it.each(latencySegments(Date.now()).map((segment, index) => [segment.distribution, index] as const))(
      'answers a window of %s latencies: counts and sums exactly, percentiles within 1 percent',
      async (_, index) => {
        const { window } = segments()[index]!;
        expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
        // Turns start in the partial hours at both ends, read from raw rows.
        const turns = turnsIn(window);
        expect(turns.some((t) => t.startMs < Date.parse(window.from) + 30 * 60_000)).toBe(true);
        expect(turns.some((t) => t.startMs >= Date.parse(window.to) - 30 * 60_000)).toBe(true);
        expectFromRollups(await overview(window), window);
      },
    );

    it('answers every segment at once, and as the raw computation does', async () => {
      const window = allSegments();
      const answer = await overview({ ...window, sla_ms: 800 });
      expectFromRollups(answer, window, facts(), 800);
      const exact = await getOverview(createReadDb(side.testStore.store), { ...window, slaMs: 800 }, { mode: 'exact' });
      expect(exact.approximate).toEqual([]);
      const { turn_latency_ms, perceived_latency_ms, sla, approximate, ...counts } = answer;
      const { turn_latency_ms: exactTurn, perceived_latency_ms: exactPerceived, sla: exactSla, approximate: _none, ...exactCounts } = exact;
      expect(counts.top_models.map((m) => [m.model, m.calls])).toEqual(exactCounts.top_models.map((m) => [m.model, m.calls]));
      expect({ ...counts, cost_usd: undefined, top_models: undefined }).toEqual({ ...exactCounts, cost_usd: undefined, top_models: undefined });
      for (const key of ['total', 'llm', 'stt', 'tts', 'other'] as const) expect(counts.cost_usd[key]).toBeCloseTo(exactCounts.cost_usd[key], 9);
      for (const key of ['p50', 'p95', 'p99'] as const) {
        expect(relativeError(turn_latency_ms[key], exactTurn[key])).toBeLessThanOrEqual(BOUND);
        expect(relativeError(perceived_latency_ms[key], exactPerceived[key])).toBeLessThanOrEqual(BOUND);
      }
      expect(sla.threshold_ms).toBe(exactSla.threshold_ms);
      expect(approximate).toEqual(APPROXIMATE);
    });

    it('reads the agent and channel filters from rollups too', async () => {
      const window = allSegments();
      const answer = await overview({ ...window, agent: 'support', channel: 'voice' });
      // The agent and channel travel on the conversation span: a conversation still active has neither.
      const conversations = facts().filter((c) => c.conversation.agentName === 'support' && c.conversation.channel === 'voice' && c.conversation.end !== undefined);
      expectFromRollups(answer, window, conversations);
    });

    it('answers other filters, and windows of 48 hours or less, exactly from raw rows', async () => {
      const window = allSegments();
      const byUser = await overview({ ...window, user: 'user-1' });
      expect(byUser.approximate).toEqual([]);
      const turns = turnsIn(window, facts().filter((c) => c.conversation.userId === 'user-1'));
      expect(byUser.turns).toBe(turns.length);
      expect(byUser.turn_latency_ms.p95).toBeCloseTo(percentileCont(turns.map((t) => t.durationMs), 0.95)!, 6);

      // status: LLM calls and conversations from rollups (a dimension of theirs), turns from raw rows.
      const failed = await overview({ ...window, status: 'error' });
      const exactFailed = await getOverview(createReadDb(side.testStore.store), { ...window, filters: { status: 'error' } }, { mode: 'exact' });
      expect(failed.approximate).toEqual([]);
      expect(failed.llm_calls).toBeGreaterThan(0);
      expect({ ...failed, cost_usd: undefined, top_models: undefined }).toEqual({ ...exactFailed, cost_usd: undefined, top_models: undefined });

      const from = Date.parse(segments()[1]!.window.from);
      const short = { from: new Date(from).toISOString(), to: new Date(from + 48 * HOUR).toISOString() };
      const answer = await overview(short);
      expect(answer.approximate).toEqual([]);
      expect(answer.turn_latency_ms.p99).toBeCloseTo(percentileCont(turnsIn(short).map((t) => t.durationMs), 0.99)!, 6);
    });

    async function series(query: Record<string, string | number>) {
      const { status, body } = await side.get('/api/v1/timeseries', { ...allSegments(), ...query });
      expect(status, JSON.stringify(body)).toBe(200);
      return timeseriesResponse.parse(body);
    }

    /** Expected value per bucket of `size` (UTC-aligned), from turns in the window. */
    function perBucket(size: number, value: (turns: TurnFact[]) => number): Map<number, number> {
      const buckets = new Map<number, TurnFact[]>();
      for (const turn of turnsIn(allSegments())) {
        const start = Math.floor(turn.startMs / size) * size;
        buckets.set(start, [...(buckets.get(start) ?? []), turn]);
      }
      return new Map([...buckets].map(([start, turns]) => [start, value(turns)]));
    }

    it('counts turns per hour and sums cost per day from rollups, exactly', async () => {
      const turns = await series({ metric: 'turns' });
      expect(turns.approximate).toEqual([]);
      const expectedTurns = perBucket(HOUR, (bucket) => bucket.length);
      expect(turns.points.filter((p) => p.value !== 0).map((p) => [Date.parse(p.t), p.value])).toEqual([...expectedTurns].sort((a, b) => a[0] - b[0]));
      const cost = await series({ metric: 'cost_usd', interval: 'day' });
      const expectedCost = perBucket(DAY, (bucket) => sum(bucket.map((t) => t.costUsd)));
      for (const point of cost.points) expect(point.value).toBeCloseTo(expectedCost.get(Date.parse(point.t)) ?? 0, 9);
    });

    it('reads the daily p95 from rollups within 1 percent, and stays exact in a time zone off whole hours', async () => {
      const p95 = await series({ metric: 'turn_p95_ms', interval: 'day' });
      expect(p95.approximate).toEqual(['points']);
      const expected = perBucket(DAY, (bucket) => percentileCont(bucket.map((t) => t.durationMs), 0.95) ?? 0);
      expect(expected.size).toBeGreaterThan(5);
      for (const point of p95.points) expect(relativeError(point.value, expected.get(Date.parse(point.t)) ?? 0)).toBeLessThanOrEqual(BOUND);
      // Asia/Kolkata is UTC+05:30: rollup hours straddle its buckets, so the series is raw (exact).
      const kolkata = await series({ metric: 'turn_p95_ms', interval: 'day', tz: 'Asia/Kolkata' });
      expect(kolkata.approximate).toEqual([]);
      const offset = 5.5 * HOUR;
      const local = new Map<number, number[]>();
      for (const turn of turnsIn(allSegments())) {
        const start = Math.floor((turn.startMs + offset) / DAY) * DAY - offset;
        local.set(start, [...(local.get(start) ?? []), turn.durationMs]);
      }
      for (const point of kolkata.points) expect(point.value).toBeCloseTo(percentileCont(local.get(Date.parse(point.t)) ?? [], 0.95) ?? 0, 6);
    });
  });
}
