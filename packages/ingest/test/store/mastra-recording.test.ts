// The recording of a real Mastra agent (test/fixtures/mastra: three runs on one memory thread,
// the first with a tool call, the third failing with a 429) written through StoreSink into real
// PostgreSQL and PGlite: one conversation keyed by the thread, the failure counted as an error,
// and a retried or reordered delivery leaves the same rows.
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../helpers/db.js';
import { loadTraceFixture } from '../helpers/fixtures.js';
import { Ids, shuffle, spansOf, split, toTraceRequest } from '../helpers/spans.js';

const THREAD_ID = 'conv-fixture-0001';
const RESOURCE_ID = 'user-fixture-0001';
const requests = loadTraceFixture('mastra');

describe.each(STORE_KINDS)('a recorded Mastra agent in the store (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  const rows = <R = Record<string, unknown>>(sql: string) => queryRows<R>(db.store, sql);

  async function writeAll(sink: StoreSink): Promise<void> {
    for (const request of requests) {
      const result = await writeTraceRequest(sink, request, 100_000);
      expect(result.rejected).toBe(0);
    }
  }

  it('stores three runs as one conversation of the thread and resource, with exact tokens and costs, the 429 as an error', async () => {
    await writeAll(new StoreSink(db.store));

    expect(
      await rows(
        `SELECT conversation_id, conversation_id_key, user_id, user_id_key, turns, llm_calls, input_tokens::int, output_tokens::int,
                cache_read_tokens::int, llm_cost_usd::text, llm_errors, last_user_input, last_agent_output FROM conversations`,
      ),
    ).toEqual([
      {
        conversation_id: THREAD_ID,
        conversation_id_key: 'threadId',
        user_id: RESOURCE_ID,
        user_id_key: 'resourceId',
        turns: 3,
        llm_calls: 3,
        input_tokens: 182,
        output_tokens: 33,
        cache_read_tokens: 50,
        // 33.6 µ$ (run 1: 100·0.15 + 40·0.075 + 26·0.6) + 9.75 µ$ (run 2: 32·0.15 + 10·0.075 + 7·0.6).
        llm_cost_usd: '0.000043350000',
        llm_errors: 1,
        // The failed run said nothing: the last answer stays run 2's.
        last_user_input: 'Tell me a joke. [mock:429]',
        last_agent_output: 'The capital of France is Paris.',
      },
    ]);
    const run = { conversation_id: THREAD_ID, user_id: RESOURCE_ID, root_name: 'agent.fixture-agent', status: 'ok', llm_calls: 1, llm_errors: 0 };
    expect(await rows('SELECT conversation_id, user_id, root_name, status, llm_calls, llm_errors FROM traces ORDER BY first_seen_at')).toEqual([
      run,
      run,
      // The failed run's agent span never comes: no root, and the failed call makes the turn an error.
      { ...run, root_name: null, status: 'error', llm_errors: 1 },
    ]);
    expect(
      await rows(
        `SELECT flavour, provider, request_model, input_tokens::int, output_tokens::int, cache_read_tokens::int, total_tokens::int,
                cost_usd::text, status, error_type FROM llm_calls ORDER BY started_at`,
      ),
    ).toEqual([
      { flavour: 'mastra', provider: 'openai', request_model: 'gpt-4o-mini', input_tokens: 140, output_tokens: 26, cache_read_tokens: 40, total_tokens: 166, cost_usd: '0.000033600000', status: 'ok', error_type: null },
      { flavour: 'mastra', provider: 'openai', request_model: 'gpt-4o-mini', input_tokens: 42, output_tokens: 7, cache_read_tokens: 10, total_tokens: 49, cost_usd: '0.000009750000', status: 'ok', error_type: null },
      { flavour: 'mastra', provider: 'openai', request_model: 'gpt-4o-mini', input_tokens: null, output_tokens: null, cache_read_tokens: null, total_tokens: 0, cost_usd: '0.000000000000', status: 'error', error_type: '_OTHER' },
    ]);
    expect(await rows('SELECT kind, name, tool_name, conversation_id, status FROM steps ORDER BY started_at, span_id')).toEqual([
      { kind: 'agent', name: 'fixture-agent', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'step', name: 'step: 0', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'tool', name: 'get_weather', tool_name: 'get_weather', conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'step', name: 'step: 1', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'agent', name: 'fixture-agent', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'step', name: 'step: 0', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
      { kind: 'step', name: 'step: 0', tool_name: null, conversation_id: THREAD_ID, status: 'ok' },
    ]);
    expect(
      await rows(
        `SELECT provider, model, status, sum(count)::int AS count, sum(errors)::int AS errors, sum(input_tokens)::int AS input_tokens,
                sum(cost_usd)::text AS cost_usd FROM llm_hourly GROUP BY provider, model, status ORDER BY status`,
      ),
    ).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', status: 'error', count: 1, errors: 1, input_tokens: 0, cost_usd: '0.000000000000' },
      { provider: 'openai', model: 'gpt-4o-mini', status: 'ok', count: 2, errors: 0, input_tokens: 182, cost_usd: '0.000043350000' },
    ]);
  });

  it('leaves the same rows after a retried delivery and after the spans arrive one by one in shuffled order', async () => {
    await writeAll(new StoreSink(db.store));
    const once = await dumpTables(db.store);

    await writeAll(new StoreSink(db.store));
    expect(await dumpTables(db.store)).toEqual(once);

    await truncateAll(db.store);
    const ids = new Ids(10);
    const sink = new StoreSink(db.store);
    for (const chunk of split(shuffle(requests.flatMap(spansOf), ids), 3, ids)) {
      const result = await writeTraceRequest(sink, toTraceRequest(chunk), 10_000);
      expect(result.rejected).toBe(0);
    }
    expect(await dumpTables(db.store)).toEqual(once);
  });
});
