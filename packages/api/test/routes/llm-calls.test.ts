// GET /api/v1/llm-calls against the planned traffic: every filter, conversation, trace and
// parent span, three orderings, cursors walked to the end.
import { describe, expect, it } from 'vitest';
import { llmCallSchema } from '../../src/item-schemas.js';
import { pageOf } from '../../src/schemas.js';
import { conversationFacts, isInWindow, type CallFact } from '../helpers/expected.js';
import { walkPages } from '../helpers/pages.js';
import { useReadSide } from '../helpers/read-side.js';

const pageSchema = pageOf(llmCallSchema);
type Item = ReturnType<typeof pageSchema.parse>['items'][number];

describe('GET /api/v1/llm-calls', () => {
  const side = useReadSide('postgres');
  const callFacts = (): CallFact[] => side.plan.map(conversationFacts).flatMap((c) => c.calls);

  async function list(query: Record<string, string | number>) {
    const { status, body } = await side.get('/api/v1/llm-calls', query);
    expect(status, JSON.stringify(body)).toBe(200);
    return pageSchema.parse(body);
  }

  /** What identifies a planned call in an answer: conversation, start, requested model. */
  const identity = (item: Item) => [item.conversation_id, Date.parse(item.started_at), item.request_model];
  const factIdentity = (fact: CallFact) => [fact.turn.conversation.conversationId, fact.startMs, fact.call.model];
  const newestFirst = (facts: CallFact[]) => [...facts].sort((a, b) => b.startMs - a.startMs);

  it('lists every call of the window, newest first, with its figures', async () => {
    const page = await list({ ...side.everything, limit: 1000 });
    const expected = newestFirst(callFacts());
    expect(page.next_cursor).toBeNull();
    expect(page.items.map(identity)).toEqual(expected.map(factIdentity));
    for (const [i, item] of page.items.entries()) {
      const { call } = expected[i]!;
      expect(item).toMatchObject({
        provider: call.provider,
        response_model: call.error === undefined ? `${call.model}-2026` : null,
        call_type: call.callType,
        function_name: call.functionName,
        status: call.error === undefined ? 'ok' : 'error',
        error_message: call.error ?? null,
        duration_ms: call.durationMs,
        ttft_ms: call.ttftMs ?? null,
        billing: 'call',
      });
      if (call.error === undefined) expect(item).toMatchObject({ input_tokens: call.inputTokens, output_tokens: call.outputTokens, cache_read_tokens: call.cacheReadTokens || null });
      expect(item.cost_usd ?? 0).toBeCloseTo(call.costUsd, 9);
    }
  });

  for (const [sort, order] of [
    ['recent', (a: CallFact, b: CallFact) => b.startMs - a.startMs],
    ['slowest', (a: CallFact, b: CallFact) => b.call.durationMs - a.call.durationMs],
  ] as const) {
    it(`walks a ${sort} cursor to the end, every call once and in order`, async () => {
      const walked = await walkPages(async (cursor) => list({ ...side.everything, sort, limit: 7, ...(cursor === undefined ? {} : { cursor }) }));
      expect(walked.items).toHaveLength(callFacts().length);
      expect(new Set(walked.items.map((c) => `${c.trace_id}/${c.span_id}`)).size).toBe(callFacts().length);
      // Ties (equal durations) may come in either order; the sort key must not go backwards.
      const keys = walked.items.map((c) => (sort === 'recent' ? Date.parse(c.started_at) : c.duration_ms));
      expect(keys).toEqual([...callFacts()].sort(order).map((c) => (sort === 'recent' ? c.startMs : c.call.durationMs)));
    });
  }

  it('walks a costliest cursor to the end, failed (unpriced) calls last', async () => {
    const walked = await walkPages(async (cursor) => list({ ...side.everything, sort: 'costliest', limit: 13, ...(cursor === undefined ? {} : { cursor }) }));
    const costs = walked.items.map((c) => c.cost_usd ?? -1);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(walked.items).toHaveLength(callFacts().length);
    expect(new Set(walked.items.map((c) => `${c.trace_id}/${c.span_id}`)).size).toBe(callFacts().length);
  });

  it('filters by every call filter, conversation, trace and window', async () => {
    const ids = async (query: Record<string, string | number>) => (await list({ ...side.everything, limit: 1000, ...query })).items.map(identity);
    const expectIds = (keep: (fact: CallFact) => boolean) => newestFirst(callFacts().filter(keep)).map(factIdentity);
    expect(await ids({ function: 'classify_intent' })).toEqual(expectIds((c) => c.call.functionName === 'classify_intent'));
    expect(await ids({ call_type: 'chat', provider: 'anthropic' })).toEqual(expectIds((c) => c.call.callType === 'chat' && c.call.provider === 'anthropic'));
    expect(await ids({ status: 'error' })).toEqual(expectIds((c) => c.call.error !== undefined));
    expect(await ids({ model: 'gpt-4o' })).toEqual(expectIds((c) => c.call.model === 'gpt-4o'));
    expect(await ids({ user: 'user-3', tag: 'router' })).toEqual(expectIds((c) => c.turn.conversation.userId === 'user-3' && c.call.tags.includes('router')));
    expect(await ids({ 'attr.company_id': 'acme' })).toEqual(expectIds((c) => c.call.attributes['company_id'] === 'acme'));
    expect(await ids({ conversation: 'conv-007' })).toEqual(expectIds((c) => c.turn.conversation.conversationId === 'conv-007'));
    const day = await list({ hours: 24, to: side.everything.to, limit: 1000 });
    const dayWindow = { from: new Date(Date.parse(side.everything.to) - 86_400_000).toISOString(), to: side.everything.to };
    expect(day.items.length).toBeGreaterThan(0);
    expect(day.items.map(identity)).toEqual(expectIds((c) => isInWindow(c.startMs, dayWindow)));
  });

  it('finds the calls of a trace and the calls nested in one parent span (seed 002)', async () => {
    const all = (await list({ ...side.everything, limit: 1000 })).items;
    const second = all.find((c) => c.function_name === 'classify_intent')!;
    const facts = callFacts();
    const fact = facts.find((f) => f.startMs === Date.parse(second.started_at))!;
    const siblings = facts.filter((f) => f.step === fact.step);
    expect(siblings.length).toBe(2);
    const nested = await list({ ...side.everything, parent_span_id: second.parent_span_id!.toUpperCase() });
    expect(nested.items.map(identity)).toEqual(newestFirst(siblings).map(factIdentity));
    expect(new Set(nested.items.map((c) => c.parent_span_id))).toEqual(new Set([second.parent_span_id]));
    const turnCalls = facts.filter((f) => f.turn === fact.turn);
    const traced = await list({ ...side.everything, trace_id: second.trace_id.toUpperCase() });
    expect(traced.items.map(identity)).toEqual(newestFirst(turnCalls).map(factIdentity));
    expect((await list({ ...side.everything, parent_span_id: '0000000000000000' })).items).toEqual([]);
  });

  it('answers an empty page for an empty window and refuses a cursor of another ordering', async () => {
    expect(await list({ from: '2001-01-01', to: '2001-01-02' })).toEqual({ items: [], next_cursor: null });
    const first = await list({ ...side.everything, limit: 2 });
    const foreign = await side.get('/api/v1/llm-calls', { ...side.everything, sort: 'slowest', cursor: first.next_cursor! });
    expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'cursor' } } });
  });
});
