// POST /api/v1/admin/cleanup: the admin key only (401 without a valid key, 403 with a read
// key), a checked body, and the retention cleanup's effect: exactly the rows older than the
// cutoff are gone, counted per table, computed from the planned traffic.
import { describe, expect, it } from 'vitest';
import { GROUP_BYS } from '@convotel/query';
import { ALL_CALLS, costRows } from '../helpers/cost-facts.js';
import { conversationFacts } from '../helpers/expected.js';
import { ADMIN_KEY, API_KEY, useReadSide } from '../helpers/read-side.js';

describe('POST /api/v1/admin/cleanup', () => {
  const side = useReadSide('postgres', { seed: 23 });

  /** POSTs `body` with `key` as Bearer key (`null`: no Authorization header). */
  async function post(body: unknown, key: string | null = ADMIN_KEY): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`http://127.0.0.1:${side.api.port}/api/v1/admin/cleanup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it('answers 401 without a valid key and 403 with a read key, deleting nothing', async () => {
    expect(await post({ older_than_days: 0 }, null)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await post({ older_than_days: 0 }, 'not-a-key')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await post({ older_than_days: 0 }, API_KEY)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const { body } = await side.get('/api/v1/conversations', { ...side.everything, limit: 1000 });
    expect((body as { items: unknown[] }).items).toHaveLength(side.plan.length);
  });

  it('answers 400 naming a missing, negative, non-numeric or unknown body field', async () => {
    for (const [body, parameter] of [
      [{}, 'older_than_days'],
      [{ older_than_days: -1 }, 'older_than_days'],
      [{ older_than_days: '30' }, 'older_than_days'],
      [{ older_than_days: 30, table: 'conversations' }, 'table'],
    ] as const) {
      expect(await post(body)).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter } } });
    }
  });

  it('deletes the rows older than the cutoff, and only those', async () => {
    const { status, body } = await post({ older_than_days: 1 });
    expect(status, JSON.stringify(body)).toBe(200);
    const result = body as { before: string; deleted: Record<string, number> };
    const cutoffMs = Date.parse(result.before);
    expect(Math.abs(cutoffMs - (Date.now() - 86_400_000))).toBeLessThan(60_000);

    const facts = side.plan.map(conversationFacts);
    const turns = facts.flatMap((fact) => fact.turns);
    const steps = turns.flatMap((turn) => {
      let startMs = turn.startMs;
      return turn.turn.steps.map((step) => (startMs += step.durationMs) - step.durationMs);
    });
    // A conversation was last seen at its end, else when its last turn ended.
    const lastSeenMs = (fact: (typeof facts)[number]): number => fact.endedMs ?? Math.max(...fact.turns.map((turn) => turn.startMs + turn.durationMs));
    // A conversation's key goes when its last cost row under the key started before the cutoff.
    const keyLastMs = new Map<string, number>();
    for (const by of GROUP_BYS) {
      for (const row of costRows(facts, by, ALL_CALLS)) {
        const id = JSON.stringify([row.conversationId, by, row.key ?? '']);
        keyLastMs.set(id, Math.max(keyLastMs.get(id) ?? -Infinity, row.startMs));
      }
    }
    expect(result.deleted).toEqual({
      llm_calls: facts.flatMap((fact) => fact.calls).filter((call) => call.startMs < cutoffMs).length,
      steps: steps.filter((startMs) => startMs < cutoffMs).length,
      db_queries: facts.flatMap((fact) => fact.queries).filter((query) => query.startMs < cutoffMs).length,
      events: turns.flatMap((turn) => turn.turn.events.map(() => turn.startMs)).filter((atMs) => atMs < cutoffMs).length,
      // Each turn is a trace, last seen as it ended.
      traces: turns.filter((turn) => turn.startMs + turn.durationMs < cutoffMs).length,
      // The SDK's traffic has no call-long traces: no turns found inside one, no span edges.
      trace_turns: 0,
      span_edges: 0,
      conversations: facts.filter((fact) => lastSeenMs(fact) < cutoffMs).length,
      error_occurrences: expect.any(Number),
      conversation_keys: [...keyLastMs.values()].filter((lastMs) => lastMs < cutoffMs).length,
    });
    expect(result.deleted['conversation_keys']).toBeGreaterThan(0);
    // A failed turn is at least one error occurrence, deleted when all its rows started before the cutoff.
    const failedTurns = (isGone: (turn: (typeof turns)[number]) => boolean): number => turns.filter((turn) => turn.isFailed && isGone(turn)).length;
    expect(failedTurns((turn) => turn.startMs + turn.durationMs < cutoffMs)).toBeGreaterThan(0);
    expect(result.deleted['error_occurrences']).toBeGreaterThanOrEqual(failedTurns((turn) => turn.startMs + turn.durationMs < cutoffMs));
    expect(result.deleted['conversations']).toBeGreaterThan(0);

    const { body: page } = await side.get('/api/v1/conversations', { ...side.everything, limit: 1000 });
    expect((page as { items: Array<{ conversation_id: string }> }).items.map((item) => item.conversation_id).sort()).toEqual(
      facts
        .filter((fact) => lastSeenMs(fact) >= cutoffMs)
        .map((fact) => fact.conversation.conversationId)
        .sort(),
    );
  });
});
