// GET /costs over windows longer than 48 hours, which read the cost rollups: against spend
// computed from the planned traffic (windows that start and end mid-hour with turns, calls and
// priced steps in those partial hours; each conversation's agent arriving with its conversation
// span, after its turns and calls) and against the same question answered exactly from raw rows.
// Every figure must be equal, conversations included (no planned conversation is idle under a
// key across a whole window). Shared by the PostgreSQL and PGlite test files.
import { createReadDb, getCosts, GROUP_BYS, type GroupBy } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { costsResponse } from '../../src/routes/costs.js';
import { ALL_CALLS, costRows, expectFigures, figuresOf, localDate, type CostsAnswer } from '../helpers/cost-facts.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, sum, type ConversationFact } from '../helpers/expected.js';
import { compareKeys, groupBy } from '../helpers/grouping.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';
import { planTraffic } from '../helpers/traffic.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Window = { readonly from: string; readonly to: string };

export function describeCostRollupWindows(kind: StoreKind): void {
  describe(`GET /costs over windows longer than 48 hours, from rollups (${kind})`, () => {
    // Voice and chat conversations (priced STT and TTS steps) over four days.
    const side = useReadSide(kind, { plan: (nowMs) => planTraffic({ seed: 37, count: 60, fromMs: nowMs - 4 * DAY, toMs: nowMs - HOUR }) });
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);
    /** From just before the first cost row to just after the last: partial hours at both ends that hold rows. */
    const allSegments = (): Window => {
      const starts = costRows(facts(), 'model', ALL_CALLS)
        .concat(costRows(facts(), 'user', ALL_CALLS))
        .map((r) => r.startMs);
      return { from: new Date(Math.min(...starts) - 1).toISOString(), to: new Date(Math.max(...starts) + 1).toISOString() };
    };

    async function costs(query: Record<string, string | number>): Promise<CostsAnswer> {
      const { status, body } = await side.get('/api/v1/costs', { limit: 1000, ...query });
      expect(status, JSON.stringify(body)).toBe(200);
      return costsResponse.parse(body);
    }

    function expectedFor(by: GroupBy, window: Window, keep: (c: ConversationFact) => boolean = () => true) {
      const rows = costRows(facts().filter(keep), by, ALL_CALLS).filter((r) => isInWindow(r.startMs, window));
      return [...groupBy(rows, (r) => r.key)]
        .map(([key, group]) => ({ key, rows: group, ...figuresOf(group) }))
        .sort((a, b) => b.cost_usd - a.cost_usd || compareKeys(b.key, a.key));
    }

    function expectItems(items: CostsAnswer['items'], expected: ReturnType<typeof expectedFor>): void {
      expect(items.map((i) => i.key)).toEqual(expected.map((e) => e.key));
      for (const [i, item] of items.entries()) expectFigures(item, expected[i]!, String(item.key));
    }

    it('has turns, calls and priced steps in the partial hours at both ends of the window, and agents known only from conversation spans', () => {
      const window = allSegments();
      expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
      const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
      expect(from % HOUR).not.toBe(0);
      for (const by of ['user', 'model'] as const) {
        const starts = costRows(facts(), by, ALL_CALLS).map((r) => r.startMs);
        expect(starts.some((t) => t >= from && t < Math.ceil(from / HOUR) * HOUR)).toBe(true);
        expect(starts.some((t) => t < to && t >= Math.floor(to / HOUR) * HOUR)).toBe(true);
      }
      expect(facts().some((c) => c.steps.some((s) => s.step.costUsd > 0))).toBe(true);
      // An agent arrives with the conversation span, which ends after the conversation's turns.
      expect(new Set(facts().map((c) => (c.conversation.end === undefined ? null : c.conversation.agentName))).size).toBe(3);
    });

    for (const by of GROUP_BYS) {
      it(`answers spend by ${by} as the plan has it and as the raw computation does, conversations listed as approximate`, async () => {
        const window = allSegments();
        const answer = await costs({ ...window, by });
        expect(answer.approximate).toEqual(['conversations']);
        const expected = expectedFor(by, window);
        expect(sum(expected.map((e) => e.conversations))).toBeGreaterThan(50);
        expectItems(answer.items, expected);

        const exact = await getCosts(createReadDb(side.testStore.store), { ...window, by, limit: 1000 }, { mode: 'exact' });
        expect(exact.approximate).toEqual([]);
        expect(answer.items.map((i) => [i.key, i.calls, i.conversations, i.input_tokens, i.output_tokens])).toEqual(
          exact.items.map((i) => [i.key, i.calls, i.conversations, i.input_tokens, i.output_tokens]),
        );
        for (const [i, item] of answer.items.entries()) expect(item.cost_usd).toBeCloseTo(exact.items[i]!.cost_usd, 9);
      });
    }

    // UTC from daily rollups, New York (whole hours from UTC) from hourly ones, Kolkata (+05:30) from raw rows.
    it.each(['UTC', 'America/New_York', 'Asia/Kolkata'])('adds a per-day series in %s, every day as the plan has it', async (tz) => {
      const window = allSegments();
      for (const by of ['model', 'agent'] as const) {
        const answer = await costs({ ...window, by, interval: 'day', tz });
        const expected = expectedFor(by, window);
        expectItems(answer.items, expected);
        for (const [i, item] of answer.items.entries()) {
          const dates = item.series!.map((p) => localDate(Date.parse(p.t), tz));
          expect(dates[0]).toBe(localDate(Date.parse(window.from), tz));
          expect(dates.at(-1)).toBe(localDate(Date.parse(window.to) - 1, tz));
          expect(dates.length).toBeGreaterThan(Math.floor((Date.parse(window.to) - Date.parse(window.from)) / DAY));
          const byDay = groupBy(expected[i]!.rows, (r) => localDate(r.startMs, tz));
          for (const point of item.series!) expectFigures(point, figuresOf(byDay.get(localDate(Date.parse(point.t), tz)) ?? []), `${tz} ${item.key} ${point.t}`);
        }
      }
    });

    it('counts the conversations of a window that starts and ends inside conversations by the rows in it', async () => {
      // From between the turns of a conversation to between those of another, over two days later.
      const splitTurns = facts().filter((c) => c.turns.length > 1);
      const [first, last] = [splitTurns[1]!, splitTurns.at(-2)!];
      const window = { from: new Date(first.turns[1]!.startMs - 1).toISOString(), to: new Date(last.turns[1]!.startMs - 1).toISOString() };
      expect(Date.parse(window.to) - Date.parse(window.from)).toBeGreaterThan(48 * HOUR);
      for (const by of ['user', 'agent', 'model', 'provider'] as const) {
        const answer = await costs({ ...window, by });
        expectItems(answer.items, expectedFor(by, window));
      }
    });

    it('pages through groups read from rollups with a cursor, every group once', async () => {
      const window = allSegments();
      const walked = await walkPages((cursor) => costs({ ...window, by: 'session', limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.pages).toBeGreaterThan(1);
      expectItems(walked.items, expectedFor('session', window));
    });

    it('answers filtered questions and windows of 48 hours or less exactly from raw rows', async () => {
      const window = allSegments();
      const support = await costs({ ...window, by: 'user', agent: 'support' });
      expect(support.approximate).toEqual([]);
      expectItems(support.items, expectedFor('user', window, (c) => c.conversation.agentName === 'support' && c.conversation.end !== undefined));
      const from = Date.parse(window.from) + DAY;
      const short = { from: new Date(from).toISOString(), to: new Date(from + 48 * HOUR).toISOString() };
      const answer = await costs({ ...short, by: 'model' });
      expect(answer.approximate).toEqual([]);
      expectItems(answer.items, expectedFor('model', short));
    });
  });
}
