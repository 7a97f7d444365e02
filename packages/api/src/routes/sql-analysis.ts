import { getSqlAnalysis, type SqlStatementStats } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowedPageOf } from '../schemas.js';

export const sqlStatementSchema = z.object({
  statement: z.string().describe('Normalized: literals replaced by ?'),
  system: z.string().describe('Database system (postgresql, mysql, …)'),
  count: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number().describe('errors / count'),
  avg_ms: z.number().nullable(),
  p50_ms: z.number().nullable().describe('Exact'),
  p95_ms: z.number().nullable().describe('Exact'),
  max_ms: z.number().nullable(),
  total_ms: z.number().describe('Time spent in the statement over the window (the order of the list)'),
  rows: z.number().describe('Rows returned, over the spans that report them'),
}) satisfies z.ZodType<SqlStatementStats>;

export const sqlAnalysisResponse = windowedPageOf(sqlStatementSchema);

export const sqlAnalysisRoute = defineRoute({
  method: 'get',
  path: '/sql-queries/analysis',
  tag: 'analysis',
  summary: 'SQL statements grouped by normalized text and database system',
  description: 'SQL spans started in the window, most total time first. p50_ms and p95_ms are exact (percentile_cont over raw rows).',
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
