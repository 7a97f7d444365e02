// LangChain.js traced by OpenLLMetry (recorded: test/fixtures/README.md, "langchain-openllmetry"):
// every provider call comes as a LangChain span and an OpenAI span, which may reach the store in
// different requests, in any order, more than once. Through StoreSink on both stores.
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../../helpers/db.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';
import { Ids, shuffle, split, spansOf, toTraceRequest, withAttributes, type SpanItem } from '../../helpers/spans.js';

const LANGCHAIN = '@traceloop/instrumentation-langchain';
const items = loadTraceFixture('langchain-openllmetry').flatMap((request) => spansOf(request));
const langChainSpans = items.filter((i) => i.scope.name === LANGCHAIN);
const otherSpans = items.filter((i) => i.scope.name !== LANGCHAIN);

// The mock's usage (42/7, 50/9, 60/15, 80/11) plus the stream without usage, billed at the OpenAI
// span's js-tiktoken count (11/12); gpt-4o-mini at 0.15 in / 0.6 out USD per million tokens:
// 10.5 + 12.9 + 8.85 + 18 + 18.6 = 68.85 µ$.
const INPUT_TOKENS = 42 + 50 + 11 + 60 + 80;
const OUTPUT_TOKENS = 7 + 9 + 12 + 15 + 11;
const COST_USD = 0.00006885;

describe.each(STORE_KINDS)('layer twins in the store (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  let sink: StoreSink;
  beforeEach(() => {
    sink = new StoreSink(db.store);
  });
  const rows = <R = Record<string, unknown>>(sql: string) => queryRows<R>(db.store, sql);
  const send = async (chunks: readonly (readonly SpanItem[])[], concurrently = false): Promise<void> => {
    const write = (chunk: readonly SpanItem[]) => writeTraceRequest(sink, toTraceRequest(chunk), chunk.length * 700);
    if (concurrently) await Promise.all(chunks.map(write));
    else for (const chunk of chunks) await write(chunk);
  };

  it('stores one billable call per provider call, with the tokens and cost the mock served', async () => {
    await send([items]);
    const calls = await rows<{ billing: string; n: number }>('SELECT billing, count(*)::int AS n FROM llm_calls GROUP BY billing ORDER BY billing');
    expect(calls).toEqual([
      { billing: 'call', n: 5 },
      { billing: 'duplicate', n: 5 },
    ]);
    const [conversation] = await rows<Record<string, unknown>>(
      'SELECT conversation_id, llm_calls, input_tokens::int AS input_tokens, output_tokens::int AS output_tokens, cost_usd::float8 AS cost_usd FROM conversations',
    );
    expect(conversation).toEqual({ conversation_id: 'conv-fixture-0001', llm_calls: 5, input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS, cost_usd: COST_USD });
    const [hourly] = await rows<Record<string, unknown>>(
      'SELECT sum(count)::int AS count, sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens, sum(cost_usd)::float8 AS cost_usd FROM llm_hourly',
    );
    expect(hourly).toEqual({ count: 5, input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS, cost_usd: COST_USD });
    // Each row names its twin, which bills the other way.
    const twins = await rows<{ twin_billing: string; billing: string }>(
      'SELECT l.billing, t.billing AS twin_billing FROM llm_calls l JOIN llm_calls t ON t.trace_id = l.trace_id AND t.span_id = l.twin_span_id AND t.twin_span_id = l.span_id',
    );
    expect(twins).toHaveLength(10);
    for (const twin of twins) expect(twin.twin_billing).not.toBe(twin.billing);
  });

  it('ends in the same rows whichever layer arrives first, in whatever split and order, delivered more than once', async () => {
    await send([items]);
    const baseline = await dumpTables(db.store);
    const orders: { title: string; chunks: SpanItem[][]; concurrently?: boolean }[] = [
      // The billed OpenAI span after LangChain's was counted, and the other way round.
      { title: 'LangChain first', chunks: [langChainSpans, otherSpans] },
      { title: 'OpenAI first', chunks: [otherSpans, langChainSpans] },
      { title: 'one span per request, LangChain first', chunks: [...langChainSpans, ...otherSpans].map((i) => [i]) },
      { title: 'one span per request, OpenAI first', chunks: [...otherSpans, ...langChainSpans].map((i) => [i]) },
    ];
    const rng = new Ids(Number(process.env['CONVOTEL_PROPERTY_SEED'] ?? 10));
    for (let round = 0; round < Number(process.env['CONVOTEL_PROPERTY_ROUNDS'] ?? 4); round += 1) {
      const shuffled = shuffle(items, rng);
      const withRetries = [...shuffled, ...shuffle(shuffled, rng).slice(0, 4)];
      orders.push({ title: `random round ${round}`, chunks: split(withRetries, 1 + (rng.next() % 4), rng), concurrently: round % 2 === 1 });
    }
    for (const { title, chunks, concurrently } of orders) {
      await truncateAll(db.store);
      await send(chunks, concurrently);
      expect(await dumpTables(db.store), title).toEqual(baseline);
      // A retry of everything changes nothing.
      await send([items]);
      expect(await dumpTables(db.store), `${title}, retried`).toEqual(baseline);
    }
  });

  it("gives the billed row the LangChain span's labels whichever arrives first, moving its rollup to the new call type", async () => {
    const labels = { 'convotel.llm.function': 'answer-question', 'convotel.llm.call_type': 'summarization', 'convotel.tags': ['beta'] };
    const labelled = langChainSpans.map((i) => withAttributes(i, labels));
    await send([[...labelled, ...otherSpans]]);
    const baseline = await dumpTables(db.store);
    const billed = await rows<{ function_name: string; call_type: string; tags: unknown }>(
      "SELECT function_name, call_type, tags FROM llm_calls WHERE billing = 'call'",
    );
    expect(billed).toEqual(Array.from({ length: 5 }, () => ({ function_name: 'answer-question', call_type: 'summarization', tags: ['beta'] })));
    expect(await rows('SELECT DISTINCT call_type FROM llm_hourly')).toEqual([{ call_type: 'summarization' }]);
    for (const chunks of [[otherSpans, labelled], [labelled, otherSpans]]) {
      await truncateAll(db.store);
      await send(chunks);
      expect(await dumpTables(db.store)).toEqual(baseline);
    }
  });
});
