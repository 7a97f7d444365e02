// Answer pieces of the voice turn model (a turn's breakdown, a call's telephony, the voice
// filters), as zod schemas checked by the compiler against the query's types.
import { VOICE_STAGES, type Telephony, type TurnVoice } from '@convotel/query';
import { z } from 'zod';
import { text } from './params.js';
import { timeOrNull } from './schemas.js';

export const voiceStageSchema = z.enum(VOICE_STAGES);

export const turnVoiceSchema = z
  .object({
    voice_to_voice_us: z.number().int().nullable().describe("End of the user's speech to the agent's first audio, µs; null when not measured"),
    voice_to_voice_ms: z.number().nullable(),
    source: z.string().nullable().describe('What measured it: markers, spans or reported'),
    dominant_stage: z.string().nullable().describe('The stage with the largest contribution'),
    model: z.string().nullable().describe('The LLM on the critical path'),
    provider: z.string().nullable(),
    contributions: z
      .array(z.object({ stage: voiceStageSchema, us: z.number().int(), ms: z.number() }))
      .describe('The stages the turn has a contribution for, in pipeline order; their us sum to voice_to_voice_us exactly'),
    markers: z.object({
      user_speech_started_at: timeOrNull,
      user_speech_ended_at: timeOrNull,
      agent_audio_started_at: timeOrNull,
      agent_audio_ended_at: timeOrNull,
    }),
    interrupted_by: z.enum(['user', 'agent']).nullable().describe('user: the user barged in on the agent; agent: the agent talked over the user (user when both)'),
  })
  .nullable()
  .describe('The voice breakdown; null when the turn has no marker, no voice-to-voice latency and no agent interruption') satisfies z.ZodType<TurnVoice | null>;

export const telephonySchema = z
  .object({
    provider: z.string().nullable().describe('twilio, telnyx, vonage, livekit_sip, …'),
    direction: z.string().nullable().describe('inbound or outbound'),
    minutes: z.number().nullable().describe('Billed minutes'),
    cost_usd: z.number().nullable(),
  })
  .nullable()
  .describe("The call's telephony; null when the conversation span names none") satisfies z.ZodType<Telephony | null>;

/** `agent` (every voice route) and, for latency, `model`, `provider`, `service`. */
export const voiceAgentParam = { agent: text().optional().describe("The conversation's agent name") };
export const voiceLatencyFilterParams = {
  ...voiceAgentParam,
  model: text().optional().describe('The LLM on the critical path (its time to first token is in voice-to-voice latency)'),
  provider: text().optional().describe("That LLM's provider"),
  service: text().optional().describe('service.name of the sending service'),
};
