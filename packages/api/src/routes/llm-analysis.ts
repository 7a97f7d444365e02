import { GROUP_BYS, getLlmAnalysis, type LlmGroup } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { windowSchema } from '../schemas.js';

export const llmGroupSchema = z.object({
  key: z.string().nullable().describe('The model, provider, … of the group; null when the calls name none'),
  calls: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number().describe('errors / calls'),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  cost_usd: z.number(),
  avg_latency_ms: z.number().nullable(),
  p50_latency_ms: z.number().nullable().describe('Exact'),
  p95_latency_ms: z.number().nullable().describe('Exact'),
  avg_ttft_ms: z.number().nullable().describe('Over the calls that report a time to first token; null when none does'),
}) satisfies z.ZodType<LlmGroup>;

export const llmAnalysisResponse = z.object({
  window: windowSchema,
  group_by: z.enum(GROUP_BYS),
  items: z.array(llmGroupSchema),
  next_cursor: z.string().nullable(),
});

export const llmAnalysisRoute = defineRoute({
  method: 'get',
  path: '/llm-calls/analysis',
  tag: 'analysis',
  summary: 'LLM calls grouped by model, provider, call type, function, user, session or agent',
  description:
    'Calls started in the window (a call seen by two instrumentation layers counts once), most calls first. The model of a call is the requested one, else the answering one, so failed calls (which have no response model) fall in the same group as successful ones. p50/p95_latency_ms are exact (percentile_cont over raw rows).',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('llm_calls'),
    ...pageParams,
    group_by: z.enum(GROUP_BYS).optional().describe('model (default), provider, call_type, function, user, session or agent'),
  }),
  response: llmAnalysisResponse,
  handler: (input, { db, now }) =>
    getLlmAnalysis(
      db,
      { hours: input.hours, from: input.from, to: input.to, groupBy: input.group_by, filters: toFilters(input), limit: input.limit, cursor: input.cursor },
      { now },
    ),
});
