// The waterfall's layout of a turn, without a browser: nesting by parent span, order and offsets
// to the microsecond, and where a failed turn's error came from.
import type { LlmCallAnswer, SqlQueryAnswer, StepAnswer, TurnAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { errorOrigin, instantMs, toWaterfall } from '../app/src/components/waterfall-rows.js';

const T0 = '2026-12-05T10:00:00.000000Z';
const at = (micros: number): string => new Date(Date.parse(T0) + Math.floor(micros / 1000)).toISOString().replace(/\.\d+Z$/, `.${String(micros % 1_000_000).padStart(6, '0')}Z`);

function stepOf(name: string, spanId: string, parent: string | null, startMicros: number, durationMs: number, status = 'ok'): StepAnswer {
  return { trace_id: 't', span_id: spanId, parent_span_id: parent, kind: 'step', name, started_at: at(startMicros), ended_at: at(startMicros + durationMs * 1000), duration_ms: durationMs, status, error_type: status === 'error' ? 'RateLimitError' : null, error_message: status === 'error' ? 'slow down' : null, provider: null, model: null, cost_usd: null, share: null, attributes: {} };
}

function callOf(spanId: string, parent: string, startMicros: number, durationMs: number, status = 'ok'): LlmCallAnswer {
  return {
    trace_id: 't', span_id: spanId, parent_span_id: parent, conversation_id: 'c', user_id: null, session_id: null, provider: 'openai', request_model: 'gpt-4o-mini', response_model: 'gpt-4o-mini', model: 'gpt-4o-mini',
    operation: 'chat', call_type: 'chat', function_name: null, tags: [], input_tokens: 1, output_tokens: 1, cache_read_tokens: null, cache_write_tokens: null, reasoning_tokens: null, usage_estimated: false, cost_usd: 0,
    cost_source: null, started_at: at(startMicros), ended_at: at(startMicros + durationMs * 1000), duration_ms: durationMs, ttft_ms: null, finish_reason: null, status, error_type: status === 'error' ? 'RateLimitError' : null,
    error_message: status === 'error' ? 'slow down' : null, billing: 'call', input_messages: null, output_messages: null, attributes: {}, flavour: 'convotel',
  };
}

function queryOf(spanId: string, parent: string, startMicros: number, durationMs: number): SqlQueryAnswer {
  return { trace_id: 't', span_id: spanId, parent_span_id: parent, system: 'postgresql', db_name: null, operation: 'SELECT', statement: 'SELECT 1', started_at: at(startMicros), duration_ms: durationMs, returned_rows: 1, status: 'ok', error_type: null, error_message: null };
}

function turnOf(parts: Partial<TurnAnswer>): TurnAnswer {
  return {
    turn_id: 't', trace_id: 't', turn_span_id: null, conversation_id: 'c', index: 0, name: 'turn', started_at: T0, ended_at: at(100_000), duration_ms: 100, perceived_latency_ms: null, interrupted: false, status: 'ok', error_type: null, error_message: null,
    intent: null, classification: null, user_input: null, agent_output: null, input_tokens: 0, output_tokens: 0, cost_usd: 0, llm_cost_usd: 0, stt_cost_usd: 0, tts_cost_usd: 0, steps: [], llm_calls: [], sql_queries: [], events: [], bottleneck: null, voice: null,
    ...parts,
  };
}

describe('waterfall rows', () => {
  it('reads sub-millisecond digits of an instant', () => {
    expect(instantMs('2026-12-05T10:00:00.000250Z') - Date.parse(T0)).toBeCloseTo(0.25, 6);
    expect(instantMs(T0)).toBe(Date.parse(T0));
  });

  it('nests LLM calls and SQL under the step that made them, in start order, with offsets from the turn start', () => {
    const turn = turnOf({
      steps: [stepOf('tts', 'tts', null, 80_000, 20), stepOf('llm', 'llm', null, 10_000, 70), stepOf('tool', 'tool', 'llm', 60_000, 15), stepOf('stt', 'stt', null, 0, 10)],
      llm_calls: [callOf('call', 'llm', 10_500, 40)],
      sql_queries: [queryOf('sql', 'tool', 61_000, 5)],
    });
    const rows = toWaterfall(turn).rows.map((row) => [row.spanId, row.depth, row.offsetMs]);
    expect(rows).toEqual([
      ['stt', 0, 0],
      ['llm', 0, 10],
      ['call', 1, 10.5],
      ['tool', 1, 60],
      ['sql', 2, 61],
      ['tts', 0, 80],
    ]);
    expect(toWaterfall(turn).axisMs).toBe(100);
  });

  it('orders spans that start within the same millisecond by their microseconds', () => {
    const turn = turnOf({ steps: [stepOf('tts', 'b', null, 1_900, 0.05), stepOf('stt', 'a', null, 1_100, 0.05)] });
    expect(toWaterfall(turn).rows.map((row) => row.spanId)).toEqual(['a', 'b']);
  });

  it('finds a failed turn\u2019s error at the deepest span that carries it', () => {
    const turn = turnOf({ status: 'error', error_type: 'RateLimitError', error_message: 'slow down', steps: [stepOf('llm', 'llm', null, 0, 50, 'error')], llm_calls: [callOf('call', 'llm', 100, 49, 'error')] });
    expect(errorOrigin(turn, toWaterfall(turn).rows)?.spanId).toBe('call');
  });
});

describe('voice lane', () => {
  const contributions = [
    { stage: 'endpointing', us: 120_250, ms: 120.25 },
    { stage: 'llm_ttft', us: 300_000, ms: 300 },
    { stage: 'pipeline_gaps', us: 0, ms: 0 },
    { stage: 'unattributed', us: 29_750, ms: 29.75 },
  ] as const;
  const voiceOf = (markers: Partial<NonNullable<TurnAnswer['voice']>['markers']>): NonNullable<TurnAnswer['voice']> => ({
    voice_to_voice_us: 450_000, voice_to_voice_ms: 450, source: 'markers', dominant_stage: 'llm_ttft', model: 'gpt-4o-mini', provider: 'openai', contributions: [...contributions],
    markers: { user_speech_started_at: null, user_speech_ended_at: null, agent_audio_started_at: null, agent_audio_ended_at: null, ...markers }, interrupted_by: null,
  });

  it('puts the bar at the end of the user speech, its segments in the API order at their running sums', () => {
    const turn = turnOf({ duration_ms: 1000, ended_at: at(1_000_000), voice: voiceOf({ user_speech_started_at: at(10_000), user_speech_ended_at: at(200_500), agent_audio_started_at: at(650_500), agent_audio_ended_at: at(900_000) }) });
    const { voice } = toWaterfall(turn);
    expect(voice?.bar?.offsetMs).toBeCloseTo(200.5, 6);
    expect(voice?.bar?.segments.map((s) => [s.stage, s.us, s.offsetMs])).toEqual([
      ['endpointing', 120_250, 0],
      ['llm_ttft', 300_000, 120.25],
      ['pipeline_gaps', 0, 420.25],
      ['unattributed', 29_750, 420.25],
    ]);
    expect(voice?.userSpeech).toEqual({ offsetMs: 10, durationMs: 190.5 });
    expect(voice?.agentAudio?.offsetMs).toBeCloseTo(650.5, 6);
  });

  it('ends the bar at the first agent audio when the end of speech is not marked, and draws it from 0 when nothing places it', () => {
    expect(toWaterfall(turnOf({ voice: voiceOf({ agent_audio_started_at: at(600_000) }) })).voice?.bar?.offsetMs).toBeCloseTo(150, 6);
    expect(toWaterfall(turnOf({ voice: { ...voiceOf({}), source: 'reported' } })).voice?.bar?.offsetMs).toBeNull();
  });

  it('stretches the axis over markers outside the turn span (a pipeline that opened the turn late)', () => {
    const turn = turnOf({ started_at: at(1_000_000), ended_at: at(1_100_000), duration_ms: 100, voice: voiceOf({ user_speech_started_at: at(500_000), user_speech_ended_at: at(950_000), agent_audio_started_at: at(1_400_000), agent_audio_ended_at: at(1_700_000) }) });
    const waterfall = toWaterfall(turn);
    expect(waterfall.voice?.userSpeech?.offsetMs).toBe(0);
    expect(waterfall.voice?.bar?.offsetMs).toBe(450);
    expect(waterfall.axisMs).toBe(1200);
  });

  it('has no lane for a turn without voice facts', () => {
    expect(toWaterfall(turnOf({})).voice).toBeNull();
  });
});
