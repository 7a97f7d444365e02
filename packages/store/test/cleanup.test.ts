// Retention over the tables: raw rows older than the cutoff go, in every raw table; rollups stay.
import { describe, expect, it } from 'vitest';
import { cleanup, parseAgeDays } from '../src/cleanup.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from './helpers/db.js';

const OLD = '2026-01-01T00:00:00Z';
const NEW = '2026-02-05T00:00:00Z';
const NOW = new Date('2026-02-10T00:00:00Z');

describe.each(STORE_KINDS)('cleanup (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('deletes raw rows older than the cutoff from every raw table and keeps the rollups', async () => {
    await db.store.withClient(async (client) => {
      for (const [id, at] of [['old', OLD], ['new', NEW]] as const) {
        await client.query(
          `INSERT INTO llm_calls (trace_id, span_id, billing, span_name, operation, call_type, started_at, ended_at, duration_ms, status,
             attributes, source_keys, scope_name, flavour)
           VALUES ($1, 's1', 'call', 'chat', 'chat', 'chat', $2, $2, 1, 'ok', '{}', '{}', 'scope', 'convotel')`,
          [id, at],
        );
        await client.query(
          `INSERT INTO steps (trace_id, span_id, kind, name, span_name, started_at, ended_at, duration_ms, status, attributes, source_keys, scope_name, flavour)
           VALUES ($1, 's2', 'step', 'stt', 'step stt', $2, $2, 1, 'ok', '{}', '{}', 'scope', 'convotel')`,
          [id, at],
        );
        await client.query(
          `INSERT INTO db_queries (trace_id, span_id, system, started_at, duration_ms, status, scope_name) VALUES ($1, 's3', 'postgresql', $2, 1, 'ok', 'scope')`,
          [id, at],
        );
        await client.query(`INSERT INTO events (event_id, time, severity_number, attributes, scope_name) VALUES ($1, $2, 9, '{}', 'scope')`, [id, at]);
        await client.query('INSERT INTO traces (trace_id, last_seen_at) VALUES ($1, $2)', [id, at]);
        // A call-long trace's turns and span edges go with its row, whatever their own times.
        await client.query(
          `INSERT INTO trace_turns (trace_id, turn_span_id, name, started_at, ended_at, duration_ms, status, llm_calls, input_tokens, output_tokens,
             cache_read_tokens, cache_write_tokens, reasoning_tokens, llm_cost_usd, stt_cost_usd, tts_cost_usd, other_cost_usd, cost_usd, llm_errors,
             steps, step_errors, sql_queries, sql_rows)
           VALUES ($1, 't1', 'agent_turn', $2, $2, 0, 'ok', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`,
          [id, NEW],
        );
        await client.query(`INSERT INTO span_edges (trace_id, span_id, name, is_turn, started_at, ended_at) VALUES ($1, 't1', 'agent_turn', true, $2, $2)`, [id, NEW]);
        await client.query('INSERT INTO conversations (conversation_id, last_seen_at) VALUES ($1, $2)', [id, at]);
        await client.query(
          `INSERT INTO error_occurrences (trace_id, message_hash, first_started_at, last_started_at, error_hash, at, error_message)
           VALUES ($1, md5('boom'), $2, $2, md5('boom'), $2, 'boom')`,
          [id, at],
        );
      }
      // A key's span goes when its last row is before the cutoff; one that began before it and ended after stays.
      await client.query(
        `INSERT INTO conversation_keys (conversation_id, dimension, key, rows, first_at, last_at)
         VALUES ('old', 'user', 'u', 2, $1, $1), ('new', 'user', 'u', 2, $1, $2)`,
        [OLD, NEW],
      );
      // Traces that only ever saw log records have no span times: they go with their last event.
      await client.query(`INSERT INTO traces (trace_id) VALUES ('logs-only-gone')`);
      await client.query(
        `INSERT INTO llm_hourly (hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens, cache_read_tokens,
           cache_write_tokens, reasoning_tokens, cost_usd, latency_sum_ms, latency_buckets, ttft_sum_ms, ttft_count)
         VALUES ($1, 'openai', 'gpt-4o', 'chat', 'ok', 1, 0, 1, 1, 0, 0, 0, 0, 1, '{1}', 0, 0)`,
        [OLD],
      );
    });

    const result = await cleanup(db.store, 30, NOW);

    expect(result.before).toBe('2026-01-11T00:00:00.000Z');
    expect(result.deleted).toEqual({
      llm_calls: 1,
      steps: 1,
      db_queries: 1,
      events: 1,
      traces: 2,
      trace_turns: 1,
      span_edges: 1,
      conversations: 1,
      error_occurrences: 1,
      conversation_keys: 1,
    });
    for (const [table, key] of [
      ['llm_calls', 'trace_id'],
      ['steps', 'trace_id'],
      ['db_queries', 'trace_id'],
      ['events', 'event_id'],
      ['traces', 'trace_id'],
      ['trace_turns', 'trace_id'],
      ['span_edges', 'trace_id'],
      ['conversations', 'conversation_id'],
      ['error_occurrences', 'trace_id'],
      ['conversation_keys', 'conversation_id'],
    ]) {
      expect(await queryRows(db.store, `SELECT ${key} AS id FROM ${table}`), table).toEqual([{ id: 'new' }]);
    }
    expect(await queryRows(db.store, 'SELECT provider FROM llm_hourly')).toEqual([{ provider: 'openai' }]);
  });

  it('deletes the conversation_keys rows last seen before the cutoff over more rows than one page, and keeps the others', async () => {
    // 25,000 keys, every third one old: three pages of 10,000, with old rows on each.
    await db.store.withClient((client) =>
      client.query(
        `INSERT INTO conversation_keys (conversation_id, dimension, key, rows, first_at, last_at)
         SELECT 'c' || lpad(i::text, 6, '0'), 'model', 'm', 1, $1::timestamptz, CASE WHEN i % 3 = 0 THEN $1::timestamptz ELSE $2::timestamptz END FROM generate_series(1, 25000) AS i`,
        [OLD, NEW],
      ),
    );

    const result = await cleanup(db.store, 30, NOW);

    expect(result.deleted['conversation_keys']).toBe(Math.floor(25_000 / 3));
    expect(await queryRows(db.store, `SELECT count(*)::int AS n, count(*) FILTER (WHERE last_at < $1)::int AS old FROM conversation_keys`, [result.before])).toEqual([
      { n: 25_000 - Math.floor(25_000 / 3), old: 0 },
    ]);
  });
});

describe('parseAgeDays', () => {
  it('reads days, hours and weeks', () => {
    expect([parseAgeDays('30d'), parseAgeDays('12h'), parseAgeDays('2w'), parseAgeDays(' 7 ')]).toEqual([30, 0.5, 14, 7]);
    expect(() => parseAgeDays('soon')).toThrow(RangeError);
  });
});
