// GET /errors and /sql-queries/analysis over windows longer than 48 hours, which read rollups
// (steps and LLM calls by hour and day for the rates, sql_hourly and sql_daily for statements)
// plus raw rows for the partial hours at the windows' ends: against figures computed from the
// planned traffic and against the same question answered from raw rows (mode exact). Counts
// exactly; statement percentiles within 1% (the fine histograms' bound; the goal is 2%).
// Shared by the PostgreSQL and PGlite test files.
import { createReadDb, getErrorAnalysis, getSqlAnalysis } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { errorAnalysisResponse } from '../../src/routes/errors.js';
import { sqlAnalysisResponse } from '../../src/routes/sql-analysis.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, type ConversationFact } from '../helpers/expected.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';
import { planTraffic } from '../helpers/traffic.js';
import { expectedErrors, expectErrorAnswer } from './errors-suite.js';
import { expectedStatements } from './sql-analysis-suite.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The fine histograms' bound (1%), plus float noise. */
const BOUND = 0.01 + 1e-9;

type Window = { readonly from: string; readonly to: string };
type SqlAnswer = ReturnType<typeof sqlAnalysisResponse.parse>;

function relativeError(estimate: number | null, exact: number | null): number {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function describeErrorSqlRollups(kind: StoreKind): void {
  describe(`errors and SQL statements over windows longer than 48 hours, from rollups (${kind})`, () => {
    // A conversation every ~40 minutes over 100 hours: every shape of planTraffic (failed calls,
    // steps and SQL queries, four error messages, three statements) across days.
    const side = useReadSide(kind, { plan: (nowMs) => planTraffic({ seed: 29, count: 150, fromMs: nowMs - 100 * HOUR, toMs: nowMs - HOUR }) });
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    /**
     * Windows over days that start a second before a conversation in its hour's first 40
     * minutes and end 15 minutes after another's start in the same way: both partial hours at
     * the ends hold a conversation (read from raw rows). The first starts and ends mid-hour; the
     * second starts on a whole hour.
     */
    function windows(): { cut: Window; fromHour: Window } {
      const early = (ms: number) => ms % HOUR < 40 * MINUTE && ms % HOUR > MINUTE;
      const starts = side.plan.map((c) => c.startMs);
      const first = starts.slice(3).find(early)!;
      const last = [...starts.slice(0, -3)].reverse().find(early)!;
      const second = starts.slice(20).find(early)!;
      return {
        cut: { from: iso(first - 1000), to: iso(last + 15 * MINUTE) },
        fromHour: { from: iso(Math.floor(second / HOUR) * HOUR), to: iso(last + 15 * MINUTE) },
      };
    }

    async function errors(query: Record<string, string | number>) {
      const { status, body } = await side.get('/api/v1/errors', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return errorAnalysisResponse.parse(body);
    }

    async function statements(query: Record<string, string | number>): Promise<SqlAnswer> {
      const { status, body } = await side.get('/api/v1/sql-queries/analysis', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return sqlAnalysisResponse.parse(body);
    }

    const exactErrors = (window: Window, filters = {}) => getErrorAnalysis(createReadDb(side.testStore.store), { ...window, filters }, { mode: 'exact' });
    const exactStatements = (window: Window, params: { system?: string; filters?: Record<string, string> } = {}) =>
      getSqlAnalysis(createReadDb(side.testStore.store), { ...window, ...params, limit: 1000 }, { mode: 'exact' });

    it('plans windows over days whose partial end hours hold traffic', () => {
      for (const [name, window] of Object.entries(windows())) {
        expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
        const calls = facts().flatMap((f) => f.calls).filter((c) => isInWindow(c.startMs, window));
        // The second window starts on a whole hour: no partial hour there.
        expect(calls.some((c) => c.startMs < Math.ceil(Date.parse(window.from) / HOUR) * HOUR)).toBe(name === 'cut');
        expect(calls.some((c) => c.startMs >= Math.floor(Date.parse(window.to) / HOUR) * HOUR)).toBe(true);
      }
    });

    it.each(['cut', 'fromHour'] as const)('answers /errors over the %s window exactly: rates by step and model, patterns', async (name) => {
      const window = windows()[name];
      const answer = await errors(window);
      const expected = expectedErrors(facts(), window);
      expect(expected.by_step.reduce((n, s) => n + s.failures, 0)).toBeGreaterThan(5);
      expect(expected.patterns.length).toBeGreaterThanOrEqual(3);
      expectErrorAnswer(answer, expected);
      expect(answer.approximate).toEqual([]);
      const exact = await exactErrors(window);
      expect(answer).toEqual({ ...exact, approximate: [] });
    });

    it('counts the occurrences a window cuts (a failing turn across its start or end) from their rows inside it, as the raw rows do', async () => {
      // Failing turns whose failing step starts after the turn: a window edge between the two
      // holds one of the occurrence's rows and not the other.
      const failing = facts()
        .flatMap((f) => f.steps)
        .filter((s) => s.step.error !== undefined && s.startMs > s.turn.startMs);
      const first = failing.find((s) => s.startMs > side.plan[0]!.startMs + 10 * HOUR)!;
      const last = [...failing].reverse().find((s) => s.startMs < side.plan.at(-1)!.startMs - 10 * HOUR)!;
      const window = { from: iso(first.startMs), to: iso(last.startMs) };
      expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
      const { rows: [cut] } = await side.testStore.store.withClient((client) => client.query(
        `SELECT count(*) FILTER (WHERE first_started_at < $1 AND last_started_at >= $1)::int AS at_start,
                count(*) FILTER (WHERE first_started_at < $2 AND last_started_at >= $2)::int AS at_end FROM error_occurrences`,
        [window.from, window.to],
      ));
      expect(cut).toEqual({ at_start: 1, at_end: 1 });
      const answer = await errors(window);
      expectErrorAnswer(answer, expectedErrors(facts(), window));
      expect(answer).toEqual(await exactErrors(window));
      // Examples beyond the default three, and none.
      for (const examples of [20, 0]) {
        const many = await getErrorAnalysis(createReadDb(side.testStore.store), { ...window, examples }, { mode: 'rollups' });
        expect(many).toEqual(await getErrorAnalysis(createReadDb(side.testStore.store), { ...window, examples }, { mode: 'exact' }));
      }
    });

    it('answers /errors with filters as the raw rows do: provider (rates by model) from rollups, others from raw rows', async () => {
      const { cut } = windows();
      const filterSets: Record<string, string>[] = [{ provider: 'openai' }, { service: 'read-side-test' }, { model: 'gpt-4o' }];
      for (const filters of filterSets) {
        const answer = await errors({ ...cut, ...filters });
        expect(answer.by_model.length, JSON.stringify(filters)).toBeGreaterThan(0);
        expect(answer, JSON.stringify(filters)).toEqual(await exactErrors(cut, filters));
      }
      const support = (f: ConversationFact) => f.conversation.agentName === 'support' && f.conversation.end !== undefined;
      expectErrorAnswer(await errors({ ...cut, agent: 'support' }), expectedErrors(facts().filter(support), cut));
      expectErrorAnswer(await errors({ ...cut, user: 'user-3' }), expectedErrors(facts().filter((f) => f.conversation.userId === 'user-3'), cut));
    });

    function expectStatements(answer: SqlAnswer, window: Window, keep: (f: ReturnType<typeof facts>[number]['queries'][number]) => boolean = () => true): void {
      const expected = expectedStatements(facts().flatMap((f) => f.queries).filter((q) => isInWindow(q.startMs, window) && keep(q)));
      expect(expected.length).toBe(3);
      expect(expected.every((e) => e.count >= 10)).toBe(true);
      expect(answer.items.map((i) => [i.statement, i.system, i.count, i.errors, i.total_ms, i.max_ms, i.rows])).toEqual(
        expected.map((e) => [e.statement, 'postgresql', e.count, e.errors, e.total, e.max, e.rows]),
      );
      for (const [i, item] of answer.items.entries()) {
        expect(item.error_rate).toBeCloseTo(expected[i]!.errors / expected[i]!.count, 12);
        expect(item.avg_ms).toBeCloseTo(expected[i]!.avg, 9);
        expect(relativeError(item.p50_ms, expected[i]!.p50), `${item.statement} p50`).toBeLessThanOrEqual(BOUND);
        expect(relativeError(item.p95_ms, expected[i]!.p95), `${item.statement} p95`).toBeLessThanOrEqual(BOUND);
      }
    }

    it.each(['cut', 'fromHour'] as const)(
      'answers /sql-queries/analysis over the %s window from rollups: counts, errors, rows and times exactly, percentiles within 1 percent',
      async (name) => {
        const window = windows()[name];
        const answer = await statements({ ...window, limit: 1000 });
        expect(answer.approximate).toEqual(['p50_ms', 'p95_ms']);
        expectStatements(answer, window);
        const exact = await exactStatements(window);
        expect(exact.approximate).toEqual([]);
        const counts = (items: SqlAnswer['items']) => items.map(({ p50_ms: _p50, p95_ms: _p95, avg_ms: _avg, ...figures }) => figures);
        expect(counts(answer.items)).toEqual(counts(exact.items));
      },
    );

    it('reads one system from rollups, and other filters exactly from raw rows', async () => {
      const { cut } = windows();
      const postgres = await statements({ ...cut, system: 'postgresql' });
      expect(postgres.approximate).toEqual(['p50_ms', 'p95_ms']);
      expectStatements(postgres, cut);
      expect(await statements({ ...cut, system: 'mysql' })).toMatchObject({ items: [], approximate: ['p50_ms', 'p95_ms'] });

      const failed = await statements({ ...cut, status: 'error' });
      expect(failed.approximate).toEqual([]);
      expect(failed.items).toEqual((await exactStatements(cut, { filters: { status: 'error' } })).items);
      const byUser = await statements({ ...cut, user: 'user-2' });
      expect(byUser.approximate).toEqual([]);
      expect(byUser.items).toEqual((await exactStatements(cut, { filters: { user: 'user-2' } })).items);
      expect(byUser.items.reduce((n, i) => n + i.count, 0)).toBe(
        facts().flatMap((f) => f.queries).filter((q) => isInWindow(q.startMs, cut) && q.turn.conversation.userId === 'user-2').length,
      );
    });

    it('reads the partial hours at the ends of a window from raw rows: counts and percentiles alike', async () => {
      // A window of nearly three hours asked in mode rollups: one whole hour, and the 59 minutes
      // on either side of it from raw rows, chosen where those hold the most SQL spans.
      const queries = facts().flatMap((f) => f.queries);
      const windowAt = (hour: number): Window => ({ from: iso(hour + MINUTE), to: iso(hour + 3 * HOUR - MINUTE) });
      const inEdges = (hour: number) =>
        queries.filter((q) => isInWindow(q.startMs, windowAt(hour)) && (q.startMs < hour + HOUR || q.startMs >= hour + 2 * HOUR)).length;
      const hour = queries.map((q) => Math.floor(q.startMs / HOUR) * HOUR).reduce((best, h) => (inEdges(h) > inEdges(best) ? h : best));
      expect(inEdges(hour)).toBeGreaterThanOrEqual(4);
      const window = windowAt(hour);
      const db = createReadDb(side.testStore.store);
      const fromRollups = await getSqlAnalysis(db, { ...window, limit: 1000 }, { mode: 'rollups' });
      const exact = await exactStatements(window);
      expect(fromRollups.approximate).toEqual(['p50_ms', 'p95_ms']);
      expect(fromRollups.items.map((i) => [i.statement, i.count, i.errors, i.total_ms, i.max_ms, i.rows])).toEqual(
        exact.items.map((i) => [i.statement, i.count, i.errors, i.total_ms, i.max_ms, i.rows]),
      );
      for (const [i, item] of fromRollups.items.entries()) {
        expect(relativeError(item.p50_ms, exact.items[i]!.p50_ms)).toBeLessThanOrEqual(BOUND);
        expect(relativeError(item.p95_ms, exact.items[i]!.p95_ms)).toBeLessThanOrEqual(BOUND);
      }
      expect(await getErrorAnalysis(db, window, { mode: 'rollups' })).toEqual(await exactErrors(window));
    });

    it('walks the rollups’ pages to the end, every statement once and in order', async () => {
      const { cut } = windows();
      const all = await statements({ ...cut });
      const walked = await walkPages(async (cursor) => statements({ ...cut, limit: 1, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toEqual(all.items);
      expect(walked.pages).toBe(3);
    });
  });
}
