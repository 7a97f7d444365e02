// The recorded LiveKit Agents sessions (test/fixtures/livekit) through StoreSink into real
// PostgreSQL and PGlite: session 1 answers one turn (50 input of which 20 cached, 9 output,
// 11.4 µ$) and has its second turn's request rate-limited on both attempts; session 2 (PII
// withheld) answers one turn. Each session is one trace, which names no conversation.
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import type { Span, TraceRequest } from '../../src/otlp/types.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../helpers/db.js';
import { loadTraceFixture } from '../helpers/fixtures.js';

const BODY_BYTES = 100_000;

function traceIdOf(request: TraceRequest): string {
  const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
  if (span === undefined) throw new Error('livekit fixture: empty request');
  return span.traceId;
}

/** Rows in trace-id order (stable: rows of one trace keep theirs). */
function sortedByTrace<R extends { trace_id: string }>(list: R[]): R[] {
  return [...list].sort((a, b) => a.trace_id.localeCompare(b.trace_id));
}

/** The request with the spans of each scope in reverse order. */
function reversed(request: TraceRequest): TraceRequest {
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: [...ss.spans].reverse() as Span[] })),
    })),
  };
}

describe.each(STORE_KINDS)('LiveKit Agents fixture in the store (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  const rows = <R = Record<string, unknown>>(sql: string) => queryRows<R>(db.store, sql);
  const requests = loadTraceFixture('livekit');
  const [withPii, withoutPii] = requests as [TraceRequest, TraceRequest];
  const session1 = traceIdOf(withPii);
  const session2 = traceIdOf(withoutPii);

  async function deliver(bodies: readonly TraceRequest[]): Promise<void> {
    const sink = new StoreSink(db.store);
    for (const body of bodies) expect((await writeTraceRequest(sink, body, BODY_BYTES)).rejected).toBe(0);
  }

  it('counts the rate-limited request as one failed call in llm_calls, llm_hourly, turns and conversations', async () => {
    await deliver(requests);

    expect(
      await rows(
        `SELECT trace_id, status, error_type, input_tokens::int, output_tokens::int, cache_read_tokens::int, cost_usd::text
         FROM llm_calls ORDER BY trace_id, started_at`,
      ),
    ).toEqual(
      sortedByTrace([
        { trace_id: session1, status: 'ok', error_type: null, input_tokens: 50, output_tokens: 9, cache_read_tokens: 20, cost_usd: '0.000011400000' },
        { trace_id: session1, status: 'error', error_type: '429', input_tokens: 0, output_tokens: 0, cache_read_tokens: null, cost_usd: '0.000000000000' },
        { trace_id: session2, status: 'ok', error_type: null, input_tokens: 50, output_tokens: 9, cache_read_tokens: 20, cost_usd: '0.000011400000' },
      ]),
    );
    // LiveKit names the provider by the base URL's host (here the mock's).
    expect(
      await rows(`SELECT provider, model, status, sum(count)::int AS count, sum(errors)::int AS errors, sum(input_tokens)::int AS input_tokens
                  FROM llm_hourly GROUP BY provider, model, status ORDER BY status`),
    ).toEqual([
      { provider: '127.0.0.1:43117', model: 'gpt-4o-mini', status: 'error', count: 1, errors: 1, input_tokens: 0 },
      { provider: '127.0.0.1:43117', model: 'gpt-4o-mini', status: 'ok', count: 2, errors: 0, input_tokens: 100 },
    ]);
    expect(await rows(`SELECT trace_id, llm_calls, llm_errors FROM traces ORDER BY trace_id`)).toEqual(
      sortedByTrace([
        { trace_id: session1, llm_calls: 2, llm_errors: 1 },
        { trace_id: session2, llm_calls: 1, llm_errors: 0 },
      ]),
    );
    // Neither trace names a conversation: each is its own, by its trace id.
    expect(await rows(`SELECT conversation_id AS trace_id, llm_calls, llm_errors FROM conversations ORDER BY conversation_id`)).toEqual(
      sortedByTrace([
        { trace_id: session1, llm_calls: 2, llm_errors: 1 },
        { trace_id: session2, llm_calls: 1, llm_errors: 0 },
      ]),
    );
  });

  it('stores user input and messages only from the session that allowed PII', async () => {
    await deliver(requests);

    expect(await rows(`SELECT conversation_id AS trace_id, last_user_input, last_agent_output FROM conversations ORDER BY conversation_id`)).toEqual(
      sortedByTrace([
        // One trace per session: its earliest input and latest answer.
        { trace_id: session1, last_user_input: 'Name three French cheeses.', last_agent_output: 'Brie, Camembert and Roquefort.' },
        { trace_id: session2, last_user_input: null, last_agent_output: null },
      ]),
    );
    const messages = await rows<{ trace_id: string; has_input: boolean }>(
      `SELECT trace_id, bool_and(input_messages IS NOT NULL) AS has_input FROM llm_calls GROUP BY trace_id ORDER BY trace_id`,
    );
    expect(Object.fromEntries(messages.map((m) => [m.trace_id, m.has_input]))).toEqual({ [session1]: true, [session2]: false });
  });

  it('leaves every row as one delivery when the requests are retried, or sent in reverse with their spans reversed', async () => {
    await deliver(requests);
    const once = await dumpTables(db.store);

    await deliver(requests);
    expect(await dumpTables(db.store)).toEqual(once);

    await truncateAll(db.store);
    await deliver([...requests].reverse().map(reversed));
    expect(await dumpTables(db.store)).toEqual(once);
  });
});
