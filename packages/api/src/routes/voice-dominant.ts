import { getVoiceDominant, type VoiceDominant } from '@convotel/query';
import { z } from 'zod';
import { pageParams, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { voiceAgentParam, voiceStageSchema } from '../voice-schemas.js';

export const voiceDominantResponse = z.object({
  items: z.array(
    z.object({
      conversationId: z.string(),
      traceId: z.string(),
      turnSpanId: z.string().nullable().describe('The turn span inside the trace; null when the trace is the turn'),
      turnIndex: z.number().int().nullable(),
      startedAt: z.string(),
      voiceToVoiceMs: z.number(),
      stage: voiceStageSchema,
      stageMs: z.number().describe("The stage's contribution"),
      share: z.number().describe('Of the turn’s voice-to-voice latency, 0…1'),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass back as cursor for the next page; null on the last one'),
}) satisfies z.ZodType<VoiceDominant>;

export const voiceDominantRoute = defineRoute({
  method: 'get',
  path: '/voice/dominant',
  tag: 'voice',
  summary: 'The turns where a stage dominated voice-to-voice latency, largest contribution first',
  params: z.strictObject({
    stage: voiceStageSchema.describe('The dominant stage'),
    ...windowParams,
    ...voiceAgentParam,
    ...pageParams,
  }),
  response: voiceDominantResponse,
  handler: (input, { db, now }) =>
    getVoiceDominant(
      db,
      { stage: input.stage, hours: input.hours, from: input.from, to: input.to, filters: { agent: input.agent }, limit: input.limit, cursor: input.cursor },
      { now },
    ),
});
