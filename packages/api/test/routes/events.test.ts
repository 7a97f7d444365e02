// GET /api/v1/events against the planned system events.
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/item-schemas.js';
import { pageOf } from '../../src/schemas.js';
import { conversationFacts } from '../helpers/expected.js';
import { INJECTION_STRINGS } from '../helpers/injection.js';
import { useReadSide } from '../helpers/read-side.js';

const pageSchema = pageOf(eventSchema);
type EventItem = ReturnType<typeof pageSchema.parse>['items'][number];
const SEVERITY_RANK = { INFO: 9, WARN: 13, ERROR: 17 } as const;

describe('GET /api/v1/events', () => {
  const side = useReadSide('postgres');

  /** Planned events, newest first (ties in any order: compared as sets where they tie). */
  function plannedEvents() {
    return side.plan
      .map(conversationFacts)
      .flatMap((c) => c.turns.flatMap((t) => t.turn.events.map((event) => ({ event, conversationId: c.conversation.conversationId, atMs: t.startMs }))));
  }

  async function walk(query: Record<string, string | number>): Promise<EventItem[]> {
    const items: EventItem[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await side.get('/api/v1/events', { ...side.everything, ...query, ...(cursor === null ? {} : { cursor }) });
      expect(status, JSON.stringify(body)).toBe(200);
      const page: ReturnType<typeof pageSchema.parse> = pageSchema.parse(body);
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return items;
  }

  it('lists every system event newest first, and a cursor walk returns each once', async () => {
    const planned = plannedEvents();
    expect(planned.length).toBeGreaterThan(3);
    const all = await walk({ limit: 1000 });
    const walked = await walk({ limit: 3 });
    expect(walked.map((e) => e.event_id)).toEqual(all.map((e) => e.event_id));
    expect(new Set(walked.map((e) => e.event_id)).size).toBe(planned.length);
    const times = all.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const describe = (items: Array<{ name: string | null; conversation: string | null; at: number; severity: string | null }>) =>
      items.map((e) => `${e.at} ${e.conversation} ${e.name} ${e.severity}`).sort();
    expect(describe(all.map((e) => ({ name: e.name, conversation: e.conversation_id, at: Date.parse(e.time), severity: e.severity_text })))).toEqual(
      describe(planned.map((p) => ({ name: p.event.name, conversation: p.conversationId, at: p.atMs, severity: p.event.severity }))),
    );
  });

  it('filters by severity and above, name, component, conversation and agent', async () => {
    const planned = plannedEvents();
    expect((await walk({ severity: 'WARN', limit: 1000 })).length).toBe(planned.filter((p) => SEVERITY_RANK[p.event.severity] >= 13).length);
    expect((await walk({ severity: 'ERROR', limit: 1000 })).length).toBe(planned.filter((p) => p.event.severity === 'ERROR').length);
    const name = planned[0]!.event.name;
    expect((await walk({ name, limit: 1000 })).length).toBe(planned.filter((p) => p.event.name === name).length);
    expect((await walk({ component: 'account_service', limit: 1000 })).length).toBe(planned.length);
    const conversation = planned[0]!.conversationId;
    expect((await walk({ conversation, limit: 1000 })).map((e) => e.conversation_id)).toEqual(
      planned.filter((p) => p.conversationId === conversation).map(() => conversation),
    );
    const endedSupport = new Set(side.plan.filter((c) => c.agentName === 'support' && c.end !== undefined).map((c) => c.conversationId));
    expect((await walk({ agent: 'support', limit: 1000 })).length).toBe(planned.filter((p) => endedSupport.has(p.conversationId)).length);
  });

  it('takes injection strings in every string parameter as plain values', async () => {
    for (const value of INJECTION_STRINGS.filter((s) => !s.includes('\u0000'))) {
      for (const name of ['service', 'agent', 'channel', 'user', 'session', 'name', 'component', 'conversation', 'trace_id']) {
        const { status, body } = await side.get('/api/v1/events', { [name]: value });
        expect(status, `${name}=${value}`).toBe(200);
        expect(body).toEqual({ items: [], next_cursor: null });
      }
    }
    expect((await side.get('/api/v1/events', { severity: 'LOUD' })).status).toBe(400);
    expect((await side.get('/api/v1/events', { model: 'gpt-4o' })).body).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'model' } });
  });

  it('answers an empty page for an empty window', async () => {
    const { body } = await side.get('/api/v1/events', { from: '2001-01-01', to: '2001-01-02' });
    expect(body).toEqual({ items: [], next_cursor: null });
  });
});
