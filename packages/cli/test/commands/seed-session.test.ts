// The seed session's analytics, rendered from answers shaped as the API contract says (field
// names fixed by issue 11): what a person sees for `summary`, `trace`, `errors`, `percentiles`
// and `hourly`. The commands' HTTP side is tested against the running API in analytics.test.ts.
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, ErrorsAnswer, LlmCallAnswer, StepAnswer, TurnAnswer } from '../../src/client/answers.js';
import { renderErrors } from '../../src/commands/errors.js';
import { renderHourly } from '../../src/commands/hourly.js';
import { renderSummary } from '../../src/commands/summary.js';
import { renderTrace } from '../../src/commands/trace.js';

const CONVERSATION_ID = '20251008_143022_a1b2c3d4';
const T0 = Date.parse('2025-10-08T14:30:22.123Z');
const WINDOW = { from: '2025-10-07T14:00:00.000Z', to: '2025-10-08T14:00:00.000Z' };

/** Steps back to back from `startMs`; a step with an error fails. */
function steps(startMs: number, plan: ReadonlyArray<[string, number, string?]>): StepAnswer[] {
  const total = plan.reduce((sum, [, ms]) => sum + ms, 0);
  let at = startMs;
  return plan.map(([name, ms, error], i) => {
    const step: StepAnswer = {
      trace_id: 'a'.repeat(32),
      span_id: `span-${name}-${i}`,
      parent_span_id: null,
      kind: 'step',
      name,
      started_at: new Date(at).toISOString(),
      ended_at: new Date(at + ms).toISOString(),
      duration_ms: ms,
      status: error === undefined ? 'ok' : 'error',
      error_type: error === undefined ? null : 'RateLimitError',
      error_message: error ?? null,
      provider: null,
      model: null,
      cost_usd: null,
      share: ms / total,
      attributes: {},
    };
    at += ms;
    return step;
  });
}

function turn(index: number, startMs: number, plan: ReadonlyArray<[string, number, string?]>, extra: Partial<TurnAnswer> = {}): TurnAnswer {
  const turnSteps = steps(startMs, plan);
  const duration = plan.reduce((sum, [, ms]) => sum + ms, 0);
  const slowest = [...turnSteps].sort((a, b) => b.duration_ms - a.duration_ms)[0]!;
  const failed = turnSteps.find((s) => s.status === 'error');
  return {
    turn_id: `turn-${index}`,
    trace_id: `${index}`.padStart(32, 'a'),
    turn_span_id: null,
    conversation_id: CONVERSATION_ID,
    index,
    name: null,
    started_at: new Date(startMs).toISOString(),
    ended_at: new Date(startMs + duration).toISOString(),
    duration_ms: duration,
    perceived_latency_ms: null,
    interrupted: false,
    status: failed === undefined ? 'ok' : 'error',
    error_type: failed === undefined ? null : 'RateLimitError',
    error_message: failed?.error_message ?? null,
    intent: null,
    classification: null,
    user_input: null,
    agent_output: null,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
    llm_cost_usd: 0,
    stt_cost_usd: 0,
    tts_cost_usd: 0,
    voice: null,
    steps: turnSteps,
    llm_calls: [],
    sql_queries: [],
    events: [],
    bottleneck: { step: slowest.name, span_id: slowest.span_id, duration_ms: slowest.duration_ms, share: slowest.duration_ms / duration },
    ...extra,
  };
}

/** An LLM call of a turn: what the test names, the rest unknown. */
function llmCall(fields: Pick<LlmCallAnswer, 'span_id' | 'parent_span_id' | 'provider' | 'model' | 'call_type' | 'duration_ms' | 'input_tokens' | 'output_tokens' | 'cost_usd' | 'status' | 'error_type' | 'error_message'>): LlmCallAnswer {
  return {
    trace_id: 'a'.repeat(32),
    conversation_id: CONVERSATION_ID,
    user_id: 'user-1',
    session_id: null,
    request_model: fields.model,
    response_model: null,
    operation: 'chat',
    function_name: null,
    tags: null,
    cache_read_tokens: null,
    cache_write_tokens: null,
    reasoning_tokens: null,
    usage_estimated: false,
    cost_source: null,
    started_at: new Date(T0).toISOString(),
    ended_at: new Date(T0 + fields.duration_ms).toISOString(),
    ttft_ms: null,
    finish_reason: null,
    billing: 'call',
    input_messages: null,
    output_messages: null,
    attributes: {},
    flavour: 'openai',
    ...fields,
  };
}

