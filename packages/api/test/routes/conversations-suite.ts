// GET /api/v1/conversations against the planned traffic. Shared by the PostgreSQL and PGlite files.
import { describe, expect, it } from 'vitest';
import { conversationSummarySchema } from '../../src/routes/conversations.js';
import { pageOf } from '../../src/schemas.js';
import { conversationFacts, type ConversationFact } from '../helpers/expected.js';
import type { StoreKind } from '../helpers/databases.js';
import { useReadSide } from '../helpers/read-side.js';
import { INJECTION_STRINGS } from '../helpers/injection.js';

const pageSchema = pageOf(conversationSummarySchema);
type Item = ReturnType<typeof pageSchema.parse>['items'][number];

export function describeConversations(kind: StoreKind): void {
  describe(`GET /api/v1/conversations (${kind})`, () => {
    const side = useReadSide(kind);
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    async function list(query: Record<string, string | number>) {
      const { status, body } = await side.get('/api/v1/conversations', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return pageSchema.parse(body);
    }

    /** Every page, following next_cursor. */
    async function walk(query: Record<string, string | number>): Promise<Item[]> {
      const items: Item[] = [];
      let cursor: string | null = null;
      do {
        const page: ReturnType<typeof pageSchema.parse> = await list({ ...query, ...(cursor === null ? {} : { cursor }) });
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor !== null);
      return items;
    }

    it('lists every conversation of the window, newest first, with its figures', async () => {
      const page = await list({ ...side.everything, limit: 1000 });
      const expected = facts().sort((a, b) => b.startedMs - a.startedMs);
      expect(page.next_cursor).toBeNull();
      expect(page.items.map((c) => c.conversation_id)).toEqual(expected.map((c) => c.conversation.conversationId));
      for (const [i, item] of page.items.entries()) {
        const fact = expected[i]!;
        expect(item).toMatchObject({
          user_id: fact.conversation.userId,
          session_id: fact.conversation.sessionId,
          status: fact.status,
          turns: fact.turns.length,
          llm_calls: fact.calls.length,
          errors: fact.errors,
          duration_ms: fact.durationMs,
          input_tokens: fact.calls.reduce((s, c) => s + c.call.inputTokens, 0),
        });
        if (fact.status !== 'active') expect(item).toMatchObject({ agent_name: fact.conversation.agentName, channel: fact.conversation.channel });
        expect(Date.parse(item.started_at!)).toBe(fact.startedMs);
        expect(item.ended_at === null ? null : Date.parse(item.ended_at)).toBe(fact.endedMs ?? null);
        expect(item.cost_usd).toBeCloseTo(fact.costUsd, 9);
      }
    });

    it('sorts by duration and by cost', async () => {
      const slowest = await list({ ...side.everything, sort: 'slowest', limit: 1000 });
      expect(slowest.items.map((c) => c.conversation_id)).toEqual(
        facts()
          .sort((a, b) => b.durationMs - a.durationMs || (a.conversation.conversationId < b.conversation.conversationId ? 1 : -1))
          .map((c) => c.conversation.conversationId),
      );
      const costliest = await list({ ...side.everything, sort: 'costliest', limit: 1000 });
      const costs = costliest.items.map((c) => c.cost_usd);
      expect(costs).toEqual([...costs].sort((a, b) => b - a));
      expect(costliest.items[0]!.conversation_id).toBe(facts().sort((a, b) => b.costUsd - a.costUsd)[0]!.conversation.conversationId);
    });

    for (const sort of ['recent', 'slowest', 'costliest']) {
      it(`walks a ${sort} cursor to the end, every conversation once and in order`, async () => {
        const all = await list({ ...side.everything, sort, limit: 1000 });
        const walked = await walk({ ...side.everything, sort, limit: 7 });
        expect(walked.map((c) => c.conversation_id)).toEqual(all.items.map((c) => c.conversation_id));
        expect(new Set(walked.map((c) => c.conversation_id)).size).toBe(side.plan.length);
      });
    }

    it('filters by user, channel, status, metadata, model and minimums', async () => {
      const ids = async (query: Record<string, string | number>) =>
        (await list({ ...side.everything, limit: 1000, ...query })).items.map((c) => c.conversation_id).sort();
      const expectIds = (predicate: (fact: ConversationFact) => boolean) =>
        facts()
          .filter(predicate)
          .map((c) => c.conversation.conversationId)
          .sort();
      expect(await ids({ user: 'user-3' })).toEqual(expectIds((c) => c.conversation.userId === 'user-3'));
      expect(await ids({ channel: 'chat' })).toEqual(expectIds((c) => c.status !== 'active' && c.conversation.channel === 'chat'));
      expect(await ids({ status: 'active' })).toEqual(expectIds((c) => c.status === 'active'));
      expect(await ids({ 'attr.plan': 'gold' })).toEqual(expectIds((c) => c.status !== 'active' && c.conversation.metadata['plan'] === 'gold'));
      // A call attribute: company_id is on every call too, so active conversations match as well.
      expect(await ids({ 'attr.company_id': 'acme' })).toEqual(expectIds((c) => c.conversation.metadata['company_id'] === 'acme'));
      expect(await ids({ model: 'gpt-4o-2026' })).toEqual(expectIds((c) => c.calls.some((x) => x.call.model === 'gpt-4o' && x.call.error === undefined)));
      expect(await ids({ min_duration_ms: 10_000 })).toEqual(expectIds((c) => c.durationMs >= 10_000));
      expect(await ids({ min_cost_usd: 0.005 })).toEqual(expectIds((c) => c.costUsd >= 0.005));
      expect((await ids({ user: 'user-3', channel: 'voice' })).length).toBeLessThanOrEqual((await ids({ user: 'user-3' })).length);
    });

    it('finds text in captured input and output, taking %, _ and quotes literally', async () => {
      const ids = async (q: string) => (await list({ ...side.everything, q, limit: 1000 })).items.map((c) => c.conversation_id).sort();
      expect(await ids(`100%_off? '; DROP`)).toEqual(['conv-001']);
      expect(await ids('with_under%score')).toEqual(['conv-002']);
      expect(await ids('%')).toEqual(['conv-001', 'conv-002']);
      expect(await ids('ASKS ABOUT')).toEqual(
        facts()
          .filter((c) => c.turns.some((t) => t.turn.userInput.includes('asks about')))
          .map((c) => c.conversation.conversationId)
          .sort(),
      );
    });

    it('answers an empty page for an empty window and with no match', async () => {
      expect(await list({ from: '2001-01-01', to: '2001-01-02' })).toEqual({ items: [], next_cursor: null });
      expect(await list({ ...side.everything, user: 'nobody' })).toEqual({ items: [], next_cursor: null });
    });

    it('takes injection strings in every string parameter as plain values', async () => {
      for (const value of INJECTION_STRINGS) {
        for (const name of ['service', 'agent', 'channel', 'user', 'session', 'model', 'provider', 'call_type', 'function', 'status', 'tag', 'q', 'attr.company_id', `attr.plan`]) {
          const { status, body } = await side.get('/api/v1/conversations', { ...side.everything, limit: 1000, [name]: value });
          if (value.includes('\u0000')) {
            expect(status).toBe(400);
            expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: name } });
            continue;
          }
          expect(status, `${name}=${value}: ${JSON.stringify(body)}`).toBe(200);
          // Only q can match: conv-001's input holds one of these strings on purpose.
          const matching = name !== 'q' ? [] : facts().filter((c) => c.turns.some((t) => t.turn.userInput.toLowerCase().includes(value.toLowerCase())));
          expect((body as { items: Item[] }).items.map((c) => c.conversation_id).sort()).toEqual(matching.map((c) => c.conversation.conversationId).sort());
        }
        const cursor = await side.get('/api/v1/conversations', { cursor: value });
        expect(cursor.status).toBe(400);
        expect(cursor.body).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'cursor' } });
      }
      // Still there.
      expect((await list({ ...side.everything, limit: 1000 })).items).toHaveLength(side.plan.length);
    });

    it('refuses a cursor of another ordering and limits outside 1…1000', async () => {
      const first = await list({ ...side.everything, limit: 2 });
      const foreign = await side.get('/api/v1/conversations', { ...side.everything, sort: 'slowest', cursor: first.next_cursor! });
      expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'cursor' } } });
      for (const limit of ['0', '1001', '2.5', 'ten']) {
        const { status, body } = await side.get('/api/v1/conversations', { limit });
        expect(status).toBe(400);
        expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'limit' } });
      }
      expect((await list({ ...side.everything, limit: 1000 })).items.length).toBe(side.plan.length);
      expect((await list({ ...side.everything, limit: 1 })).items.length).toBe(1);
    });
  });
}
