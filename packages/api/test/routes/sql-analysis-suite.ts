// GET /api/v1/sql-queries/analysis against the planned SQL spans. Shared by the PostgreSQL and
// PGlite files.
import { describe, expect, it } from 'vitest';
import { sqlAnalysisResponse } from '../../src/routes/sql-analysis.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, sum, type SqlFact } from '../helpers/expected.js';
import { average, compareKeys, groupBy } from '../helpers/grouping.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';

type Answer = ReturnType<typeof sqlAnalysisResponse.parse>;

/** The statements of `facts`, computed from the plan: per normalized statement; most total time first, ties by statement descending (one system). */
export function expectedStatements(facts: readonly SqlFact[]) {
  return [...groupBy(facts, (q) => q.sql.normalized)]
    .map(([statement, group]) => {
      const durations = group.map((q) => q.sql.durationMs);
      return {
        statement,
        count: group.length,
        errors: group.filter((q) => q.sql.error !== undefined).length,
        total: sum(durations),
        max: Math.max(...durations),
        rows: sum(group.map((q) => q.sql.rows)),
        avg: average(durations)!,
        p50: percentileCont(durations, 0.5)!,
        p95: percentileCont(durations, 0.95)!,
      };
    })
    .sort((a, b) => b.total - a.total || compareKeys(b.statement, a.statement));
}

export function describeSqlAnalysis(kind: StoreKind): void {
  describe(`GET /api/v1/sql-queries/analysis (${kind})`, () => {
    const side = useReadSide(kind);
    const queryFacts = (): SqlFact[] => side.plan.map(conversationFacts).flatMap((c) => c.queries);

    async function analysis(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/sql-queries/analysis', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return sqlAnalysisResponse.parse(body);
    }

    const expectedFor = (window: { from: string; to: string }, keep: (fact: SqlFact) => boolean = () => true) =>
      expectedStatements(queryFacts().filter((q) => isInWindow(q.startMs, window) && keep(q)));

    function expectItems(items: Answer['items'], expected: ReturnType<typeof expectedStatements>): void {
      expect(items.map((i) => [i.statement, i.system, i.count, i.errors, i.total_ms, i.max_ms, i.rows])).toEqual(
        expected.map((e) => [e.statement, 'postgresql', e.count, e.errors, e.total, e.max, e.rows]),
      );
      for (const [i, item] of items.entries()) {
        expect(item.error_rate).toBeCloseTo(expected[i]!.errors / expected[i]!.count, 12);
        expect(item.avg_ms).toBeCloseTo(expected[i]!.avg, 9);
        expect(item.p50_ms).toBeCloseTo(expected[i]!.p50, 6);
        expect(item.p95_ms).toBeCloseTo(expected[i]!.p95, 6);
      }
    }

    it('groups the window’s SQL spans by normalized statement, with counts, time, rows, errors and exact percentiles', async () => {
      const answer = await analysis({ ...side.everything, limit: 1000 });
      const expected = expectedFor(side.everything);
      expect(expected).toHaveLength(3);
      expect(expected.some((e) => e.errors > 0)).toBe(true);
      expect(answer.window).toEqual(side.everything);
      expectItems(answer.items, expected);
    });

    it('narrows to a system, failed spans, a filter and a window', async () => {
      expectItems((await analysis({ ...side.everything, system: 'postgresql' })).items, expectedFor(side.everything));
      expect((await analysis({ ...side.everything, system: 'mysql' })).items).toEqual([]);
      expectItems((await analysis({ ...side.everything, status: 'error' })).items, expectedFor(side.everything, (q) => q.sql.error !== undefined));
      expectItems((await analysis({ ...side.everything, user: 'user-4' })).items, expectedFor(side.everything, (q) => q.turn.conversation.userId === 'user-4'));
      const day = await analysis({});
      expectItems(day.items, expectedFor(day.window));
    });

    it('walks a cursor to the end, every statement once and in order', async () => {
      const all = await analysis({ ...side.everything });
      const walked = await walkPages(async (cursor) => analysis({ ...side.everything, limit: 1, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toEqual(all.items);
      expect(walked.pages).toBe(3);
    });

    it('answers an empty page for an empty window and 400 for filters SQL spans do not have', async () => {
      expect((await analysis({ from: '2001-01-01', to: '2001-01-02' })).items).toEqual([]);
      for (const name of ['model', 'provider', 'call_type', 'function', 'tag']) {
        expect(await side.get('/api/v1/sql-queries/analysis', { [name]: 'x' })).toMatchObject({
          status: 400,
          body: { error: { code: 'invalid_parameter', parameter: name, message: `unknown parameter ${name}` } },
        });
      }
    });
  });
}
