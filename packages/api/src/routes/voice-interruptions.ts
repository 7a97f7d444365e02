import { DEFAULT_DEAD_AIR_MS, getVoiceInterruptions, MAX_DEAD_AIR_MS, type VoiceInterruptions } from '@convotel/query';
import { z } from 'zod';
import { windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';
import { voiceAgentParam } from '../voice-schemas.js';

export const voiceInterruptionsResponse = z.object({
  window: windowSchema,
  turns: z.number().int().describe('Turns started in the window'),
  voiceTurns: z.number().int().describe('Of those, turns with a marker or a voice-to-voice latency'),
  interruptedByUser: z.number().int().describe('Turns the user barged in on'),
  interruptedByAgent: z.number().int().describe('Turns where the agent talked over the user'),
  userInterruptionRate: z.number().describe('interruptedByUser / turns'),
  agentInterruptionRate: z.number().describe('interruptedByAgent / turns'),
  deadAir: z.object({
    thresholdMs: z.number(),
    silences: z.number().int().describe('Silences longer than thresholdMs where neither side speaks'),
    turnsWithDeadAir: z.number().int().describe('Turns with at least one (a silence between turns belongs to the later turn)'),
    rate: z.number().describe('turnsWithDeadAir / voiceTurns'),
    longestMs: z.number().nullable().describe('The longest such silence; null without any'),
  }),
}) satisfies z.ZodType<VoiceInterruptions>;

export const voiceInterruptionsRoute = defineRoute({
  method: 'get',
  path: '/voice/interruptions',
  tag: 'voice',
  summary: 'Interruptions by the user and by the agent, and dead air',
  description:
    'Dead air is a silence longer than deadAirMs where neither side speaks, counted only where the turn markers say so: inside a turn from the end of the user’s speech to the agent’s first audio, ' +
    'and between consecutive turns of a conversation (ordered by start) from the end of the agent’s audio to the user’s next speech.',
  params: z.strictObject({
    ...windowParams,
    ...voiceAgentParam,
    deadAirMs: z.coerce
      .number()
      .positive()
      .max(MAX_DEAD_AIR_MS)
      .optional()
      .describe(`Silences longer than this many ms are dead air (default ${DEFAULT_DEAD_AIR_MS})`),
  }),
  response: voiceInterruptionsResponse,
  handler: (input, { db, now }) =>
    getVoiceInterruptions(db, { hours: input.hours, from: input.from, to: input.to, filters: { agent: input.agent }, deadAirMs: input.deadAirMs }, { now }),
});
