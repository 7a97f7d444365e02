// getStepStats, getCompare and getBusiestHours over windows longer than 48 hours, which read
// rollups: against figures computed from the planned traffic (played through the real SDK and
// ingest) and against the same question answered exactly from raw rows. Counts and sums must be
// equal, percentiles within 1% (the fine histograms' bound; the goal is 2%). The windows start and
// end at :30 with traffic in those partial hours, which are read from raw rows. Filters that are
// not a rollup's dimensions, and a time zone off whole hours, are answered from raw rows. Shared by
// the PostgreSQL and PGlite test files.
import { createReadDb, getBusiestHours, getCompare, getStepStats, type ReadDb, type StepStats } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { busiestHoursResponse } from '../../../api/src/routes/busiest-hours.js';
import { compareResponse } from '../../../api/src/routes/compare.js';
import { stepStatsResponse } from '../../../api/src/routes/step-stats.js';
import { conversationFacts, isInWindow, percentileCont, sum, type ConversationFact, type StepFact, type TurnFact } from '../../../api/test/helpers/expected.js';
import { latencySegments, planLatencyTraffic } from '../../../api/test/helpers/latency-traffic.js';
import type { StoreKind } from '../../../api/test/helpers/databases.js';
import { useReadSide } from '../../../api/test/helpers/read-side.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The fine histograms' bound (1%), plus float noise. */
const BOUND = 0.01 + 1e-9;
const STEP_PERCENTILES = ['p10_ms', 'p25_ms', 'p50_ms', 'p75_ms', 'p90_ms', 'p95_ms', 'p99_ms'] as const;
const STEP_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;

type Window = { readonly from: string; readonly to: string };

