import { getCompare, type Compare } from '@convotel/query';
import { z } from 'zod';
import { filterParams, instant, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

const durations = z.object({
  count: z.number().int(),
  avg_ms: z.number().nullable(),
  p50_ms: z.number().nullable().describe('Exact up to 48 hours; beyond, read from rollup histograms where `approximate` says so'),
  p95_ms: z.number().nullable().describe('Exact up to 48 hours; beyond, read from rollup histograms where `approximate` says so'),
});
const delta = z.object({ avg: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable() });
const comparison = {
  before: durations,
  after: durations,
  delta_ms: delta.describe('after − before; null when either is unknown'),
  delta_pct: delta.describe('(after − before) / before × 100; null when before is unknown or 0'),
};

export const compareResponse = z.object({
  windows: z.object({ before: windowSchema, after: windowSchema }),
  turns: z.object(comparison).describe('Whole turns'),
  steps: z.array(z.object({ step: z.string(), ...comparison })).describe('Every step name of either window, by name'),
  truncated: z.boolean().describe('The step list was cut at the row bound (CONVOTEL_API_MAX_ROWS)'),
  approximate: approximateOf('turns.before.p50_ms, turns.before.p95_ms, turns.after.…, steps.before.…, steps.after.…; the p50 and p95 deltas of such a figure are approximate too'),
}) satisfies z.ZodType<Compare>;

export const compareRoute = defineRoute({
  method: 'get',
  path: '/compare',
  tag: 'analysis',
  summary: 'Turn and step durations before and after a change',
  description:
    'after is after_from…after_to (default: the last hours, 24); before is before_from…before_to, by default as long as after and ending where it starts. Turns and steps are placed by their start. Counts and averages are exact. Percentiles are exact (percentile_cont over raw rows) for a window of 48 hours or less; beyond, a window\'s turn p50/p95 come from the turn rollups\' histograms (filters service, agent, channel; any other filter keeps raw rows) and its step p50/p95 from the step rollups\' (without filters), within 1%, as `approximate` lists.',
  params: z.strictObject({
    before_from: instant().optional().describe('Start of the before window (inclusive)'),
    before_to: instant().optional().describe('End of the before window (exclusive); default after_from'),
    after_from: instant().optional().describe('Start of the after window (inclusive)'),
    after_to: instant().optional().describe('End of the after window (exclusive); default now'),
    hours: windowParams.hours,
    ...filterParams('steps'),
    step: text().optional().describe('Only this step name'),
  }),
  response: compareResponse,
  handler: (input, { db, now }) =>
    getCompare(
      db,
      {
        beforeFrom: input.before_from,
        beforeTo: input.before_to,
        afterFrom: input.after_from,
        afterTo: input.after_to,
        hours: input.hours,
        filters: toFilters(input),
        step: input.step,
      },
      { now },
    ),
});
