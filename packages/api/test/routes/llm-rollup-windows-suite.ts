// GET /llm-calls/analysis over windows longer than 48 hours, which read rollups: against figures
// computed from the planned traffic (call latencies from four distributions, a heavy tail among
// them; windows that start and end mid-hour with calls in those partial hours) and against the
// same question answered exactly from raw rows. Counts and sums must be equal, percentiles read
// from histograms within 2% (the goal; the histograms give 1%). Shared by the PostgreSQL and
// PGlite test files.
import { createReadDb, getLlmAnalysis, GROUP_BYS, type GroupBy } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { llmAnalysisResponse } from '../../src/routes/llm-analysis.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, sum, type CallFact } from '../helpers/expected.js';
import { average, compareKeys, groupBy } from '../helpers/grouping.js';
import { latencySegments, planLatencyTraffic } from '../helpers/latency-traffic.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERCENTILES = ['p50_latency_ms', 'p95_latency_ms'] as const;
/** The goal for percentiles read from histograms. */
const BOUND = 0.02;
/** The groupings rollup histograms answer: llm_daily/llm_hourly's and usage_daily/usage_hourly's (agent has no rollup). */
const FROM_HISTOGRAMS: readonly GroupBy[] = ['model', 'provider', 'call_type', 'function', 'user', 'session'];

type Window = { readonly from: string; readonly to: string };
type Answer = ReturnType<typeof llmAnalysisResponse.parse>;
type Item = Answer['items'][number];

/** The group of a planned call: the model that answered (`<model>-2026`), else the one a failed call asked for. */
const KEY_OF: Readonly<Record<GroupBy, (fact: CallFact) => string | null>> = {
  model: (f) => (f.call.error === undefined ? `${f.call.model}-2026` : f.call.model),
  provider: (f) => f.call.provider,
  call_type: (f) => f.call.callType,
  function: (f) => f.call.functionName,
  user: (f) => f.turn.conversation.userId,
  session: (f) => f.turn.conversation.sessionId,
  // The agent name travels on the conversation span: a conversation still active has none yet.
  agent: (f) => (f.turn.conversation.end === undefined ? null : f.turn.conversation.agentName),
};

