// GET /api/v1/conversations/:id and /traces/:trace_id against the planned traffic.
import { describe, expect, it } from 'vitest';
import { conversationDetailResponse } from '../../src/routes/conversation-detail.js';
import { traceResponse } from '../../src/routes/traces.js';
import { conversationFacts, type ConversationFact } from '../helpers/expected.js';
import { INJECTION_STRINGS } from '../helpers/injection.js';
import { useReadSide } from '../helpers/read-side.js';

describe('GET /api/v1/conversations/:id and /traces/:trace_id', () => {
  const side = useReadSide('postgres');

  async function detail(id: string) {
    const { status, body } = await side.get(`/api/v1/conversations/${encodeURIComponent(id)}`);
    expect(status, JSON.stringify(body)).toBe(200);
    return conversationDetailResponse.parse(body);
  }

  function expectTurns(answer: ReturnType<typeof conversationDetailResponse.parse>, fact: ConversationFact): void {
    expect(answer.turns).toHaveLength(fact.turns.length);
    for (const [i, turnFact] of fact.turns.entries()) {
      const turn = answer.turns[i]!;
      const planned = turnFact.turn;
      expect(turn).toMatchObject({
        turn_id: turn.trace_id,
        conversation_id: fact.conversation.conversationId,
        index: i,
        duration_ms: turnFact.durationMs,
        status: turnFact.isFailed ? 'error' : 'ok',
        interrupted: planned.interrupted,
        perceived_latency_ms: planned.perceivedLatencyMs ?? null,
        user_input: planned.userInput,
        agent_output: turnFact.isFailed ? null : planned.agentOutput,
      });
      expect(turn.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(turn.started_at!)).toBe(turnFact.startMs);
      expect(turn.cost_usd).toBeCloseTo(turnFact.costUsd, 9);
      if (turnFact.isFailed) expect(turn.error_message).toBe(planned.steps.find((s) => s.error !== undefined)!.error);

      // Steps in order, each with its share of the turn.
      expect(turn.steps.map((s) => [s.name, s.duration_ms, s.status])).toEqual(
        planned.steps.map((s) => [s.name, s.durationMs, s.error === undefined ? 'ok' : 'error']),
      );
      for (const [j, step] of turn.steps.entries()) {
        expect(step.share).toBeCloseTo(planned.steps[j]!.durationMs / turnFact.durationMs, 12);
        expect(step.error_message).toBe(planned.steps[j]!.error ?? null);
      }
      const longest = planned.steps.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
      expect(turn.bottleneck).toMatchObject({ step: longest.name, duration_ms: longest.durationMs });
      expect(turn.bottleneck!.share).toBeCloseTo(longest.durationMs / turnFact.durationMs, 12);

      const calls = planned.steps.flatMap((s) => s.calls);
      expect(turn.llm_calls.map((c) => [c.request_model, c.status, c.input_tokens ?? 0, c.output_tokens ?? 0, c.duration_ms, c.function_name])).toEqual(
        calls.map((c) => [c.model, c.error === undefined ? 'ok' : 'error', c.inputTokens, c.outputTokens, c.durationMs, c.functionName]),
      );
      const llmStep = turn.steps.find((s) => s.name === 'llm')!;
      for (const call of turn.llm_calls) expect(call.parent_span_id).toBe(llmStep.span_id);

      const queries = planned.steps.flatMap((s) => (s.sql === undefined ? [] : [s.sql]));
      expect(turn.sql_queries.map((q) => [q.system, q.db_name, q.duration_ms, q.returned_rows])).toEqual(
        queries.map((q) => ['postgresql', 'bank', q.durationMs, q.rows]),
      );
      expect(turn.sql_queries.map((q) => [q.statement, q.status])).toEqual(queries.map((q) => [q.normalized, q.error === undefined ? 'ok' : 'error']));
      for (const query of turn.sql_queries) expect(query.parent_span_id).toBe(turn.steps.find((s) => s.name === 'tool')!.span_id);
      expect(turn.events.map((e) => [e.name, e.severity_text, e.component, Date.parse(e.time)])).toEqual(
        planned.events.map((e) => [e.name, e.severity, e.component, turnFact.startMs]),
      );
    }
  }

  it('answers each conversation with its turns, steps, calls, SQL queries, events and bottlenecks', async () => {
    let sqlQueries = 0;
    for (const planned of side.plan) {
      const fact = conversationFacts(planned);
      const answer = await detail(planned.conversationId);
      expect(answer.conversation).toMatchObject({
        conversation_id: planned.conversationId,
        user_id: planned.userId,
        status: fact.status,
        turns: fact.turns.length,
        errors: fact.errors,
        duration_ms: fact.durationMs,
      });
      expect(answer.truncated).toBe(false);
      expectTurns(answer, fact);
      expect(answer.events.map((e) => e.name)).toEqual(planned.turns.flatMap((t) => t.events.map((e) => e.name)));
      sqlQueries += answer.turns.reduce((n, t) => n + t.sql_queries.length, 0);
    }
    expect(sqlQueries).toBeGreaterThan(0);
  });

  it('shows the seed session: the bottleneck step and its share of the turn', async () => {
    const planned = side.plan.find((c) => c.turns.some((t) => t.steps.length >= 3 && t.steps.every((s) => s.error === undefined)))!;
    const answer = await detail(planned.conversationId);
    const turn = answer.turns.find((t) => t.steps.length >= 3 && t.status === 'ok')!;
    const total = turn.steps.filter((s) => s.parent_span_id === turn.steps[0]!.parent_span_id).reduce((n, s) => n + s.duration_ms, 0);
    expect(total).toBe(turn.duration_ms);
    expect(Math.round(turn.bottleneck!.share! * 100)).toBe(Math.round((turn.bottleneck!.duration_ms / total) * 100));
  });

  it('answers a trace with its turn, conversation and LLM calls, its id in either case', async () => {
    const planned = side.plan[5]!;
    const answer = await detail(planned.conversationId);
    for (const turn of answer.turns) {
      for (const id of [turn.trace_id, turn.trace_id.toUpperCase()]) {
        const { status, body } = await side.get(`/api/v1/traces/${id}`);
        expect(status).toBe(200);
        const traced = traceResponse.parse(body);
        expect(traced.trace_id).toBe(turn.trace_id);
        expect(traced.turns).toEqual([turn]);
        expect(traced.llm_calls).toEqual(turn.llm_calls);
      }
    }
  });

  it('answers 404 for unknown ids, injection strings included', async () => {
    for (const id of ['no-such-conversation', ...INJECTION_STRINGS.filter((s) => !s.includes('\u0000'))]) {
      for (const path of [`/api/v1/conversations/${encodeURIComponent(id)}`, `/api/v1/traces/${encodeURIComponent(id)}`]) {
        const { status, body } = await side.get(path);
        expect(status, `${path}: ${JSON.stringify(body)}`).toBe(404);
        expect(body).toMatchObject({ error: { code: 'not_found' } });
      }
    }
    const nul = await side.get(`/api/v1/conversations/${encodeURIComponent('a\u0000b')}`);
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'conversation_id' } } });
    expect((await side.get('/api/v1/conversations', { ...side.everything, limit: 1000 })).body).toMatchObject({ items: expect.any(Array) });
  });
});
