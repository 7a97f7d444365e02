import { ROLLUP_MIN_WINDOW_HOURS, TIMESERIES_INTERVALS, TIMESERIES_METRICS, getTimeseries } from '@convotel/query';
import { z } from 'zod';
import { filterParams, timeZone, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

export const timeseriesResponse = z.object({
  metric: z.enum(TIMESERIES_METRICS),
  interval: z.enum(TIMESERIES_INTERVALS),
  tz: z.string(),
  window: windowSchema,
  points: z.array(z.object({ t: z.string().describe('Bucket start'), value: z.number() })).describe('Every bucket of the window, empty ones as 0'),
  approximate: approximateOf('points, for turn_p95_ms beyond the exact range'),
});

export const timeseriesRoute = defineRoute({
  method: 'get',
  path: '/timeseries',
  tag: 'overview',
  summary: 'One metric per hour or day',
  description:
    'conversations (by start), turns, llm_calls, cost_usd (of turns), errors (failed turns), turn_p95_ms (percentile_cont of turn durations, 0 for an empty bucket). ' +
    `Up to ${ROLLUP_MIN_WINDOW_HOURS} h computed exactly from raw rows. A longer window reads hourly rollups for its whole hours and raw rows for the partial hours at its ends, ` +
    'where the time zone is a whole number of hours from UTC and the filters are rollup dimensions (service, agent, channel; provider, call_type, status for llm_calls): ' +
    'counts and sums stay exact, turn_p95_ms is approximate (within 1%, approximate: ["points"]). conversations is always computed from raw rows.',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('turns'),
    metric: z.enum(TIMESERIES_METRICS),
    interval: z.enum(TIMESERIES_INTERVALS).optional().describe('hour (default) or day'),
    tz: timeZone(),
  }),
  response: timeseriesResponse,
  handler: (input, { db, now }) =>
    getTimeseries(db, { hours: input.hours, from: input.from, to: input.to, metric: input.metric, interval: input.interval, tz: input.tz, filters: toFilters(input) }, now),
});