function relativeError(estimate: number | null, exact: number | null): number {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

export function describeLlmRollupWindows(kind: StoreKind): void {
  describe(`GET /llm-calls/analysis over windows longer than 48 hours, from rollups (${kind})`, () => {
    const side = useReadSide(kind, { plan: (nowMs) => planLatencyTraffic({ seed: 29, nowMs, perSegment: 60 }) });
    const callFacts = (): CallFact[] => side.plan.map(conversationFacts).flatMap((c) => c.calls);
    const segments = () => latencySegments(side.nowMs);
    const allSegments = (): Window => ({ from: segments()[0]!.window.from, to: segments().at(-1)!.window.to });

    async function analysis(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/llm-calls/analysis', { limit: 1000, ...query });
      expect(status, JSON.stringify(body)).toBe(200);
      return llmAnalysisResponse.parse(body);
    }

    /** Groups most calls first, ties by key descending, from the plan. */
    function expectedFor(by: GroupBy, window: Window, keep: (fact: CallFact) => boolean = () => true) {
      const facts = callFacts().filter((c) => isInWindow(c.startMs, window) && keep(c));
      return [...groupBy(facts, KEY_OF[by])]
        .map(([key, group]) => {
          const latencies = group.map((c) => c.call.durationMs);
          return {
            key,
            calls: group.length,
            errors: group.filter((c) => c.call.error !== undefined).length,
            input_tokens: sum(group.map((c) => c.call.inputTokens)),
            output_tokens: sum(group.map((c) => c.call.outputTokens)),
            cost_usd: sum(group.map((c) => c.call.costUsd)),
            avg_latency_ms: average(latencies),
            avg_ttft_ms: average(group.flatMap((c) => (c.call.ttftMs === undefined ? [] : [c.call.ttftMs]))),
            p50_latency_ms: percentileCont(latencies, 0.5),
            p95_latency_ms: percentileCont(latencies, 0.95),
          };
        })
        .sort((a, b) => b.calls - a.calls || compareKeys(b.key, a.key));
    }

    /** Counts and sums exactly; percentiles within 2% where read from histograms, else exactly. */
    function expectItems(items: readonly Item[], expected: ReturnType<typeof expectedFor>, isApproximate: boolean): void {
      expect(items.map((i) => [i.key, i.calls, i.errors, i.input_tokens, i.output_tokens])).toEqual(
        expected.map((e) => [e.key, e.calls, e.errors, e.input_tokens, e.output_tokens]),
      );
      for (const [i, item] of items.entries()) {
        const fact = expected[i]!;
        expect(item.cost_usd, `${item.key} cost`).toBeCloseTo(fact.cost_usd, 9);
        // Rollups sum latencies in µs.
        expect(item.avg_latency_ms, `${item.key} avg`).toBeCloseTo(fact.avg_latency_ms!, 3);
        if (fact.avg_ttft_ms === null) expect(item.avg_ttft_ms, `${item.key} ttft`).toBeNull();
        else expect(item.avg_ttft_ms, `${item.key} ttft`).toBeCloseTo(fact.avg_ttft_ms, 3);
        for (const name of PERCENTILES) {
          if (isApproximate) expect(relativeError(item[name], fact[name]), `${item.key} ${name}`).toBeLessThanOrEqual(BOUND);
          else expect(item[name], `${item.key} ${name}`).toBeCloseTo(fact[name]!, 6);
        }
      }
    }

    it('has calls in the partial hours and days at both ends of the window, which rollups do not hold', () => {
      const window = allSegments();
      expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
      const starts = callFacts().map((c) => c.startMs);
      const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
      expect(from % HOUR).not.toBe(0);
      expect(starts.some((t) => t >= from && t < from + 30 * 60_000)).toBe(true);
      expect(starts.some((t) => t < to && t >= to - 30 * 60_000)).toBe(true);
      // Whole hours outside the whole days, which hourly rollups answer.
      expect(starts.some((t) => t >= Math.ceil(from / DAY) * DAY - 12 * HOUR && t < Math.ceil(from / DAY) * DAY)).toBe(true);
    });

    for (const by of GROUP_BYS) {
      const isApproximate = FROM_HISTOGRAMS.includes(by);
      it(`groups by ${by}: counts and sums as the plan has them, percentiles ${isApproximate ? 'within 2 percent' : 'exact'}, and as the raw computation does`, async () => {
        const window = allSegments();
        const answer = await analysis({ ...window, group_by: by });
        expect(answer.approximate).toEqual(isApproximate ? [...PERCENTILES] : []);
        const expected = expectedFor(by, window);
        expect(sum(expected.map((e) => e.calls))).toBeGreaterThan(300);
        expect(expected.some((e) => e.avg_ttft_ms !== null)).toBe(true);
        expectItems(answer.items, expected, isApproximate);

        const exact = await getLlmAnalysis(createReadDb(side.testStore.store), { ...window, groupBy: by, limit: 1000 }, { mode: 'exact' });
        expect(exact.approximate).toEqual([]);
        const counts = (items: readonly Item[]) => items.map((i) => [i.key, i.calls, i.errors, i.input_tokens, i.output_tokens, i.cache_read_tokens]);
        expect(counts(answer.items)).toEqual(counts(exact.items));
        for (const [i, item] of answer.items.entries()) {
          const raw = exact.items[i]!;
          expect(item.cost_usd).toBeCloseTo(raw.cost_usd, 9);
          expect(item.avg_latency_ms).toBeCloseTo(raw.avg_latency_ms!, 3);
          if (raw.avg_ttft_ms === null) expect(item.avg_ttft_ms).toBeNull();
          else expect(item.avg_ttft_ms).toBeCloseTo(raw.avg_ttft_ms, 3);
        }
      });
    }

    /**
     * A window from half an hour before one call's hour to half an hour after another's, both
     * hours whole hours of the window's partial first and last days (neither at a day's edge).
     */
    function windowWithWholeHoursInPartialDays(): { window: Window; first: number; last: number } {
      const starts = callFacts()
        .map((c) => c.startMs)
        .sort((a, b) => a - b);
      const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;
      const utcHour = (t: number) => new Date(t).getUTCHours();
      const first = hourOf(starts.find((t) => utcHour(t) !== 0)!);
      const last = hourOf([...starts].reverse().find((t) => utcHour(t) !== 23 && hourOf(t) >= first + 49 * HOUR)!);
      return { window: { from: new Date(first - 30 * 60_000).toISOString(), to: new Date(last + HOUR + 30 * 60_000).toISOString() }, first, last };
    }

    it.each(['function', 'user', 'session'] as const)(
      'groups by %s over a window whose partial days hold whole hours with calls: as the plan and the raw computation have it',
      async (by) => {
        const { window, first, last } = windowWithWholeHoursInPartialDays();
        const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
        expect(to - from).toBeGreaterThan(48 * HOUR);
        // Calls in whole hours before the first whole day and after the last one.
        const firstDay = Math.ceil(from / DAY) * DAY;
        const lastDay = Math.floor(to / DAY) * DAY;
        expect(first).toBeLessThan(firstDay);
        expect(last).toBeGreaterThanOrEqual(lastDay);
        const starts = callFacts().map((c) => c.startMs);
        expect(starts.some((t) => t >= first && t < first + HOUR)).toBe(true);
        expect(starts.some((t) => t >= last && t < last + HOUR)).toBe(true);

        const answer = await analysis({ ...window, group_by: by });
        expect(answer.approximate).toEqual([...PERCENTILES]);
        expectItems(answer.items, expectedFor(by, window), true);
        const exact = await getLlmAnalysis(createReadDb(side.testStore.store), { ...window, groupBy: by, limit: 1000 }, { mode: 'exact' });
        const figures = (items: readonly Item[]) => items.map((i) => [i.key, i.calls, i.errors, i.input_tokens, i.output_tokens, i.cache_read_tokens]);
        expect(figures(answer.items)).toEqual(figures(exact.items));
        for (const [i, item] of answer.items.entries()) {
          expect(item.cost_usd).toBeCloseTo(exact.items[i]!.cost_usd, 9);
          expect(item.avg_latency_ms).toBeCloseTo(exact.items[i]!.avg_latency_ms!, 3);
        }
      },
    );

    it('keys a call by its response model, else its request model', async () => {
      const answer = await analysis({ ...allSegments(), group_by: 'model' });
      const byKey = new Map(answer.items.map((item) => [item.key, item]));
      // Successful calls answer as <model>-2026; failed ones have no response model.
      expect(byKey.get('gpt-4o-mini-2026')?.errors).toBe(0);
      expect(byKey.get('gpt-4o-mini')?.errors).toBe(byKey.get('gpt-4o-mini')?.calls);
      expect(byKey.get('gpt-4o-mini')?.calls).toBeGreaterThan(0);
    });

    it.each(['model', 'session'] as const)('pages through groups by %s read from rollups with a cursor, every group once', async (by) => {
      const window = allSegments();
      const walked = await walkPages((cursor) => analysis({ ...window, group_by: by, limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.pages).toBeGreaterThan(1);
      expectItems(walked.items, expectedFor(by, window), true);
    });

    it('reads provider, call type and status filters from rollups, and answers other filters exactly from raw rows', async () => {
      const window = allSegments();
      const openai = await analysis({ ...window, group_by: 'model', provider: 'openai', status: 'ok' });
      expect(openai.approximate).toEqual([...PERCENTILES]);
      expectItems(openai.items, expectedFor('model', window, (c) => c.call.provider === 'openai' && c.call.error === undefined), true);

      const model = await analysis({ ...window, group_by: 'provider', model: 'claude-haiku-4-5' });
      expect(model.approximate).toEqual([]);
      expectItems(model.items, expectedFor('provider', window, (c) => c.call.model === 'claude-haiku-4-5'), false);

      // usage_daily and usage_hourly have no dimension for any filter.
      const user = await analysis({ ...window, group_by: 'user', provider: 'anthropic' });
      expect(user.approximate).toEqual([]);
      expectItems(user.items, expectedFor('user', window, (c) => c.call.provider === 'anthropic'), false);
    });

    it('answers windows of 48 hours or less exactly from raw rows', async () => {
      const from = Date.parse(segments()[1]!.window.from);
      const short = { from: new Date(from).toISOString(), to: new Date(from + 48 * HOUR).toISOString() };
      const answer = await analysis({ ...short, group_by: 'model' });
      expect(answer.approximate).toEqual([]);
      expectItems(answer.items, expectedFor('model', short), false);
    });
  });
}