const conversation = (turns: TurnAnswer[]): ConversationDetail => ({
  conversation: {
    conversation_id: CONVERSATION_ID,
    user_id: 'user-1',
    session_id: null,
    service_name: 'voice-agent',
    agent_name: 'nevil',
    channel: 'voice',
    status: 'completed',
    end_reason: null,
    started_at: new Date(T0).toISOString(),
    ended_at: new Date(T0 + 6864).toISOString(),
    duration_ms: 6864,
    turns: turns.length,
    llm_calls: 1,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0.0123,
    errors: turns.filter((t) => t.status === 'error').length,
    metadata: null,
    first_seen_at: new Date(T0).toISOString(),
    last_seen_at: new Date(T0 + 6864).toISOString(),
    error_type: null,
    error_message: null,
    llm_cost_usd: 0.0123,
    stt_cost_usd: 0,
    tts_cost_usd: 0,
    other_cost_usd: 0,
    cache_read_tokens: 0,
    llm_errors: 0,
    success_rate: null,
    last_user_input: null,
    last_agent_output: null,
    telephony: null,
    call_cost_usd: null,
  },
  turns,
  events: [],
  truncated: false,
});

describe('the seed session', () => {
  it('summary: every step ✓ with its duration, the bottleneck marked with its share, the insight', () => {
    const detail = conversation([turn(0, T0, [['request', 150], ['stt', 1234], ['gpt', 3567], ['tts', 1456], ['response', 457]])]);
    const lines = renderSummary(detail, 'UTC');
    expect(lines[1]).toBe('Conversation: 20251008_143022_a1b2c3d4');
    expect(lines).toContain('Start Time:     2025-10-08 14:30:22.123 (UTC)');
    expect(lines).toContain('Total Duration: 6.864s (6864.0ms)');
    expect(lines).toContain('Steps:          5');
    const breakdown = lines.filter((l) => /^ {2}[✓✗] /.test(l));
    expect(breakdown).toEqual([
      '  ✓ request   :  0.150s   (150.0ms)',
      '  ✓ stt       :  1.234s  (1234.0ms)',
      '  ✓ gpt       :  3.567s  (3567.0ms)  ← 52% of total time',
      '  ✓ tts       :  1.456s  (1456.0ms)',
      '  ✓ response  :  0.457s   (457.0ms)',
    ]);
    expect(lines).toContain('• gpt step is the bottleneck (3.57s = 52% of total time)');
    expect(lines).toContain('• All steps completed successfully');
  });

  it("summary: a failed turn's error, its failed step ✗ with the error below", () => {
    const detail = conversation([
      turn(0, T0, [['stt', 1000], ['gpt', 3000], ['tts', 1000]]),
      turn(1, T0 + 10_000, [['request', 150], ['stt', 1200], ['gpt', 500, 'API rate limit exceeded']]),
    ]);
    const lines = renderSummary(detail, 'UTC');
    expect(lines).toContain('Turns:          2 (1 failed)');
    expect(lines.find((l) => l.startsWith('Turn 1 '))).toBe('Turn 1 ✗  2025-10-08 14:30:32.123  1.850s (1850.0ms)  RateLimitError: API rate limit exceeded');
    const failedAt = lines.indexOf('  ✗ gpt      :  0.500s   (500.0ms)');
    expect(failedAt).toBeGreaterThan(0);
    expect(lines[failedAt + 1]).toBe('      Error: API rate limit exceeded');
    expect(lines).toContain('• gpt step is the bottleneck (3.50s = 51% of total time, the slowest step in 1 of 2 turns)');
    expect(lines).toContain('• Turn 1 failed at gpt: RateLimitError: API rate limit exceeded');
  });

  it('trace: each step with start, end, duration, status, input and error; its LLM calls under it; events with time and severity', () => {
    const failed = turn(0, Date.parse('2025-10-08T14:31:01.234Z'), [['request', 150], ['stt', 1200], ['gpt', 500, 'API rate limit exceeded']], {
      user_input: 'Tell me a story about a robot',
      agent_output: null,
      events: [
        {
          event_id: 'event-1',
          time: '2025-10-08T14:31:03.090Z',
          severity_number: 17,
          severity_text: 'ERROR',
          name: 'llm.retry_exhausted',
          component: 'llm',
          message: 'gave up after 3 tries',
          conversation_id: CONVERSATION_ID,
          trace_id: '0'.padStart(32, 'a'),
          span_id: null,
          service_name: 'voice-agent',
          attributes: {},
        },
      ],
    });
    const gpt = failed.steps[2]!;
    const detail = conversation([
      {
        ...failed,
        llm_calls: [
          llmCall({ span_id: 'call-1', parent_span_id: gpt.span_id, provider: 'openai', model: 'gpt-4o', call_type: 'chat', duration_ms: 480, input_tokens: 12, output_tokens: 0, cost_usd: 0, status: 'error', error_type: 'RateLimitError', error_message: 'API rate limit exceeded' }),
        ],
      },
    ]);
    const lines = renderTrace({ kind: 'conversation', answer: detail }, 'UTC');
    const at = lines.indexOf('  Step: gpt');
    expect(lines.slice(at, at + 9)).toEqual([
      '  Step: gpt',
      '    Start:    2025-10-08 14:31:02.584',
      '    End:      2025-10-08 14:31:03.084',
      '    Duration: 500.0ms',
      '    Status:   failed',
      '    Error:    API rate limit exceeded',
      '    LLM calls:',
      '      ✗  gpt-4o  openai  chat  480.0  12  0  $0',
      '          Error: RateLimitError: API rate limit exceeded',
    ]);
    expect(lines).toContain('    14:31:03  ERROR llm llm.retry_exhausted: gave up after 3 tries');
    expect(lines).toContain('  Input:    Tell me a story about a robot');
    expect(lines).toContain('• Turn 0 failed at gpt after request, stt completed: API rate limit exceeded');
    expect(lines).toContain('• Turn 0: no agent output recorded (the user got no answer)');
  });

  it('errors: rates by step, the problem marked', () => {
    const answer: ErrorsAnswer = {
      window: WINDOW,
      by_step: [
        { step: 'request', total: 4, failures: 0, error_rate: 0 },
        { step: 'gpt', total: 4, failures: 1, error_rate: 0.25 },
        { step: 'tts', total: 3, failures: 0, error_rate: 0 },
      ],
      by_model: [],
      total: 1,
      patterns: [{ pattern: 'rate_limit', count: 1, examples: [{ trace_id: 't', conversation_id: 'c-4', message: 'API rate limit exceeded', at: '2025-10-08T14:31:03.144Z' }] }],
      truncated: false,
      approximate: [],
    };
    const lines = renderErrors(answer, { alert: 10, tz: 'UTC', window: 'last 24 hours' });
    expect(lines[1]).toBe('Error Rates by Step (last 24 hours)');
    expect(lines.slice(3, 8)).toEqual([
      'Step     Total  Failures  Error Rate',
      '------------------------------------',
      'request      4         0       0.00%',
      'gpt          4         1      25.00%  ← PROBLEM!',
      'tts          3         0       0.00%',
    ]);
    expect(lines).toContain('rate_limit      1  2025-10-08 14:31:03.144  c-4           API rate limit exceeded');
    expect(lines).toContain('• gpt has a 25.00% error rate (1 of 4), at or above the 10% alert');
  });

  it('hourly: the peak hour and the busiest hours of the day', () => {
    const counts = [3, 5, 2, 8, 4];
    const series = { metric: 'conversations' as const, interval: 'hour' as const, tz: 'UTC', window: WINDOW, approximate: [], points: counts.map((value, i) => ({ t: new Date(Date.parse('2025-10-08T14:00:00Z') + i * 3_600_000).toISOString(), value })) };
    const busiest = { tz: 'UTC', window: WINDOW, items: [14, 15, 16, 17, 18].map((hour, i) => ({ hour_of_day: hour, conversations: [18, 15, 12, 23, 10][i]! })), approximate: [] };
    const lines = renderHourly(series, busiest, { metric: 'conversations', top: 10, tz: 'UTC', window: 'last 168 hours' });
    expect(lines).toContain('2025-10-08 17:00              8  ← Peak hour');
    const top = lines.slice(lines.indexOf('Busiest Hours of Day (top 10)') + 4);
    expect(top.slice(0, 3)).toEqual(['17:00                  23  ← Most active', '14:00                  18', '15:00                  15']);
  });
});
