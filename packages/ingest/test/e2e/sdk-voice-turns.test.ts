// The SDK's voice turn markers, end to end: voice-turns-app.mjs runs with the zero-code
// register and exports to a real ingest on PostgreSQL; the turns' voice-to-voice latency is
// the marked interval to the microsecond, its contributions add up to it exactly, the
// interruptions are told apart by side, and the Twilio leg is priced per started minute.
import { VOICE_STAGES } from '@convotel/semconv';
import { describe, expect, it } from 'vitest';
import { useInstrumentedApp } from '../helpers/instrumented-app.js';

const { rows } = useInstrumentedApp(new URL('./voice-turns-app.mjs', import.meta.url), 'support-line');

const CONTRIBUTIONS = VOICE_STAGES.map((stage) => `v2v_${stage}_us`);

describe('SDK voice turns → ingest → PostgreSQL', () => {
  it('measures voice-to-voice latency between the speech markers, to the microsecond', async () => {
    const [turn] = await rows<Record<string, string>>(
      `SELECT voice_to_voice_us::text AS v2v, v2v_source AS source, v2v_endpointing_us::text AS endpointing,
              ((extract(epoch from agent_audio_started_at) - extract(epoch from user_speech_ended_at)) * 1e6)::bigint::text AS marked
         FROM turns WHERE turn_index = 0`,
    );
    // 1 234 ms + 567 891 ns after the end of speech, cut to the µs as every span time is.
    expect(turn).toEqual({ v2v: '1234567', source: 'markers', endpointing: turn?.['endpointing'], marked: '1234567' });
    // Endpointing runs to the committed marker (200 ms) at least: it is on the path until then.
    expect(Number(turn?.['endpointing'])).toBeGreaterThanOrEqual(200_000);
  });

  it('gives every voice turn contributions that sum to its voice-to-voice latency exactly', async () => {
    const turns = await rows<{ turn_index: number; v2v: string; sum: string; source: string; dominant: string }>(
      `SELECT turn_index, voice_to_voice_us::text AS v2v, (${CONTRIBUTIONS.join(' + ')})::text AS sum, v2v_source AS source, v2v_dominant_stage AS dominant
         FROM turns ORDER BY turn_index`,
    );
    expect(turns.map((t) => [t.turn_index, t.source])).toEqual([
      [0, 'markers'],
      [1, 'markers'],
      [2, 'markers'],
      // No markers: its STT/LLM/TTS spans measure it.
      [3, 'spans'],
    ]);
    for (const turn of turns) expect(turn.sum).toBe(turn.v2v);
    expect(turns.every((t) => (VOICE_STAGES as readonly string[]).includes(t.dominant))).toBe(true);
  });

  it('tells the caller barging in from the agent talking over the caller', async () => {
    expect(await rows(`SELECT turn_index, interrupted, agent_interrupted FROM turns ORDER BY turn_index`)).toEqual([
      { turn_index: 0, interrupted: null, agent_interrupted: false },
      { turn_index: 1, interrupted: null, agent_interrupted: true },
      { turn_index: 2, interrupted: true, agent_interrupted: false },
      { turn_index: 3, interrupted: null, agent_interrupted: false },
    ]);
  });

  it('prices the inbound Twilio leg per started minute and adds it to the call cost', async () => {
    const [call] = await rows<Record<string, string | number>>(
      `SELECT telephony_provider AS provider, telephony_direction AS direction, telephony_minutes AS minutes,
              telephony_cost_usd::text AS telephony, (call_cost_usd - cost_usd)::text AS added
         FROM conversations`,
    );
    // The call lasts seconds: one started minute at Twilio's US local inbound price.
    expect(call).toEqual({ provider: 'twilio', direction: 'inbound', minutes: 1, telephony: '0.008500000000', added: '0.008500000000' });
  });
});
