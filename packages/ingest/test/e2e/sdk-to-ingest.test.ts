import { estimateCost } from '@convotel/pricing';
import { describe, expect, it } from 'vitest';
import { useInstrumentedApp } from '../helpers/instrumented-app.js';

const { rows } = useInstrumentedApp(new URL('./voice-agent-app.mjs', import.meta.url), 'bank-voice-agent');

describe('SDK → ingest → Postgres', () => {
  it('materializes the conversation with its turns, calls and costs', async () => {
    const [conversation] = await rows(
      `SELECT conversation_id, user_id, session_id, agent_name, channel, service_name, status, end_reason, turns, llm_calls,
              input_tokens, output_tokens, errors, cost_usd::float8 AS cost, llm_cost_usd::float8 AS llm_cost,
              stt_cost_usd::float8 AS stt_cost, tts_cost_usd::float8 AS tts_cost
         FROM conversations`,
    );
    expect(conversation).toMatchObject({
      conversation_id: 'call-e2e',
      user_id: 'caller-7',
      session_id: 'line-3',
      agent_name: 'bank-agent',
      channel: 'voice',
      service_name: 'bank-voice-agent',
      end_reason: 'hangup',
      turns: 2,
      llm_calls: 2,
      errors: 1,
    });
    // OTel input counts include cache: 52 (openai) + 30 + 100 (anthropic).
    expect(Number(conversation!.input_tokens)).toBe(182);
    expect(Number(conversation!.output_tokens)).toBe(14);
    const cost = conversation as { cost: number; llm_cost: number; stt_cost: number; tts_cost: number };
    expect(cost.llm_cost).toBeGreaterThan(0);
    expect(cost.stt_cost).toBeGreaterThan(0);
    expect(cost.tts_cost).toBeGreaterThan(0);
    expect(cost.cost).toBeCloseTo(cost.llm_cost + cost.stt_cost + cost.tts_cost, 9);
  });

  it('stores one row per turn with its status and perceived latency', async () => {
    const turns = await rows<{ turn_index: number; status: string; duration_ms: number; conversation_id: string; perceived_latency_ms: number | null }>(
      'SELECT turn_index, status, duration_ms, conversation_id, perceived_latency_ms FROM turns ORDER BY turn_index',
    );
    expect(turns.map((t) => [t.turn_index, t.status, t.conversation_id])).toEqual([
      [0, 'ok', 'call-e2e'],
      [1, 'error', 'call-e2e'],
    ]);
    expect(turns[0]!.perceived_latency_ms).toBe(640);
    for (const t of turns) expect(t.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('stores the steps of each turn, the failed tool as an error', async () => {
    // Steps of one turn may start in the same microsecond: compare each turn's steps as a set.
    const steps = await rows<{ turn_index: number; name: string; status: string }>(
      'SELECT t.turn_index, s.name, s.status FROM steps s JOIN turns t USING (trace_id) ORDER BY t.turn_index, s.name',
    );
    expect(steps.map((s) => [s.turn_index, s.name, s.status])).toEqual([
      [0, 'llm', 'ok'],
      [0, 'stt', 'ok'],
      [0, 'tts', 'ok'],
      [1, 'llm', 'ok'],
      [1, 'tool', 'error'],
    ]);
  });

  it('stores each LLM call once with provider, models, tokens and the cost the SDK computed from the price table', async () => {
    const calls = await rows(
      `SELECT provider, request_model, response_model, input_tokens, output_tokens, cost_source, status, conversation_id
         FROM llm_calls ORDER BY started_at`,
    );
    // The SDK prices each call and reports it; the stored cost is what the shared table gives for the stored usage.
    const costs = await rows<{ provider: string; model: string; input: string; output: string; cache_read: string; cache_write: string; cost: number }>(
      `SELECT provider, response_model AS model, input_tokens AS input, output_tokens AS output, cache_read_tokens AS cache_read,
              cache_write_tokens AS cache_write, cost_usd::float8 AS cost
         FROM llm_calls ORDER BY started_at`,
    );
    for (const call of costs) {
      const estimate = estimateCost({
        kind: 'llm',
        provider: call.provider,
        model: call.model,
        inputTokens: Number(call.input),
        outputTokens: Number(call.output),
        cacheReadInputTokens: Number(call.cache_read ?? 0),
        cacheWriteInputTokens: Number(call.cache_write ?? 0),
      });
      expect(estimate?.usd).toBeGreaterThan(0);
      expect(call.cost).toBeCloseTo(estimate?.usd ?? Number.NaN, 12);
    }
    expect(calls).toEqual([
      {
        provider: 'openai',
        request_model: 'gpt-4o-mini',
        response_model: 'gpt-4o-mini-2024-07-18',
        input_tokens: expect.anything(),
        output_tokens: expect.anything(),
        cost_source: 'reported',
        status: 'ok',
        conversation_id: 'call-e2e',
      },
      {
        provider: 'anthropic',
        request_model: 'claude-haiku-4-5',
        response_model: 'claude-haiku-4-5-20251001',
        input_tokens: expect.anything(),
        output_tokens: expect.anything(),
        cost_source: 'reported',
        status: 'ok',
        conversation_id: 'call-e2e',
      },
    ]);
    expect(calls.map((c) => [Number(c.input_tokens), Number(c.output_tokens)])).toEqual([
      [52, 9],
      [130, 5],
    ]);
  });

  it('stores the system event beside its turn', async () => {
    const [event] = await rows('SELECT name, component, conversation_id, trace_id FROM events');
    const [firstTurn] = await rows('SELECT trace_id FROM turns WHERE turn_index = 0');
    expect(event).toMatchObject({ name: 'balance_lookup', component: 'account_service', conversation_id: 'call-e2e' });
    expect(event!.trace_id).toBe(firstTurn!.trace_id);
  });
});
