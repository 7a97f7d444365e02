// The OpenInference framework recordings (test/fixtures/langchain-openinference and
// openai-agents-openinference) through StoreSink into real stores: the conversation, its calls and
// the hourly rollup hold the mock's numbers, and any order of redelivery, span by span with
// repeats, leaves every table as one in-order delivery did.
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../helpers/db.js';
import { loadTraceFixture, splitBySpan, type FixtureFlavour } from '../helpers/fixtures.js';
import { Ids, shuffle, split } from '../helpers/spans.js';

interface Expected {
  readonly flavour: FixtureFlavour;
  readonly conversation: Record<string, unknown>;
  readonly calls: readonly (readonly unknown[])[];
  readonly hourly: readonly (readonly unknown[])[];
}

// gpt-4o-mini at 0.15 / 0.075 cache read / 0.6 USD per million tokens; input includes the cache.
const OK_CALL = ['openai', 'gpt-4o-mini', 'gpt-4o-mini', 'ok', null] as const;
const FAILED_CALL = ['openai', 'gpt-4o-mini', 'gpt-4o-mini', 'error', '429'] as const;
const CASES: readonly Expected[] = [
  {
    flavour: 'langchain-openinference',
    // 42+50+60+80 in, 7+9+15+11 out, 10+20+40 cached; 9.75 + 11.4 + 18 + 15.6 µ$.
    conversation: { turns: 1, llm_calls: 5, input_tokens: '232', output_tokens: '42', cache_read_tokens: '70', cost_usd: '0.000054750000' },
    calls: [OK_CALL, OK_CALL, OK_CALL, OK_CALL, FAILED_CALL],
    hourly: [
      ['openai', 'gpt-4o-mini', 'error', '1', '1', '0', '0.000000000000'],
      ['openai', 'gpt-4o-mini', 'ok', '4', '0', '232', '0.000054750000'],
    ],
  },
  {
    flavour: 'openai-agents-openinference',
    // 42+60+80 in, 7+15+11 out, 10+0+40 cached; 9.75 + 18 + 15.6 µ$; one turn per run.
    conversation: { turns: 3, llm_calls: 4, input_tokens: '182', output_tokens: '33', cache_read_tokens: '50', cost_usd: '0.000043350000' },
    calls: [OK_CALL, OK_CALL, OK_CALL, FAILED_CALL],
    hourly: [
      ['openai', 'gpt-4o-mini', 'error', '1', '1', '0', '0.000000000000'],
      ['openai', 'gpt-4o-mini', 'ok', '3', '0', '182', '0.000043350000'],
    ],
  },
];

describe.each(STORE_KINDS)('OpenInference framework recordings in the store (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it.each(CASES)('stores $flavour with the served tokens and costs, the same for any redelivery', async (expected) => {
    const sink = new StoreSink(db.store);
    const requests = loadTraceFixture(expected.flavour);
    for (const request of requests) await writeTraceRequest(sink, request, 100_000);

    const conversations = await queryRows(
      db.store,
      `SELECT conversation_id, conversation_id_key, user_id, turns, llm_calls, input_tokens::text, output_tokens::text,
              cache_read_tokens::text, cost_usd::text FROM conversations`,
    );
    expect(conversations).toEqual([
      { conversation_id: 'conv-fixture-0001', conversation_id_key: 'session.id', user_id: 'user-fixture-0001', ...expected.conversation },
    ]);
    const calls = await queryRows<Record<string, unknown>>(
      db.store,
      'SELECT provider, request_model, response_model, status, error_type FROM llm_calls ORDER BY started_at, span_id',
    );
    expect(calls.map((row) => [row['provider'], row['request_model'], row['response_model'], row['status'], row['error_type']])).toEqual(expected.calls);
    const hourly = await queryRows<Record<string, unknown>>(
      db.store,
      'SELECT provider, model, status, count::text, errors::text, input_tokens::text, cost_usd::text FROM llm_hourly ORDER BY status',
    );
    expect(hourly.map((row) => Object.values(row))).toEqual(expected.hourly);

    const baseline = await dumpTables(db.store);
    const spans = requests.flatMap(splitBySpan);
    const rng = new Ids(4242);
    for (let round = 0; round < 3; round += 1) {
      await truncateAll(db.store);
      const shuffled = shuffle(spans, rng);
      // At-least-once delivery: some spans come twice, some chunks at the same time.
      const withRepeats = [...shuffled, ...shuffle(shuffled, rng).slice(0, 6)];
      const chunks = split(withRepeats, 1 + (rng.next() % 5), rng);
      if (round === 1) await Promise.all(chunks.map((chunk) => Promise.all(chunk.map((request) => writeTraceRequest(sink, request, 10_000)))));
      else for (const chunk of chunks) for (const request of chunk) await writeTraceRequest(sink, request, 10_000);
      expect(await dumpTables(db.store), `round ${round}`).toEqual(baseline);
    }
  });
});
