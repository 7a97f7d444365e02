import { getBusiestHours } from '@convotel/query';
import { z } from 'zod';
import { filterParams, timeZone, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';

export const busiestHoursResponse = z.object({
  tz: z.string(),
  window: windowSchema,
  items: z.array(z.object({ hour_of_day: z.number().int().min(0).max(23), conversations: z.number().int() })).describe('All 24 hours, busiest first'),
});

export const busiestHoursRoute = defineRoute({
  method: 'get',
  path: '/busiest-hours',
  tag: 'overview',
  summary: 'Conversations started per hour of the day, busiest first',
  params: z.strictObject({ ...windowParams, ...filterParams('conversations'), tz: timeZone() }),
  response: busiestHoursResponse,
  handler: (input, { db, now }) => getBusiestHours(db, { hours: input.hours, from: input.from, to: input.to, tz: input.tz, filters: toFilters(input) }, now),
});
