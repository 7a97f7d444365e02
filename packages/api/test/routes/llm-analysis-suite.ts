// GET /api/v1/llm-calls/analysis against figures computed from the planned traffic, for every
// grouping. Shared by the PostgreSQL and PGlite files.
import { GROUP_BYS, type GroupBy } from '@convotel/query';
import { describe, expect, it } from 'vitest';
import { llmAnalysisResponse } from '../../src/routes/llm-analysis.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, percentileCont, sum, type CallFact } from '../helpers/expected.js';
import { average, compareKeys, groupBy } from '../helpers/grouping.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';

type Answer = ReturnType<typeof llmAnalysisResponse.parse>;

/** The group of a planned call; the model is the one that answered (`<model>-2026`), else the one requested (a failed call). */
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

export function describeLlmAnalysis(kind: StoreKind): void {
  describe(`GET /api/v1/llm-calls/analysis (${kind})`, () => {
    const side = useReadSide(kind);
    const callFacts = (): CallFact[] => side.plan.map(conversationFacts).flatMap((c) => c.calls);

    async function analysis(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/llm-calls/analysis', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return llmAnalysisResponse.parse(body);
    }

    /** Groups most calls first, ties by key descending (the unknown key last). */
    function expectedFor(groupBy_: GroupBy, window: { from: string; to: string }, keep: (fact: CallFact) => boolean = () => true) {
      const facts = callFacts().filter((c) => isInWindow(c.startMs, window) && keep(c));
      return [...groupBy(facts, KEY_OF[groupBy_])]
        .map(([key, group]) => {
          const latencies = group.map((c) => c.call.durationMs);
          return {
            key,
            calls: group.length,
            errors: group.filter((c) => c.call.error !== undefined).length,
            input_tokens: sum(group.map((c) => c.call.inputTokens)),
            output_tokens: sum(group.map((c) => c.call.outputTokens)),
            cache_read_tokens: sum(group.map((c) => c.call.cacheReadTokens)),
            cost_usd: sum(group.map((c) => c.call.costUsd)),
            avg_latency_ms: average(latencies),
            p50_latency_ms: percentileCont(latencies, 0.5),
            p95_latency_ms: percentileCont(latencies, 0.95),
            avg_ttft_ms: average(group.flatMap((c) => (c.call.ttftMs === undefined ? [] : [c.call.ttftMs]))),
          };
        })
        .sort((a, b) => b.calls - a.calls || compareKeys(b.key, a.key));
    }

    function expectItems(items: Answer['items'], expected: ReturnType<typeof expectedFor>): void {
      expect(items.map((i) => [i.key, i.calls, i.errors, i.input_tokens, i.output_tokens, i.cache_read_tokens])).toEqual(
        expected.map((e) => [e.key, e.calls, e.errors, e.input_tokens, e.output_tokens, e.cache_read_tokens]),
      );
      for (const [i, item] of items.entries()) {
        const fact = expected[i]!;
        expect(item.error_rate).toBeCloseTo(fact.errors / fact.calls, 12);
        expect(item.cost_usd).toBeCloseTo(fact.cost_usd, 9);
        for (const name of ['avg_latency_ms', 'p50_latency_ms', 'p95_latency_ms', 'avg_ttft_ms'] as const) {
          if (fact[name] === null) expect(item[name], `${item.key} ${name}`).toBeNull();
          else expect(item[name], `${item.key} ${name}`).toBeCloseTo(fact[name]!, 6);
        }
      }
    }

    for (const groupBy_ of GROUP_BYS) {
      it(`answers the window's calls grouped by ${groupBy_}`, async () => {
        const answer = await analysis({ ...side.everything, group_by: groupBy_, limit: 1000 });
        expect(answer.group_by).toBe(groupBy_);
        expect(answer.window).toEqual(side.everything);
        expect(answer.next_cursor).toBeNull();
        expectItems(answer.items, expectedFor(groupBy_, side.everything));
      });
    }

    it('groups by model by default: the response model, else the model a failed call asked for', async () => {
      const answer = await analysis({ ...side.everything, limit: 1000 });
      expect(answer.group_by).toBe('model');
      expect(answer.approximate).toEqual([]);
      const expected = expectedFor('model', side.everything);
      expect(expected.some((e) => e.key === 'gpt-4o-2026' && e.errors === 0)).toBe(true);
      expect(expected.some((e) => e.key === 'gpt-4o' && e.errors === e.calls)).toBe(true);
      expect(expected.some((e) => e.avg_ttft_ms !== null && e.cache_read_tokens > 0)).toBe(true);
      expectItems(answer.items, expected);
    });

    it('answers the default 24-hour window and narrows to filters', async () => {
      const day = await analysis({ group_by: 'provider' });
      expectItems(day.items, expectedFor('provider', day.window));
      // The response model matches the successful calls only, which answer under it.
      const model = await analysis({ ...side.everything, model: 'gpt-4o-2026' });
      expectItems(model.items, expectedFor('model', side.everything, (c) => c.call.model === 'gpt-4o' && c.call.error === undefined));
      const tagged = await analysis({ ...side.everything, tag: 'router', group_by: 'function' });
      expectItems(tagged.items, expectedFor('function', side.everything, (c) => c.call.tags.includes('router')));
      const task = await analysis({ ...side.everything, 'attr.task_id': 'task-1', group_by: 'user' });
      expectItems(task.items, expectedFor('user', side.everything, (c) => c.call.attributes['task_id'] === 'task-1'));
      const failed = await analysis({ ...side.everything, status: 'error', group_by: 'agent' });
      expectItems(failed.items, expectedFor('agent', side.everything, (c) => c.call.error !== undefined));
    });

    it('walks a cursor to the end, every group once and in order; refuses a cursor of another grouping', async () => {
      const all = await analysis({ ...side.everything, group_by: 'session', limit: 1000 });
      const walked = await walkPages(async (cursor) => analysis({ ...side.everything, group_by: 'session', limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toEqual(all.items);
      expect(walked.pages).toBe(Math.ceil(all.items.length / 2));
      const first = await analysis({ ...side.everything, group_by: 'session', limit: 2 });
      const foreign = await side.get('/api/v1/llm-calls/analysis', { ...side.everything, group_by: 'user', cursor: first.next_cursor! });
      expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'cursor' } } });
    });

    it('answers an empty page for an empty window and 400 for an unknown grouping', async () => {
      expect((await analysis({ from: '2001-01-01', to: '2001-01-02' })).items).toEqual([]);
      const bad = await side.get('/api/v1/llm-calls/analysis', { group_by: 'color' });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'group_by' } } });
    });
  });
}