function relativeError(estimate: number | null, exact: number | null): number {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

export function describeLongWindowAnswers(kind: StoreKind): void {
  describe(`step statistics, comparisons and busiest hours over windows longer than 48 hours (${kind})`, () => {
    const side = useReadSide(kind, { plan: (nowMs) => planLatencyTraffic({ seed: 31, nowMs, perSegment: 90 }) });
    const db = (): ReadDb => createReadDb(side.testStore.store);
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);
    const segments = () => latencySegments(side.nowMs);
    const allSegments = (): Window => ({ from: segments()[0]!.window.from, to: segments().at(-1)!.window.to });
    /** Conversations whose agent and channel the store knows (they travel on the conversation span, sent at its end). */
    const ofAgent = (agent: string): ConversationFact[] => facts().filter((c) => c.conversation.agentName === agent && c.conversation.end !== undefined);

    function stepsIn(window: Window, conversations = facts()): StepFact[] {
      return conversations.flatMap((c) => c.steps).filter((s) => isInWindow(s.startMs, window));
    }

    function turnsIn(window: Window, conversations = facts()): TurnFact[] {
      return conversations.flatMap((c) => c.turns).filter((t) => isInWindow(t.startMs, window));
    }

    /** Every step name's figures computed from the plan, most total time first. */
    function expectedSteps(window: Window, conversations = facts()) {
      const byName = new Map<string, StepFact[]>();
      for (const step of stepsIn(window, conversations)) byName.set(step.step.name, [...(byName.get(step.step.name) ?? []), step]);
      return [...byName]
        .map(([step, steps]) => {
          const durations = steps.map((s) => s.step.durationMs);
          return {
            step,
            count: steps.length,
            failures: steps.filter((s) => s.isFailed).length,
            total_ms: sum(durations),
            min_ms: Math.min(...durations),
            max_ms: Math.max(...durations),
            durations,
          };
        })
        .sort((a, b) => b.total_ms - a.total_ms);
    }

    function expectStepsFromRollups(items: readonly StepStats[], window: Window): void {
      const expected = expectedSteps(window);
      expect(items.map((item) => item.step)).toEqual(expected.map((e) => e.step));
      for (const [i, e] of expected.entries()) {
        const item = items[i]!;
        expect(e.count).toBeGreaterThan(40);
        expect([item.count, item.failures, item.min_ms, item.max_ms], e.step).toEqual([e.count, e.failures, e.min_ms, e.max_ms]);
        expect(item.total_ms).toBeCloseTo(e.total_ms, 6);
        expect(item.avg_ms).toBeCloseTo(e.total_ms / e.count, 9);
        expect(item.error_rate).toBeCloseTo(e.failures / e.count, 12);
        for (const [k, field] of STEP_PERCENTILES.entries()) {
          expect(relativeError(item[field], percentileCont(e.durations, STEP_FRACTIONS[k]!)), `${e.step} ${field}`).toBeLessThanOrEqual(BOUND);
        }
      }
    }

    describe('getStepStats', () => {
      it('answers one segment from rollups: counts, sums and extremes exactly (edges included), percentiles within 1 percent', async () => {
        const { window } = segments()[1]!;
        const steps = stepsIn(window);
        // Steps start in the partial hours at both ends, read from raw rows.
        expect(steps.some((s) => s.startMs < Date.parse(window.from) + 30 * MINUTE)).toBe(true);
        expect(steps.some((s) => s.startMs >= Date.parse(window.to) - 30 * MINUTE)).toBe(true);
        const answer = await getStepStats(db(), window);
        expect(answer.approximate).toEqual(STEP_PERCENTILES);
        expectStepsFromRollups(answer.items, window);
      });

      it('answers every segment (whole days too) as the raw computation does, page by page, and through the API', async () => {
        const window = allSegments();
        const answer = await getStepStats(db(), window);
        expectStepsFromRollups(answer.items, window);
        const exact = await getStepStats(db(), window, { mode: 'exact' });
        expect(exact.approximate).toEqual([]);
        const counts = (items: readonly StepStats[]) => items.map(({ step, count, failures, min_ms, max_ms }) => ({ step, count, failures, min_ms, max_ms }));
        expect(counts(answer.items)).toEqual(counts(exact.items));
        // A walk of one-item pages meets every step once, in the same order.
        const walked: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await getStepStats(db(), { ...window, limit: 1, cursor });
          walked.push(...page.items.map((item) => item.step));
          cursor = page.next_cursor ?? undefined;
        } while (cursor !== undefined);
        expect(walked).toEqual(exact.items.map((item) => item.step));
        // One step by name.
        const llm = await getStepStats(db(), { ...window, step: 'llm' });
        expect(llm.items.map((item) => [item.step, item.count])).toEqual([['llm', expectedSteps(window).find((e) => e.step === 'llm')!.count]]);

        const { status, body } = await side.get('/api/v1/steps/stats', window);
        expect(status).toBe(200);
        expect(stepStatsResponse.parse(body).approximate).toEqual(STEP_PERCENTILES);
      });

      it('answers with a filter exactly from raw rows (no filter is a dimension of the step rollups)', async () => {
        const window = allSegments();
        const answer = await getStepStats(db(), { ...window, filters: { agent: 'support' } });
        expect(answer.approximate).toEqual([]);
        const expected = expectedSteps(window, ofAgent('support'));
        expect(answer.items.map((item) => [item.step, item.count])).toEqual(expected.map((e) => [e.step, e.count]));
        for (const [i, e] of expected.entries()) {
          for (const [k, field] of STEP_PERCENTILES.entries()) expect(answer.items[i]![field]).toBeCloseTo(percentileCont(e.durations, STEP_FRACTIONS[k]!)!, 6);
        }
      });
    });

    describe('getCompare', () => {
      function expectDurations(figures: { count: number; avg_ms: number | null; p50_ms: number | null; p95_ms: number | null }, durations: readonly number[], what: string): void {
        expect(figures.count, what).toBe(durations.length);
        expect(figures.avg_ms, what).toBeCloseTo(sum(durations) / durations.length, 9);
        expect(relativeError(figures.p50_ms, percentileCont(durations, 0.5)), `${what} p50`).toBeLessThanOrEqual(BOUND);
        expect(relativeError(figures.p95_ms, percentileCont(durations, 0.95)), `${what} p95`).toBeLessThanOrEqual(BOUND);
      }

      it('compares two long windows from rollups: counts and averages exactly, p50 and p95 within 1 percent', async () => {
        const before = segments()[1]!.window;
        const after = segments()[2]!.window;
        const params = { beforeFrom: before.from, beforeTo: before.to, afterFrom: after.from, afterTo: after.to };
        const answer = await getCompare(db(), params);
        expect(answer.approximate).toEqual([
          'turns.before.p50_ms',
          'turns.before.p95_ms',
          'steps.before.p50_ms',
          'steps.before.p95_ms',
          'turns.after.p50_ms',
          'turns.after.p95_ms',
          'steps.after.p50_ms',
          'steps.after.p95_ms',
        ]);
        for (const [side, window] of [['before', before], ['after', after]] as const) {
          expectDurations(answer.turns[side], turnsIn(window).map((t) => t.durationMs), `turns ${side}`);
          const steps = expectedSteps(window);
          expect(answer.steps.map((s) => s.step)).toEqual(steps.map((e) => e.step).sort());
          for (const e of steps) expectDurations(answer.steps.find((s) => s.step === e.step)![side], e.durations, `${e.step} ${side}`);
        }
        const exact = await getCompare(db(), params, { mode: 'exact' });
        expect(exact.approximate).toEqual([]);
        expect(answer.steps.map((s) => [s.step, s.before.count, s.after.count])).toEqual(exact.steps.map((s) => [s.step, s.before.count, s.after.count]));
        expect(answer.turns.delta_ms.avg).toBeCloseTo(exact.turns.delta_ms.avg!, 6);
      });

      it('reads turns from rollups under their filters, steps from raw rows; a short window and other filters exactly', async () => {
        const before = segments()[0]!.window;
        const after = segments()[3]!.window;
        const params = { beforeFrom: before.from, beforeTo: before.to, afterFrom: after.from, afterTo: after.to };
        const support = await getCompare(db(), { ...params, filters: { agent: 'support' } });
        expect(support.approximate).toEqual(['turns.before.p50_ms', 'turns.before.p95_ms', 'turns.after.p50_ms', 'turns.after.p95_ms']);
        expectDurations(support.turns.after, turnsIn(after, ofAgent('support')).map((t) => t.durationMs), 'support turns');
        const llm = expectedSteps(after, ofAgent('support')).find((e) => e.step === 'llm')!;
        const llmAfter = support.steps.find((s) => s.step === 'llm')!.after;
        expect(llmAfter.p95_ms).toBeCloseTo(percentileCont(llm.durations, 0.95)!, 6);

        const byUser = await getCompare(db(), { ...params, filters: { user: 'user-1' } });
        expect(byUser.approximate).toEqual([]);
        expect(byUser.turns.after.p50_ms).toBeCloseTo(percentileCont(turnsIn(after, facts().filter((c) => c.conversation.userId === 'user-1')).map((t) => t.durationMs), 0.5)!, 6);

        // A 24-hour before window stays exact beside a long after window.
        const shortBefore = { from: new Date(Date.parse(before.to) - 24 * HOUR).toISOString(), to: before.to };
        const mixed = await getCompare(db(), { ...params, beforeFrom: shortBefore.from, beforeTo: shortBefore.to });
        expect(mixed.approximate).toEqual(['turns.after.p50_ms', 'turns.after.p95_ms', 'steps.after.p50_ms', 'steps.after.p95_ms']);
        expect(mixed.turns.before.p95_ms).toBeCloseTo(percentileCont(turnsIn(shortBefore).map((t) => t.durationMs), 0.95)!, 6);

        const { status, body } = await side.get('/api/v1/compare', { before_from: before.from, before_to: before.to, after_from: after.from, after_to: after.to });
        expect(status).toBe(200);
        expect(compareResponse.parse(body).approximate).toHaveLength(8);
      });
    });

    describe('getBusiestHours', () => {
      /** Conversations per local hour of the day at a fixed offset from UTC, from the plan. */
      function expectedHours(window: Window, offsetMs: (ms: number) => number, conversations = facts()): number[] {
        const counts = new Array<number>(24).fill(0);
        for (const c of conversations) {
          if (!isInWindow(c.startedMs, window)) continue;
          const local = c.startedMs + offsetMs(c.startedMs);
          counts[Math.floor(local / HOUR) % 24]! += 1;
        }
        return counts;
      }

      const byHour = (items: readonly { hour_of_day: number; conversations: number }[]): number[] =>
        [...items].sort((a, b) => a.hour_of_day - b.hour_of_day).map((item) => item.conversations);

      it('counts conversations per hour of the day exactly, in UTC and in a zone a whole number of hours off (from rollups)', async () => {
        const window = allSegments();
        const utc = await getBusiestHours(db(), window);
        expect(utc.approximate).toEqual([]);
        expect(byHour(utc.items)).toEqual(expectedHours(window, () => 0));
        expect(sum(utc.items.map((i) => i.conversations))).toBeGreaterThan(300);
        // Asia/Tokyo: UTC+9 all year.
        const tokyo = await getBusiestHours(db(), { ...window, tz: 'Asia/Tokyo' });
        expect(byHour(tokyo.items)).toEqual(expectedHours(window, () => 9 * HOUR));
        const exact = await getBusiestHours(db(), { ...window, tz: 'Asia/Tokyo' }, { mode: 'exact' });
        expect(tokyo.items).toEqual(exact.items);
        // status is a dimension of conversation_hourly; user is not (raw rows).
        const completed = await getBusiestHours(db(), { ...window, filters: { status: 'completed' } });
        expect(byHour(completed.items)).toEqual(expectedHours(window, () => 0, facts().filter((c) => c.status === 'completed')));
        const byUser = await getBusiestHours(db(), { ...window, filters: { user: 'user-2' } });
        expect(byHour(byUser.items)).toEqual(expectedHours(window, () => 0, facts().filter((c) => c.conversation.userId === 'user-2')));

        const { status, body } = await side.get('/api/v1/busiest-hours', window);
        expect(status).toBe(200);
        expect(busiestHoursResponse.parse(body).approximate).toEqual([]);
      });

      it('counts in a zone off whole hours (Asia/Kolkata, UTC+05:30) from raw rows, exactly', async () => {
        const window = allSegments();
        const kolkata = await getBusiestHours(db(), { ...window, tz: 'Asia/Kolkata' });
        expect(byHour(kolkata.items)).toEqual(expectedHours(window, () => 5.5 * HOUR));
      });
    });
  });
}
