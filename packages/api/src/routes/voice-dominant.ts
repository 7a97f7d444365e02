import { getVoiceDominant, type VoiceDominant } from '@convotel/query';
import { z } from 'zod';
import { pageParams, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { voiceAgentParam, voiceStageSchema } from '../voice-schemas.js';

export const voiceDominantResponse = z.object({
  items: z.array(
    z.object({
      conversation_id: z.string(),
      trace_id: z.string(),
      turn_span_id: z.string().nullable().describe('The turn span inside the trace; null when the trace is the turn'),
      turn_index: z.number().int().nullable(),
      started_at: z.string(),
      voice_to_voice_ms: z.number(),
      stage: voiceStageSchema,
      stage_ms: z.number().describe("The stage's contribution"),
      share: z.number().describe('Of the turn’s voice-to-voice latency, 0…1'),
    }),
  ),
  next_cursor: z.string().nullable().describe('Pass back as cursor for the next page; null on the last one'),
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
