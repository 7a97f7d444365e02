import { getSqlAnalysis, ROLLUP_MIN_WINDOW_HOURS, type SqlAnalysis, type SqlStatementStats } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowedPageOf } from '../schemas.js';

export const sqlStatementSchema = z.object({
  statement: z.string().describe('Normalized: literals replaced by ?'),
  system: z.string().describe('Database system (postgresql, mysql, …)'),
  count: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number().describe('errors / count'),
  avg_ms: z.number().nullable(),
  p50_ms: z.number().nullable().describe(`Exact up to ${ROLLUP_MIN_WINDOW_HOURS} h (percentile_cont); beyond, read from rollup histograms, within 1% (listed in approximate)`),
  p95_ms: z.number().nullable().describe(`Exact up to ${ROLLUP_MIN_WINDOW_HOURS} h (percentile_cont); beyond, read from rollup histograms, within 1% (listed in approximate)`),
  max_ms: z.number().nullable(),
  total_ms: z.number().describe('Time spent in the statement over the window (the order of the list)'),
  rows: z.number().describe('Rows returned, over the spans that report them'),
}) satisfies z.ZodType<SqlStatementStats>;

export const sqlAnalysisResponse = windowedPageOf(sqlStatementSchema).extend({ approximate: approximateOf('p50_ms, p95_ms') }) satisfies z.ZodType<SqlAnalysis>;

export const sqlAnalysisRoute = defineRoute({
  method: 'get',
  path: '/sql-queries/analysis',
  tag: 'analysis',
  summary: 'SQL statements grouped by normalized text and database system',
  description:
    `SQL spans started in the window, most total time first. Up to ${ROLLUP_MIN_WINDOW_HOURS} h every figure is computed exactly from raw rows. ` +
    `A longer window reads the SQL rollups by day and hour plus raw rows (the partial hours at its ends): counts, errors, rows, total, average and maximum time stay exact; ` +
    `p50_ms and p95_ms are read from fine histograms, within 1%, and listed in approximate. Any filter but system makes the answer exact again, from raw rows.`,
  params: z.strictObject({
    ...windowParams,
    ...filterParams('sql_queries'),
    ...pageParams,
    system: text().optional().describe('Only this database system'),
  }),
  response: sqlAnalysisResponse,
  handler: (input, { db, now }) =>
    getSqlAnalysis(db, { hours: input.hours, from: input.from, to: input.to, filters: toFilters(input), system: input.system, limit: input.limit, cursor: input.cursor }, { now }),
});
