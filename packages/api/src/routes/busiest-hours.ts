import { getBusiestHours, type BusiestHours } from '@convotel/query';
import { z } from 'zod';
import { filterParams, timeZone, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

export const busiestHoursResponse = z.object({
  tz: z.string(),
  window: windowSchema,
  items: z.array(z.object({ hour_of_day: z.number().int().min(0).max(23), conversations: z.number().int() })).describe('All 24 hours, busiest first'),
  approximate: approximateOf('none: the counts are exact'),
}) satisfies z.ZodType<BusiestHours>;

export const busiestHoursRoute = defineRoute({
  method: 'get',
  path: '/busiest-hours',
  tag: 'overview',
  summary: 'Conversations started per hour of the day, busiest first',
  description:
    'Conversations placed by their start, counted per hour of the day in tz. Beyond 48 hours the whole UTC hours are read from the conversation_hourly rollup when every filter is one of its dimensions (service, agent, channel, status) and tz is a whole number of hours from UTC throughout the window (else raw rows, e.g. Asia/Kolkata): the counts are exact either way.',
  params: z.strictObject({ ...windowParams, ...filterParams('conversations'), tz: timeZone() }),
  response: busiestHoursResponse,
  handler: (input, { db, now }) => getBusiestHours(db, { hours: input.hours, from: input.from, to: input.to, tz: input.tz, filters: toFilters(input) }, { now }),
});
