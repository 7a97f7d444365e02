import { getStepStats, type StepStats } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowedPageOf } from '../schemas.js';

const ms = () => z.number().nullable();

export const stepStatsSchema = z.object({
  step: z.string().describe('Step name'),
  count: z.number().int(),
  failures: z.number().int(),
  error_rate: z.number().describe('failures / count'),
  avg_ms: ms(),
  min_ms: ms(),
  max_ms: ms(),
  p10_ms: ms(),
  p25_ms: ms(),
  p50_ms: ms(),
  p75_ms: ms(),
  p90_ms: ms(),
  p95_ms: ms(),
  p99_ms: ms(),
  total_ms: z.number().describe('Time spent in the step over the window (the order of the list)'),
}) satisfies z.ZodType<StepStats>;

export const stepStatsResponse = windowedPageOf(stepStatsSchema).extend({
  approximate: approximateOf('p10_ms, p25_ms, p50_ms, p75_ms, p90_ms, p95_ms, p99_ms of every item'),
});

export const stepStatsRoute = defineRoute({
  method: 'get',
  path: '/steps/stats',
  tag: 'analysis',
  summary: 'Count, failures and duration statistics per step name',
  description:
    'Steps started in the window, grouped by name, most total time first. Counts, failures, avg/min/max and total_ms are exact. p10_ms…p99_ms are exact (percentile_cont over raw rows: linear interpolation between the closest ranks) for a window of 48 hours or less; beyond, without filters, they are read from the step rollups\' histograms (within 1%, listed in `approximate`); with a filter they stay exact.',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('steps'),
    ...pageParams,
    step: text().optional().describe('Only this step name'),
  }),
  response: stepStatsResponse,
  handler: (input, { db, now }) =>
    getStepStats(db, { hours: input.hours, from: input.from, to: input.to, filters: toFilters(input), step: input.step, limit: input.limit, cursor: input.cursor }, { now }),
});
