// GET /api/v1/steps/stats against figures computed from the planned traffic. Shared by the
// PostgreSQL and PGlite files.
import { describe, expect, it } from 'vitest';
import { stepStatsResponse } from '../../src/routes/step-stats.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, sum, type StepFact } from '../helpers/expected.js';
import { average, compareKeys, groupBy } from '../helpers/grouping.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';

const PERCENTILES = [
  ['p10_ms', 0.1],
  ['p25_ms', 0.25],
  ['p50_ms', 0.5],
  ['p75_ms', 0.75],
  ['p90_ms', 0.9],
  ['p95_ms', 0.95],
  ['p99_ms', 0.99],
] as const;

type Answer = ReturnType<typeof stepStatsResponse.parse>;

export function describeStepStats(kind: StoreKind): void {
  describe(`GET /api/v1/steps/stats (${kind})`, () => {
    const side = useReadSide(kind);
    const stepFacts = (): StepFact[] => side.plan.map(conversationFacts).flatMap((c) => c.steps);

    async function stats(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/steps/stats', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return stepStatsResponse.parse(body);
    }

    /** Per step name: counts, durations, percentiles; most total time first, ties by name descending. */
    function expectedFor(window: { from: string; to: string }, keep: (fact: StepFact) => boolean = () => true) {
      const facts = stepFacts().filter((s) => isInWindow(s.startMs, window) && keep(s));
      return [...groupBy(facts, (s) => s.step.name)]
        .map(([step, group]) => {
          const durations = group.map((s) => s.step.durationMs);
          return {
            step,
            count: group.length,
            failures: group.filter((s) => s.isFailed).length,
            total: sum(durations),
            avg: average(durations),
            min: Math.min(...durations),
            max: Math.max(...durations),
            percentiles: PERCENTILES.map(([, fraction]) => percentileCont(durations, fraction)),
          };
        })
        .sort((a, b) => b.total - a.total || compareKeys(b.step, a.step));
    }

    function expectItems(items: Answer['items'], expected: ReturnType<typeof expectedFor>): void {
      expect(items.map((i) => [i.step, i.count, i.failures, i.min_ms, i.max_ms, i.total_ms])).toEqual(
        expected.map((e) => [e.step, e.count, e.failures, e.min, e.max, e.total]),
      );
      for (const [i, item] of items.entries()) {
        const fact = expected[i]!;
        expect(item.error_rate).toBeCloseTo(fact.failures / fact.count, 12);
        expect(item.avg_ms).toBeCloseTo(fact.avg!, 9);
        for (const [j, [name]] of PERCENTILES.entries()) expect(item[name], `${item.step} ${name}`).toBeCloseTo(fact.percentiles[j]!, 6);
      }
    }

    it('answers every step of the window with its counts, average, extremes and exact percentiles', async () => {
      const answer = await stats({ ...side.everything, limit: 1000 });
      const expected = expectedFor(side.everything);
      expect(expected.map((e) => e.step).sort()).toEqual(['llm', 'stt', 'tool', 'tts']);
      expect(expected.some((e) => e.failures > 0)).toBe(true);
      expect(answer.window).toEqual(side.everything);
      expect(answer.next_cursor).toBeNull();
      expectItems(answer.items, expected);
    });

    it('answers the default 24-hour window with the steps that started in it', async () => {
      const answer = await stats({ limit: 1000 });
      expect(Date.parse(answer.window.to) - Date.parse(answer.window.from)).toBe(24 * 3_600_000);
      const expected = expectedFor(answer.window);
      expect(sum(expected.map((e) => e.count))).toBeLessThan(sum(expectedFor(side.everything).map((e) => e.count)));
      expectItems(answer.items, expected);
    });

    it('narrows to one step, to a filter and to failed steps', async () => {
      expectItems((await stats({ ...side.everything, step: 'tool' })).items, expectedFor(side.everything, (s) => s.step.name === 'tool'));
      // The agent name travels on the conversation span: a conversation still active has none yet.
      const support = (s: StepFact) => s.turn.conversation.agentName === 'support' && s.turn.conversation.end !== undefined;
      expectItems((await stats({ ...side.everything, agent: 'support' })).items, expectedFor(side.everything, support));
      expectItems((await stats({ ...side.everything, status: 'error' })).items, expectedFor(side.everything, (s) => s.isFailed));
      expect((await stats({ ...side.everything, step: 'no-such-step' })).items).toEqual([]);
    });

    it('walks a cursor to the end, every step once and in order', async () => {
      const all = await stats({ ...side.everything, limit: 1000 });
      const walked = await walkPages(async (cursor) => stats({ ...side.everything, limit: 1, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toEqual(all.items);
      expect(walked.pages).toBe(all.items.length);
    });

    it('answers an empty page for an empty window, and 400 for a cursor of another list', async () => {
      expect(await stats({ from: '2001-01-01', to: '2001-01-02' })).toEqual({ window: { from: '2001-01-01T00:00:00.000Z', to: '2001-01-02T00:00:00.000Z' }, items: [], next_cursor: null, approximate: [] });
      const first = await side.get('/api/v1/conversations', { ...side.everything, limit: 1 });
      const foreign = await side.get('/api/v1/steps/stats', { ...side.everything, cursor: (first.body as { next_cursor: string }).next_cursor });
      expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'cursor' } } });
    });
  });
}
