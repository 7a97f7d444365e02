import { getVoiceCost, type VoiceCost } from '@convotel/query';
import { z } from 'zod';
import { windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';
import { voiceAgentParam } from '../voice-schemas.js';

export const voiceCostResponse = z.object({
  window: windowSchema,
  calls: z.number().int().describe('Conversations started in the window with telephony or on the voice channel'),
  call_minutes: z.number().describe('Their billed telephony minutes, else their duration'),
  cost_usd: z.object({
    llm: z.number(),
    stt: z.number(),
    tts: z.number(),
    telephony: z.number(),
    other: z.number(),
    total: z.number().describe('The sum of the others'),
  }),
  cost_per_call_minute_usd: z.number().nullable().describe('total / call_minutes; null without minutes'),
}) satisfies z.ZodType<VoiceCost>;

export const voiceCostRoute = defineRoute({
  method: 'get',
  path: '/voice/cost',
  tag: 'voice',
  summary: 'Whole-call cost (LLM, STT, TTS, telephony) and cost per call minute',
  params: z.strictObject({ ...windowParams, ...voiceAgentParam }),
  response: voiceCostResponse,
  handler: (input, { db, now }) => getVoiceCost(db, { hours: input.hours, from: input.from, to: input.to, filters: { agent: input.agent } }, { now }),
});
