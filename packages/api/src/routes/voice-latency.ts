import { getVoiceLatency, VOICE_GROUP_BYS, type VoiceLatency } from '@convotel/query';
import { z } from 'zod';
import { windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';
import { voiceLatencyFilterParams, voiceStageSchema } from '../voice-schemas.js';

export const voiceLatencyResponse = z.object({
  window: windowSchema,
  hours: z.number().describe('Length of the window, hours'),
  by: z.enum(VOICE_GROUP_BYS),
  groups: z
    .array(
      z.object({
        key: z.string().nullable().describe('The agent, model, provider or UTC hour (2026-01-02T03:00:00Z) of the group; null for by=none or rows that name none'),
        turns: z.number().int(),
        voice_to_voice: z.object({ p50_ms: z.number(), p95_ms: z.number(), p99_ms: z.number(), avg_ms: z.number() }),
        stages: z
          .array(
            z.object({
              stage: voiceStageSchema,
              p50_ms: z.number(),
              p95_ms: z.number(),
              avg_ms: z.number(),
              share: z.number().describe("The stage's sum over the group's voice-to-voice sum; a group's shares sum to 1"),
            }),
          )
          .describe('Every stage in pipeline order; a turn without a stage counts 0 for it'),
      }),
    )
    .describe('Hours in time order, other groups most turns first; empty without voice turns'),
}) satisfies z.ZodType<VoiceLatency>;

export const voiceLatencyRoute = defineRoute({
  method: 'get',
  path: '/voice/latency',
  tag: 'voice',
  summary: 'Voice-to-voice latency and each stage’s contribution, by agent, model, provider or hour',
  description:
    "Turns started in the window that have a voice-to-voice latency (end of the user's speech to the agent's first audio). " +
    'Percentiles are exact (percentile_cont, linear interpolation) over the turn rows, one row per turn (a summary table, not raw spans), for any window. ' +
    'agent is the conversation’s agent name; model and provider are the LLM on the turn’s critical path; hour is the UTC hour of the turn’s start.',
  params: z.strictObject({
    ...windowParams,
    ...voiceLatencyFilterParams,
    by: z.enum(VOICE_GROUP_BYS).optional().describe('none (default), agent, model, provider or hour'),
  }),
  response: voiceLatencyResponse,
  handler: (input, { db, now }) =>
    getVoiceLatency(
      db,
      { hours: input.hours, from: input.from, to: input.to, by: input.by, filters: { agent: input.agent, model: input.model, provider: input.provider, service: input.service } },
      { now },
    ),
});
