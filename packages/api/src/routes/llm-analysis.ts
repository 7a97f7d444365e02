import { GROUP_BYS, getLlmAnalysis, ROLLUP_MIN_WINDOW_HOURS, type LlmGroup } from '@convotel/query';
import { z } from 'zod';
import { filterParams, pageParams, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

const percentileDescription =
  `Exact (percentile_cont over raw rows) up to ${ROLLUP_MIN_WINDOW_HOURS} h, for group_by agent, and under filters the rollups lack; ` +
  `otherwise approximate: read from fine rollup histograms, within 1% (listed in approximate)`;

export const llmGroupSchema = z.object({
  key: z
    .string()
    .nullable()
    .describe("The model, provider, … of the group; null when the calls name none. A call's model is its response model, else its request model"),
  calls: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number().describe('errors / calls'),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  cost_usd: z.number(),
  avg_latency_ms: z.number().nullable(),
  p50_latency_ms: z.number().nullable().describe(percentileDescription),
  p95_latency_ms: z.number().nullable().describe(percentileDescription),
  avg_ttft_ms: z.number().nullable().describe('Over the calls that report a time to first token; null when none does'),
}) satisfies z.ZodType<LlmGroup>;

export const llmAnalysisResponse = z.object({
  window: windowSchema,
  group_by: z.enum(GROUP_BYS),
  items: z.array(llmGroupSchema),
  next_cursor: z.string().nullable(),
  approximate: approximateOf('p50_latency_ms, p95_latency_ms'),
});

export const llmAnalysisRoute = defineRoute({
  method: 'get',
  path: '/llm-calls/analysis',
  tag: 'analysis',
  summary: 'LLM calls grouped by model, provider, call type, function, user, session or agent',
  description:
    `Calls started in the window (a call seen by two instrumentation layers counts once), most calls first. ` +
    `The model of a call is its response model, else its request model (a failed call has no response model and falls under the model it asked for): ` +
    `the key of the overview's top_models and of the LLM rollups, so a model name means the same calls everywhere. ` +
    `Up to ${ROLLUP_MIN_WINDOW_HOURS} h every figure is computed exactly from raw rows. A longer window reads rollups: by model, provider or call_type ` +
    `the daily and hourly LLM rollups plus raw rows (the partial hours at its ends); by function, user or session the daily usage rollup for whole UTC days plus raw rows for the rest. ` +
    `Counts, tokens, costs and rates stay exact (averages to the µs); p50/p95_latency_ms are read from fine histograms (within 1%, listed in approximate). ` +
    `group_by=agent, and filters other than provider, call_type and status (any filter, for function, user and session), are answered exactly from raw rows.`,
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
