// GET /api/v1/costs against spend computed from the planned traffic: turn sums for user,
// session and agent; LLM calls plus priced STT/TTS steps for model and provider; per-day
// series in UTC and in another time zone. Shared by the PostgreSQL and PGlite files.
import { GROUP_BYS, type GroupBy } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { costsResponse } from '../../src/routes/costs.js';
import type { StoreKind } from '../helpers/databases.js';
import { ALL_CALLS, costRows, expectFigures, figuresOf, localDate, type CostsAnswer } from '../helpers/cost-facts.js';
import { conversationFacts, isInWindow, sum, type ConversationFact } from '../helpers/expected.js';
import { compareKeys, groupBy } from '../helpers/grouping.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';
import type { PlannedCall } from '../helpers/traffic.js';

type Answer = CostsAnswer;

export function describeCosts(kind: StoreKind): void {
  describe(`GET /api/v1/costs (${kind})`, () => {
    const side = useReadSide(kind);
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    async function costs(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/costs', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return costsResponse.parse(body);
    }

    function expectedFor(
      by: GroupBy,
      window: { from: string; to: string },
      options: { keep?: (c: ConversationFact) => boolean; keepCall?: (call: PlannedCall) => boolean } = {},
    ) {
      const rows = costRows(facts().filter(options.keep ?? (() => true)), by, options.keepCall ?? ALL_CALLS).filter((r) => isInWindow(r.startMs, window));
      return [...groupBy(rows, (r) => r.key)]
        .map(([key, group]) => ({ key, rows: group, ...figuresOf(group) }))
        .sort((a, b) => b.cost_usd - a.cost_usd || compareKeys(b.key, a.key));
    }

    function expectItems(items: Answer['items'], expected: ReturnType<typeof expectedFor>): void {
      expect(items.map((i) => i.key)).toEqual(expected.map((e) => e.key));
      for (const [i, item] of items.entries()) expectFigures(item, expected[i]!, String(item.key));
    }

    for (const by of GROUP_BYS) {
      it(`answers the window's spend by ${by}`, async () => {
        const answer = await costs({ ...side.everything, by, limit: 1000 });
        expect(answer).toMatchObject({ by, interval: null, tz: 'UTC', window: side.everything, next_cursor: null });
        expectItems(answer.items, expectedFor(by, side.everything));
        expect(answer.items.every((i) => i.series === undefined)).toBe(true);
      });
    }

    it('files STT and TTS spend under their provider and model, adding up to the whole spend', async () => {
      const byProvider = await costs({ ...side.everything, by: 'provider', limit: 1000 });
      expect(byProvider.items.map((i) => i.key).sort()).toEqual(['anthropic', 'deepgram', 'elevenlabs', 'openai']);
      const whole = facts().flatMap((c) => c.turns);
      expect(sum(byProvider.items.map((i) => i.cost_usd))).toBeCloseTo(sum(whole.map((t) => t.costUsd)), 9);
      const byUser = await costs({ ...side.everything, by: 'user', limit: 1000 });
      expect(sum(byUser.items.map((i) => i.cost_usd))).toBeCloseTo(sum(whole.map((t) => t.costUsd)), 9);
      expect(sum(byUser.items.map((i) => i.stt_cost_usd))).toBeCloseTo(sum(byProvider.items.map((i) => i.stt_cost_usd)), 9);
    });

    it('adds a per-day series, every UTC day of the window, empty days as 0', async () => {
      const answer = await costs({ ...side.everything, by: 'model', interval: 'day', limit: 1000 });
      const expected = expectedFor('model', side.everything);
      expectItems(answer.items, expected);
      expect(localDate(Date.parse(side.everything.from), 'UTC')).not.toBe(localDate(Date.parse(side.everything.to), 'UTC'));
      for (const [i, item] of answer.items.entries()) {
        const series = item.series!;
        const first = localDate(Date.parse(side.everything.from), 'UTC');
        expect(series[0]!.t).toBe(`${first}T00:00:00.000000Z`);
        expect(series.map((p) => p.t)).toEqual([...series.map((p) => p.t)].sort());
        expect(localDate(Date.parse(series.at(-1)!.t), 'UTC')).toBe(localDate(Date.parse(side.everything.to) - 1, 'UTC'));
        const byDay = groupBy(expected[i]!.rows, (r) => localDate(r.startMs, 'UTC'));
        for (const point of series) expectFigures(point, figuresOf(byDay.get(localDate(Date.parse(point.t), 'UTC')) ?? []), `${item.key} ${point.t}`);
      }
    });

    it('puts the days of the series in tz', async () => {
      const tz = 'America/New_York';
      const answer = await costs({ ...side.everything, by: 'provider', interval: 'day', tz, limit: 1000 });
      expect(answer.tz).toBe(tz);
      const expected = expectedFor('provider', side.everything);
      for (const [i, item] of answer.items.entries()) {
        const byDay = groupBy(expected[i]!.rows, (r) => localDate(r.startMs, tz));
        const dates = item.series!.map((p) => localDate(Date.parse(p.t), tz));
        expect(dates[0]).toBe(localDate(Date.parse(side.everything.from), tz));
        expect(dates.at(-1)).toBe(localDate(Date.parse(side.everything.to) - 1, tz));
        expect(new Set(dates).size).toBe(dates.length);
        for (const point of item.series!) {
          // Each point starts at a local midnight.
          expect(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(point.t))).toBe('00:00');
          expectFigures(point, figuresOf(byDay.get(localDate(Date.parse(point.t), tz)) ?? []), `${item.key} ${point.t}`);
        }
      }
    });

    it('narrows to filters: a call-only filter keeps no step, a provider filter keeps steps of that provider', async () => {
      const answered = await costs({ ...side.everything, by: 'provider', function: 'answer', limit: 1000 });
      expect(answered.items.map((i) => i.key).sort()).toEqual(['anthropic', 'openai']);
      expectItems(answered.items, expectedFor('provider', side.everything, { keepCall: (call) => call.functionName === 'answer' }));
      const deepgram = await costs({ ...side.everything, by: 'model', provider: 'deepgram' });
      expect(deepgram.items.map((i) => i.key)).toEqual(['nova-3']);
      const support = (c: ConversationFact) => c.conversation.agentName === 'support' && c.conversation.end !== undefined;
      expectItems((await costs({ ...side.everything, by: 'user', agent: 'support', limit: 1000 })).items, expectedFor('user', side.everything, { keep: support }));
    });

    it('walks a cursor to the end, every group once and in order; refuses a cursor of another grouping', async () => {
      const all = await costs({ ...side.everything, by: 'session', limit: 1000 });
      const walked = await walkPages(async (cursor) => costs({ ...side.everything, by: 'session', limit: 3, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toEqual(all.items);
      const first = await costs({ ...side.everything, by: 'session', limit: 3 });
      const foreign = await side.get('/api/v1/costs', { ...side.everything, by: 'user', cursor: first.next_cursor! });
      expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'cursor' } } });
    });

    it('answers an empty page for an empty window and 400 for an unknown grouping, interval or zone', async () => {
      expect((await costs({ from: '2001-01-01', to: '2001-01-02', interval: 'day' })).items).toEqual([]);
      for (const [name, value] of [['by', 'color'], ['interval', 'hour'], ['tz', 'Mars/Olympus']] as const) {
        expect(await side.get('/api/v1/costs', { [name]: value })).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: name } } });
      }
    });
  });
}
