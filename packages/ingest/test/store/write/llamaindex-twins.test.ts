// LlamaIndex.TS traced by OpenLLMetry (recorded: test/fixtures/README.md, "llamaindex-openllmetry"):
// each provider call comes as a LlamaIndex span wrapping an OpenAI span, which may reach the
// store in different requests, in any order, more than once. Through StoreSink on both stores.
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../../helpers/db.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';
import { Ids, shuffle, split, spansOf, toTraceRequest, type SpanItem } from '../../helpers/spans.js';

const items = loadTraceFixture('llamaindex-openllmetry').flatMap((request) => spansOf(request));

// The six requests the mock answered or refused, billed as served (the LlamaIndex span's usage
// where the OpenAI span holds estimates or nothing): 42+50+60+80 in, 7+9+15+11 out; gpt-4o-mini at
// 0.15 in / 0.6 out USD per million tokens: 232·0.15 + 42·0.6 = 60 µ$.
const BILLED = { llm_calls: 6, input_tokens: 232, output_tokens: 42, cost_usd: 0.00006 };

describe.each(STORE_KINDS)('LlamaIndex layer twins in the store (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  let sink: StoreSink;
  beforeEach(() => {
    sink = new StoreSink(db.store);
  });
  const rows = <R = Record<string, unknown>>(sql: string) => queryRows<R>(db.store, sql);
  const send = async (chunks: readonly (readonly SpanItem[])[]): Promise<void> => {
    for (const chunk of chunks) await writeTraceRequest(sink, toTraceRequest(chunk), chunk.length * 700);
  };

  it('bills each provider call once in the conversation and the hourly rollup', async () => {
    await send([items]);
    expect(await rows('SELECT billing, count(*)::int AS n FROM llm_calls GROUP BY billing ORDER BY billing')).toEqual([
      { billing: 'call', n: 6 },
      { billing: 'duplicate', n: 4 },
    ]);
    expect(
      await rows('SELECT llm_calls, input_tokens::int AS input_tokens, output_tokens::int AS output_tokens, cost_usd::float8 AS cost_usd FROM conversations'),
    ).toEqual([BILLED]);
    const [hourly] = await rows<Record<string, unknown>>(
      'SELECT sum(count)::int AS llm_calls, sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens, sum(cost_usd)::float8 AS cost_usd FROM llm_hourly',
    );
    expect(hourly).toEqual(BILLED);
  });

  it('ends in the same rows for random splits and orders of the spans, with repeats', async () => {
    await send([items]);
    const baseline = await dumpTables(db.store);
    const rng = new Ids(Number(process.env['CONVOTEL_PROPERTY_SEED'] ?? 11));
    for (let round = 0; round < Number(process.env['CONVOTEL_PROPERTY_ROUNDS'] ?? 3); round += 1) {
      await truncateAll(db.store);
      const shuffled = shuffle(items, rng);
      await send(split([...shuffled, ...shuffle(shuffled, rng).slice(0, 4)], 1 + (rng.next() % 4), rng));
      expect(await dumpTables(db.store), `round ${round}`).toEqual(baseline);
    }
  });
});
