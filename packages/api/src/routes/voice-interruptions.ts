import { DEFAULT_DEAD_AIR_MS, getVoiceInterruptions, MAX_DEAD_AIR_MS, type VoiceInterruptions } from '@convotel/query';
import { z } from 'zod';
import { windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';
import { voiceAgentParam } from '../voice-schemas.js';

export const voiceInterruptionsResponse = z.object({
  window: windowSchema,
  turns: z.number().int().describe('Turns started in the window'),
  voice_turns: z.number().int().describe('Of those, turns with a marker or a voice-to-voice latency'),
  interrupted_by_user: z.number().int().describe('Turns the user barged in on'),
  interrupted_by_agent: z.number().int().describe('Turns where the agent talked over the user'),
  user_interruption_rate: z.number().describe('interrupted_by_user / turns'),
  agent_interruption_rate: z.number().describe('interrupted_by_agent / turns'),
  dead_air: z.object({
    threshold_ms: z.number(),
    silences: z.number().int().describe('Silences longer than threshold_ms where neither side speaks'),
    turns_with_dead_air: z.number().int().describe('Turns with at least one (a silence between turns belongs to the later turn)'),
    rate: z.number().describe('turns_with_dead_air / voice_turns'),
    longest_ms: z.number().nullable().describe('The longest such silence; null without any'),
  }),
}) satisfies z.ZodType<VoiceInterruptions>;

export const voiceInterruptionsRoute = defineRoute({
  method: 'get',
  path: '/voice/interruptions',
  tag: 'voice',
  summary: 'Interruptions by the user and by the agent, and dead air',
  description:
    'Dead air is a silence longer than dead_air_ms where neither side speaks, counted only where the turn markers say so: inside a turn from the end of the user’s speech to the agent’s first audio, ' +
    'and between consecutive turns of a conversation (ordered by start) from the end of the agent’s audio to the user’s next speech.',
  params: z.strictObject({
    ...windowParams,
    ...voiceAgentParam,
    dead_air_ms: z.coerce
      .number()
      .positive()
      .max(MAX_DEAD_AIR_MS)
      .optional()
      .describe(`Silences longer than this many ms are dead air (default ${DEFAULT_DEAD_AIR_MS})`),
  }),
  response: voiceInterruptionsResponse,
  handler: (input, { db, now }) =>
    getVoiceInterruptions(db, { hours: input.hours, from: input.from, to: input.to, filters: { agent: input.agent }, deadAirMs: input.dead_air_ms }, { now }),
});
