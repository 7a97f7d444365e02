// Sums of turns, conversations and hourly rollups saturate at their column's maximum instead of
// failing every later batch that adds to them: run against real PostgreSQL and PGlite.
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../../helpers/db.js';
import { Ids, item, makeSpan, MS, sdkConversation, toTraceRequest, withAttributes, type SpanItem } from '../../helpers/spans.js';
import { eachOnce, storedCounts } from '../../helpers/stored-spans.js';

const INT64_MAX = '9223372036854775807';
const INT32_MAX = 2147483647;
const MONEY_MAX = '999999999999.999999999999';
const MILLIS_SUM_MAX = '999999999999999999999.999';

/** Another LLM call of the conversation's trace (same attributes, new span id, its own token counts and cost). */
function extraCall(of: SpanItem, spanId: string, inputTokens: number, costUsd: number): SpanItem {
  const attributes = { ...of.span.attributes, 'gen_ai.usage.input_tokens': inputTokens, 'convotel.cost.usd': costUsd };
  return item(makeSpan({ traceId: of.span.traceId, spanId, parentSpanId: of.span.parentSpanId, name: of.span.name, kind: 3, startNs: of.span.startTimeUnixNano + 5n * MS, durationMs: 100, attributes }));
}

describe.each(STORE_KINDS)('saturated sums (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  let sink: StoreSink;
  beforeEach(() => {
    sink = new StoreSink(db.store);
  });

  const rows = <R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => queryRows<R>(db.store, sql, params);

  it('stores a good request in an hour whose rollup rows are at their column maxima', async () => {
    const items = sdkConversation(new Ids(3), { conversationId: 'conv-full-hour', turns: 1 }).map((i) =>
      i.span.name.startsWith('chat ') ? withAttributes(i, { 'convotel.llm.ttft_ms': 120 }) : i,
    );
    const buckets = `{${new Array(15).fill(0).join(',')}}`;
    await rows(
      `INSERT INTO llm_hourly VALUES ('2026-03-01 10:00:00+00', 'openai', 'gpt-4o-mini-2024-07-18', 'chat', 'ok', 1, 0,
         ${INT64_MAX}, ${INT64_MAX}, ${INT64_MAX}, ${INT64_MAX}, ${INT64_MAX}, ${MONEY_MAX}, ${MILLIS_SUM_MAX}, 1, 1, '${buckets}', ${MILLIS_SUM_MAX}, 1)`,
    );
    await rows(`INSERT INTO step_hourly VALUES ('2026-03-01 10:00:00+00', 'step', 'stt', 1, 0, ${MONEY_MAX}, ${MILLIS_SUM_MAX}, 1, 1, '${buckets}')`);

    const result = await writeTraceRequest(sink, toTraceRequest(items), 10_000);

    expect(result.rejected).toBe(0);
    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
    expect(await rows('SELECT count::text, input_tokens::text, output_tokens::text, cache_read_tokens::text, cost_usd::text, latency_sum_ms::text, ttft_sum_ms::text FROM llm_hourly')).toEqual([
      { count: '2', input_tokens: INT64_MAX, output_tokens: INT64_MAX, cache_read_tokens: INT64_MAX, cost_usd: MONEY_MAX, latency_sum_ms: MILLIS_SUM_MAX, ttft_sum_ms: MILLIS_SUM_MAX },
    ]);
    expect(await rows("SELECT count::text, cost_usd::text, latency_sum_ms::text FROM step_hourly WHERE name = 'stt'")).toEqual([
      { count: '2', cost_usd: MONEY_MAX, latency_sum_ms: MILLIS_SUM_MAX },
    ]);
  });

  it('keeps adding to a turn and a conversation whose sums are at their column maxima', async () => {
    const items = sdkConversation(new Ids(4), { conversationId: 'conv-full', turns: 2 });
    const [first, second] = [...new Set(items.filter((i) => i.span.name === 'turn').map((i) => i.span.traceId))] as [string, string];
    const firstTurn = items.filter((i) => i.span.traceId === first);
    await writeTraceRequest(sink, toTraceRequest(firstTurn), 1000);
    for (const table of ['traces', 'conversations']) {
      await rows(
        `UPDATE ${table} SET llm_calls = ${INT32_MAX}, input_tokens = ${INT64_MAX}, output_tokens = ${INT64_MAX}, sql_rows = ${INT64_MAX},
           llm_cost_usd = ${MONEY_MAX}, cost_usd = ${MONEY_MAX}, sql_queries = ${INT32_MAX}`,
      );
    }

    const llm = firstTurn.find((i) => i.span.name.startsWith('chat ')) as SpanItem;
    const later = [extraCall(llm, '1234567890abcdef', 100, 0.5), ...items.filter((i) => i.span.traceId !== first)];
    const result = await writeTraceRequest(sink, toTraceRequest(later), 1000);

    expect(result.rejected).toBe(0);
    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
    expect(await storedCounts(db.store, later)).toEqual(eachOnce(later));
    const sums = 'llm_calls, input_tokens::text, output_tokens::text, sql_rows::text, llm_cost_usd::text, cost_usd::text, sql_queries';
    const full = { llm_calls: INT32_MAX, input_tokens: INT64_MAX, output_tokens: INT64_MAX, sql_rows: INT64_MAX, llm_cost_usd: MONEY_MAX, cost_usd: MONEY_MAX, sql_queries: INT32_MAX };
    expect(await rows(`SELECT ${sums} FROM traces WHERE trace_id = $1`, [first])).toEqual([full]);
    expect(await rows(`SELECT ${sums} FROM conversations`)).toEqual([full]);
    expect(await rows('SELECT turns FROM conversations')).toEqual([{ turns: 2 }]);
    expect(await rows('SELECT llm_calls, input_tokens::text FROM traces WHERE trace_id = $1', [second])).toEqual([{ llm_calls: 1, input_tokens: '1001' }]);
  });

  it('sums calls at the per-span maxima exactly, many times over', async () => {
    const items = sdkConversation(new Ids(5), { conversationId: 'conv-max-calls', turns: 1 });
    const llm = items.find((i) => i.span.name.startsWith('chat ')) as SpanItem;
    const calls = Array.from({ length: 300 }, (_, i) => extraCall(llm, (0x1000000000000000n + BigInt(i)).toString(16), 1e10, 1e6));
    const result = await writeTraceRequest(sink, toTraceRequest([...items, ...calls]), 100_000);

    expect(result).toMatchObject({ rejected: 0, droppedValues: 0 });
    expect(await storedCounts(db.store, [...items, ...calls])).toEqual(eachOnce([...items, ...calls]));
    const inputTokens = String(300 * 1e10 + 1000);
    // The SDK's own call reports no cost (it is priced from the table): the calls add 3e8 USD to it.
    const [conversation] = await rows<{ input_tokens: string; llm_cost_usd: string }>('SELECT input_tokens::text, llm_cost_usd::text FROM conversations');
    expect(conversation?.input_tokens).toBe(inputTokens);
    expect(Number(conversation?.llm_cost_usd)).toBeGreaterThanOrEqual(3e8);
    expect(Number(conversation?.llm_cost_usd)).toBeLessThan(3e8 + 1);
    const [hourly] = await rows<{ input_tokens: string }>('SELECT sum(input_tokens)::text AS input_tokens FROM llm_hourly');
    expect(hourly?.input_tokens).toBe(inputTokens);
  });
});
