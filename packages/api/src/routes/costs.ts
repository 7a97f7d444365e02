import { COST_INTERVALS, GROUP_BYS, getCosts, type CostGroup } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, timeZone, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

const costFigures = {
  cost_usd: z.number().describe('LLM + STT + TTS + other'),
  llm_cost_usd: z.number(),
  stt_cost_usd: z.number(),
  tts_cost_usd: z.number(),
  other_cost_usd: z.number(),
  calls: z.number().int().describe('LLM calls'),
  conversations: z.number().int(),
  input_tokens: z.number(),
  output_tokens: z.number(),
};

export const costGroupSchema = z.object({
  key: z
    .string()
    .nullable()
    .describe("The user, session, … of the group; null when the rows name none. An LLM call's model is its response model, else its request model"),
  ...costFigures,
  series: z
    .array(z.object({ t: z.string().describe('Day start'), ...costFigures }))
    .optional()
    .describe('With interval=day: every day of the window (in tz), empty days as 0'),
}) satisfies z.ZodType<CostGroup>;

export const costsResponse = z.object({
  window: windowSchema,
  by: z.enum(GROUP_BYS),
  interval: z.enum(COST_INTERVALS).nullable(),
  tz: z.string(),
  items: z.array(costGroupSchema),
  next_cursor: z.string().nullable(),
  approximate: approximateOf('conversations when the window (over 48 hours, no filter) was read from rollups; every other figure is exact'),
});

export const costsRoute = defineRoute({
  method: 'get',
  path: '/costs',
  tag: 'analysis',
  summary: 'Spend by user, session, agent, model, provider, call type or function',
  description:
    'Costliest first. user, session and agent sum the turns started in the window (as the overview does); model and provider sum the LLM calls and the priced STT/TTS steps started in it (deepgram nova-3 is a provider and a model too); call_type and function sum LLM calls only. ' +
    "An LLM call's model is its response model, else its request model (a failed call has no response model and falls under the model it asked for): the key of the overview's top_models and of /llm-calls/analysis. " +
    'Windows over 48 hours without filters read hourly and daily rollups (the partial hours at their ends from raw rows): spend, calls and tokens stay exact. ' +
    "Their conversations are counted from each conversation's first and last row of the key, whose span overlaps the window: a conversation with rows of the key before and after the window but none inside it counts although it should not, so approximate lists conversations. " +
    'The per-day series reads daily rollups in UTC, hourly ones in a zone a whole number of hours from UTC, raw rows otherwise. Shorter windows and filtered questions are exact from raw rows. ' +
    'With interval=day a page holds at most CONVOTEL_API_MAX_ROWS / days items.',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('turns'),
    ...pageParams,
    by: z.enum(GROUP_BYS).optional().describe('model (default), provider, call_type, function, user, session or agent'),
    interval: z.enum(COST_INTERVALS).optional().describe('day: add a per-day series to each item'),
    tz: timeZone(),
  }),
  response: costsResponse,
  handler: (input, { db, now }) =>
    getCosts(
      db,
      { hours: input.hours, from: input.from, to: input.to, by: input.by, filters: toFilters(input), interval: input.interval, tz: input.tz, limit: input.limit, cursor: input.cursor },
      { now },
    ),
});
