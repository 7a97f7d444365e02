// Turns inside call-long traces, through StoreSink into real PostgreSQL and PGlite: the recorded
// LiveKit session (fixtures/livekit-turns: five user turns in one trace — a tool call answered in
// a second agent_turn of the same speech id, an interrupted answer, a rate-limited request whose
// agent_turn stays OK) and the hand-built Pipecat call (fixtures/pipecat, unverified: three
// turns, the second interrupted).
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import type { TraceRequest } from '../../../src/otlp/types.js';
import { LIVE_CHANNEL } from '@convotel/store';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../../helpers/db.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';

const BODY_BYTES = 1_000_000;

describe.each(STORE_KINDS)('turns inside call-long traces (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  const rows = <R = Record<string, unknown>>(sql: string) => queryRows<R>(db.store, sql);

  async function deliver(bodies: readonly TraceRequest[]): Promise<void> {
    const sink = new StoreSink(db.store);
    for (const body of bodies) expect((await writeTraceRequest(sink, body, BODY_BYTES)).rejected).toBe(0);
  }

  it('finds the five user turns of the LiveKit session in its one trace, with their own tokens and the failed one failed', async () => {
    await deliver(loadTraceFixture('livekit-turns'));

    const turns = await rows<Record<string, unknown>>(
      `SELECT turn_index, status, error_type, interrupted, llm_calls, llm_errors, input_tokens::int AS input_tokens, output_tokens::int AS output_tokens,
              cache_read_tokens::int AS cache_read_tokens, user_input
         FROM turns ORDER BY started_at`,
    );
    expect(turns).toEqual([
      { turn_index: 0, status: 'ok', error_type: null, interrupted: false, llm_calls: 1, llm_errors: 0, input_tokens: 50, output_tokens: 9, cache_read_tokens: 20, user_input: 'Name three French cheeses.' },
      // The tool call and the answer after it: two agent_turn spans of one speech id.
      { turn_index: 1, status: 'ok', error_type: null, interrupted: false, llm_calls: 2, llm_errors: 0, input_tokens: 140, output_tokens: 26, cache_read_tokens: 40, user_input: 'What is the weather in Paris?' },
      { turn_index: 2, status: 'ok', error_type: null, interrupted: true, llm_calls: 1, llm_errors: 0, input_tokens: 50, output_tokens: 9, cache_read_tokens: 20, user_input: 'Name three French cheeses. [mock:slow]' },
      // LiveKit leaves agent_turn OK; the failed request makes the turn fail.
      { turn_index: 3, status: 'error', error_type: '429', interrupted: false, llm_calls: 1, llm_errors: 1, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, user_input: 'Tell me a joke. [mock:429]' },
      { turn_index: 4, status: 'ok', error_type: null, interrupted: false, llm_calls: 1, llm_errors: 0, input_tokens: 50, output_tokens: 9, cache_read_tokens: 20, user_input: 'What is the capital of France?' },
    ]);
    expect(await rows(`SELECT turns, errors, llm_calls, input_tokens::int AS input_tokens, output_tokens::int AS output_tokens FROM conversations`)).toEqual([
      { turns: 5, errors: 1, llm_calls: 6, input_tokens: 290, output_tokens: 53 },
    ]);
    // Each turn's rows are filed under it: the tool turn holds the function_tool step and both calls.
    expect(
      await rows(`SELECT t.turn_index, count(*)::int AS calls FROM llm_calls c JOIN turns t ON t.trace_id = c.trace_id AND t.turn_span_id = c.turn_span_id GROUP BY 1 ORDER BY 1`),
    ).toEqual([
      { turn_index: 0, calls: 1 },
      { turn_index: 1, calls: 2 },
      { turn_index: 2, calls: 1 },
      { turn_index: 3, calls: 1 },
      { turn_index: 4, calls: 1 },
    ]);
    // The turn rollups count turns, not traces.
    expect(await rows(`SELECT sum(turns)::int AS turns, sum(errors)::int AS errors, sum(interruptions)::int AS interruptions FROM turn_hourly`)).toEqual([
      { turns: 5, errors: 1, interruptions: 1 },
    ]);
  });

  it('splits each spoken LiveKit turn into contributions that sum to its voice-to-voice latency to the microsecond', async () => {
    await deliver(loadTraceFixture('livekit-turns'));

    const voiced = await rows<Record<string, string | null>>(
      `SELECT turn_index, voice_to_voice_us::text AS v2v, v2v_llm_ttft_us::text AS llm, v2v_tts_ttfb_us::text AS tts,
              (v2v_endpointing_us + v2v_transcription_us + v2v_llm_ttft_us + v2v_tools_us + v2v_tts_ttfb_us + v2v_pipeline_gaps_us + v2v_unattributed_us)::text AS sum,
              v2v_source AS source, agent_audio_started_at IS NOT NULL AS has_audio
         FROM turns ORDER BY started_at`,
    );
    // Spoken turns: everything but the failed one.
    expect(voiced.map((t) => t['has_audio'])).toEqual([true, true, true, false, true]);
    for (const turn of voiced.filter((t) => t['v2v'] !== null)) {
      expect(turn['sum']).toBe(turn['v2v']);
      expect(BigInt(turn['llm'] ?? '0')).toBeGreaterThan(0n);
      expect(BigInt(turn['tts'] ?? '0')).toBeGreaterThan(0n);
    }
    expect(voiced.filter((t) => t['v2v'] !== null).length).toBeGreaterThanOrEqual(4);
  });

  it('finds the three turns of the Pipecat call (unverified shape), the second interrupted, with its reported latency', async () => {
    await deliver(loadTraceFixture('pipecat'));

    expect(
      await rows(`SELECT turn_index, interrupted, llm_calls, voice_to_voice_us::text AS v2v, v2v_source AS source,
                         (v2v_endpointing_us + v2v_transcription_us + v2v_llm_ttft_us + v2v_tools_us + v2v_tts_ttfb_us + v2v_pipeline_gaps_us + v2v_unattributed_us)::text AS sum
                    FROM turns ORDER BY started_at`),
    ).toEqual([
      { turn_index: 1, interrupted: false, llm_calls: 1, v2v: '1040000', source: 'reported', sum: '1040000' },
      { turn_index: 2, interrupted: true, llm_calls: 1, v2v: '1000000', source: 'reported', sum: '1000000' },
      { turn_index: 3, interrupted: false, llm_calls: 2, v2v: '1620000', source: 'reported', sum: '1620000' },
    ]);
    expect(await rows(`SELECT turns, llm_calls, input_tokens::int AS input_tokens FROM conversations`)).toEqual([{ turns: 3, llm_calls: 4, input_tokens: 232 }]);
  });

  it('tells the live feed of a call in progress as each of its turns arrives, before the session span', async () => {
    const heard: string[] = [];
    const listener = await db.store.listen(LIVE_CHANNEL, { onNotification: (payload) => heard.push(payload) });
    try {
      const [session] = loadTraceFixture('livekit-turns') as [TraceRequest];
      // Everything but the session span, which ends only at hang-up.
      const live: TraceRequest = {
        resourceSpans: session.resourceSpans.map((rs) => ({
          ...rs,
          scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.filter((span) => span.name !== 'agent_session') })),
        })),
      };
      await deliver([live]);
      const traceId = session.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId;
      const deadline = Date.now() + 5000;
      const conversationNotices = () => heard.map((p) => JSON.parse(p) as { type: string; conversation_id: string | null }).filter((n) => n.type === 'conversation');
      while (conversationNotices().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(conversationNotices().map((n) => n.conversation_id)).toEqual([traceId]);
    } finally {
      await listener.close();
    }
  });
});
