// GET /api/v1/compare: turn and step durations of two windows computed from the planned
// traffic, with their differences. Shared by the PostgreSQL and PGlite files.
import { describe, expect, it } from 'vitest';
import { compareResponse } from '../../src/routes/compare.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, type ConversationFact } from '../helpers/expected.js';
import { average, groupBy } from '../helpers/grouping.js';
import { useReadSide } from '../helpers/read-side.js';

type Answer = ReturnType<typeof compareResponse.parse>;
type Window = { from: string; to: string };

function durationsOf(values: readonly number[]) {
  return { count: values.length, avg_ms: average(values), p50_ms: percentileCont(values, 0.5), p95_ms: percentileCont(values, 0.95) };
}

function expectClose(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) expect(actual, label).toBeNull();
  else expect(actual, label).toBeCloseTo(expected, 6);
}

/** Checks before/after figures and that the deltas are after − before, in ms and percent. */
function expectComparison(actual: Answer['turns'], before: number[], after: number[], label: string): void {
  const expected = { before: durationsOf(before), after: durationsOf(after) };
  for (const side of ['before', 'after'] as const) {
    expect(actual[side].count, `${label} ${side} count`).toBe(expected[side].count);
    for (const name of ['avg_ms', 'p50_ms', 'p95_ms'] as const) expectClose(actual[side][name], expected[side][name], `${label} ${side} ${name}`);
  }
  for (const [delta, name] of [['avg', 'avg_ms'], ['p50', 'p50_ms'], ['p95', 'p95_ms']] as const) {
    const b = expected.before[name];
    const a = expected.after[name];
    expectClose(actual.delta_ms[delta], a === null || b === null ? null : a - b, `${label} delta_ms ${delta}`);
    expectClose(actual.delta_pct[delta], a === null || b === null || b === 0 ? null : ((a - b) / b) * 100, `${label} delta_pct ${delta}`);
  }
}

export function describeCompare(kind: StoreKind): void {
  describe(`GET /api/v1/compare (${kind})`, () => {
    const side = useReadSide(kind);
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    async function compare(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/compare', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return compareResponse.parse(body);
    }

    function expectAnswer(answer: Answer, before: Window, after: Window, keep: (c: ConversationFact) => boolean = () => true, step?: string): void {
      const kept = facts().filter(keep);
      const turnDurations = (w: Window) => kept.flatMap((c) => c.turns).filter((t) => isInWindow(t.startMs, w)).map((t) => t.durationMs);
      expect(answer.windows).toEqual({ before, after });
      expectComparison(answer.turns, turnDurations(before), turnDurations(after), 'turns');
      const steps = kept.flatMap((c) => c.steps).filter((s) => step === undefined || s.step.name === step);
      const byName = (w: Window) => groupBy(steps.filter((s) => isInWindow(s.startMs, w)), (s) => s.step.name);
      const beforeSteps = byName(before);
      const afterSteps = byName(after);
      const names = [...new Set([...beforeSteps.keys(), ...afterSteps.keys()])].sort();
      expect(answer.steps.map((s) => s.step)).toEqual(names);
      for (const item of answer.steps) {
        const durations = (groups: Map<string, typeof steps>) => (groups.get(item.step) ?? []).map((s) => s.step.durationMs);
        expectComparison(item, durations(beforeSteps), durations(afterSteps), item.step);
      }
      expect(answer.truncated).toBe(false);
    }

    /** Windows cut between conversations: the plan's first half against its second. */
    const halves = (): { before: Window; after: Window } => {
      const middle = new Date(side.plan[20]!.startMs - 60_000).toISOString();
      return { before: { from: side.everything.from, to: middle }, after: { from: middle, to: side.everything.to } };
    };

    it('compares turn and step durations of two windows: count, average, exact p50/p95, deltas in ms and %', async () => {
      const { before, after } = halves();
      const answer = await compare({ before_from: before.from, before_to: before.to, after_from: after.from, after_to: after.to });
      expect(answer.turns.before.count).toBeGreaterThan(20);
      expect(answer.turns.after.count).toBeGreaterThan(20);
      expectAnswer(answer, before, after);
    });

    it('by default compares the last 24 hours with the 24 before, and a before window with one end given', async () => {
      const answer = await compare({});
      const after = answer.windows.after;
      expect(Date.parse(after.to) - Date.parse(after.from)).toBe(24 * 3_600_000);
      const before = { from: new Date(Date.parse(after.from) - 24 * 3_600_000).toISOString(), to: after.from };
      expectAnswer(answer, before, after);
      const { after: second } = halves();
      const longBefore = { from: side.everything.from, to: second.from };
      const oneEnd = await compare({ after_from: second.from, after_to: second.to, before_from: longBefore.from });
      expectAnswer(oneEnd, longBefore, second);
      const sameLength = await compare({ hours: 12, after_to: second.to });
      const twelve = 12 * 3_600_000;
      expectAnswer(
        sameLength,
        { from: new Date(Date.parse(second.to) - 2 * twelve).toISOString(), to: new Date(Date.parse(second.to) - twelve).toISOString() },
        { from: new Date(Date.parse(second.to) - twelve).toISOString(), to: second.to },
      );
    });

    it('narrows to one step and to a filter; an empty window compares as nothing', async () => {
      const { before, after } = halves();
      const windows = { before_from: before.from, before_to: before.to, after_from: after.from, after_to: after.to };
      expectAnswer(await compare({ ...windows, step: 'llm' }), before, after, () => true, 'llm');
      expectAnswer(await compare({ ...windows, channel: 'voice' }), before, after, (c) => c.conversation.channel === 'voice' && c.conversation.end !== undefined);
      const empty = await compare({ before_from: '2001-01-01', before_to: '2001-01-02', after_from: after.from, after_to: after.to });
      expect(empty.turns.before).toEqual({ count: 0, avg_ms: null, p50_ms: null, p95_ms: null });
      expect(empty.turns.delta_ms).toEqual({ avg: null, p50: null, p95: null });
      expect(empty.turns.delta_pct).toEqual({ avg: null, p50: null, p95: null });
      expectAnswer(empty, { from: '2001-01-01T00:00:00.000Z', to: '2001-01-02T00:00:00.000Z' }, after);
    });

    it('answers 400 naming the window parameter that is wrong', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ before_from: '2026-01-02T00:00:00Z', before_to: '2026-01-01T00:00:00Z' }, 'before_from'],
        [{ after_from: '2026-01-02T00:00:00Z', after_to: '2026-01-01T00:00:00Z' }, 'after_from'],
        [{ before_from: '2026-01-01T00:00:00Z', before_to: '2026-06-01T00:00:00Z' }, 'before_from'],
        [{ after_to: 'yesterday' }, 'after_to'],
        [{ before_to: '2026-13-01' }, 'before_to'],
        [{ hours: '24', after_from: '2026-01-01T00:00:00Z', after_to: '2026-01-02T00:00:00Z' }, 'hours'],
        [{ hours: '0' }, 'hours'],
      ];
      for (const [query, parameter] of cases) {
        const { status, body } = await side.get('/api/v1/compare', query);
        expect(status, JSON.stringify(query)).toBe(400);
        expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter } });
      }
    });
  });
}
