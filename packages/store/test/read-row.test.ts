// Select lists and row readers made from the table contract give the same JS values on both
// drivers: exact bigint and microsecond times, numeric as decimal text, NULL as undefined.
import { describe, expect, it } from 'vitest';
import { readRow, selectList } from '../src/read-row.js';
import { LLM_HOURLY } from '../src/tables/rollups.js';
import { TRACES } from '../src/tables/traces.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from './helpers/db.js';

describe.each(STORE_KINDS)('readRow (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('reads each type of a selected row exactly, and NULL as undefined', async () => {
    await db.store.withClient((client) =>
      client.query(
        `INSERT INTO traces (trace_id, has_genai, root_started_at, root_duration_us, turn_index, perceived_latency_ms, llm_cost_usd, db_system)
         VALUES ('t1', true, '2026-03-01 10:00:00.123456+00', 9007199254740993, 3, 640.5, 0.000000000001, NULL)`,
      ),
    );
    const keys = ['traceId', 'hasGenai', 'rootStartedAt', 'rootDurationUs', 'turnIndex', 'perceivedLatencyMs', 'llmCostUsd', 'dbSystem'] as const;
    const [row] = await queryRows(db.store, `SELECT ${selectList(TRACES, keys, 't')} FROM ${TRACES} t`);

    expect(readRow(TRACES, keys, row as Record<string, unknown>)).toEqual({
      traceId: 't1',
      hasGenai: true,
      rootStartedAt: BigInt(Date.UTC(2026, 2, 1, 10)) * 1000n + 123_456n,
      rootDurationUs: 9_007_199_254_740_993n,
      turnIndex: 3,
      perceivedLatencyMs: 640.5,
      llmCostUsd: '0.000000000001',
      dbSystem: undefined,
    });
  });

  it('reads arrays', async () => {
    await db.store.withClient((client) =>
      client.query(
        `INSERT INTO llm_hourly (hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens, cache_read_tokens,
           cache_write_tokens, reasoning_tokens, cost_usd, latency_sum_ms, latency_buckets, ttft_sum_ms, ttft_count)
         VALUES ('2026-03-01 10:00+00', 'openai', 'gpt-4o', 'chat', 'ok', 2, 0, 1, 1, 0, 0, 0, 0, 1, '{0,2,9007199254740993}', 0, 0)`,
      ),
    );
    const [row] = await queryRows(db.store, `SELECT ${selectList(LLM_HOURLY, ['latencyBuckets', 'count'])} FROM ${LLM_HOURLY}`);
    expect(readRow(LLM_HOURLY, ['latencyBuckets', 'count'], row as Record<string, unknown>)).toEqual({ latencyBuckets: [0n, 2n, 9_007_199_254_740_993n], count: 2n });
  });
});
