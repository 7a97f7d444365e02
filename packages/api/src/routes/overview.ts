import { DEFAULT_SLA_MS, DEFAULT_TOP_MODELS, ROLLUP_MIN_WINDOW_HOURS, getOverview } from '@convotel/query';
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { filterParams, toFilters, windowParams } from '../params.js';
import { approximateOf, windowSchema } from '../schemas.js';

const percentiles = z
  .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
  .describe(
    `Exact percentile_cont over raw rows for windows up to ${ROLLUP_MIN_WINDOW_HOURS} h; beyond, approximate: read from fine rollup histograms, within 1% of the exact value (listed in approximate). Null without samples`,
  );

export const overviewResponse = z.object({
  window: windowSchema,
  conversations: z.number().int().describe('Conversations started in the window'),
  active_conversations: z.number().int().describe('Of those, still active (no conversation end seen)'),
  turns: z.number().int(),
  failed_turns: z.number().int(),
  llm_calls: z.number().int(),
  failed_llm_calls: z.number().int(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cost_usd: z
    .object({ total: z.number(), llm: z.number(), stt: z.number(), tts: z.number(), other: z.number() })
    .describe("Sum over the window's turns"),
  error_rate: z.number().describe('Failed turns / turns'),
  llm_error_rate: z.number().describe('Failed LLM calls / LLM calls'),
  turn_latency_ms: percentiles,
  perceived_latency_ms: percentiles,
  sla: z
    .object({ threshold_ms: z.number(), violations: z.number().int(), violation_rate: z.number() })
    .describe(
      `Turns whose duration exceeds sla_ms. Beyond ${ROLLUP_MIN_WINDOW_HOURS} h approximate: read from the duration histogram, off only by turns within 2% of sla_ms`,
    ),
  interruptions: z.number().int().describe('Turns the user interrupted'),
  top_models: z.array(z.object({ model: z.string(), calls: z.number().int(), cost_usd: z.number() })),
  voice: z
    .object({
      turns: z.number().int().describe('Turns with a voice-to-voice latency'),
      voice_to_voice: z.object({ p50_ms: z.number(), p95_ms: z.number(), p99_ms: z.number() }),
    })
    .nullable()
    .describe('Voice-to-voice latency of the turns in the window (exact percentile_cont over turn rows, for any window); null when no turn has one'),
  approximate: approximateOf('turn_latency_ms, perceived_latency_ms, sla.violations'),
});

export const overviewRoute = defineRoute({
  method: 'get',
  path: '/overview',
  tag: 'overview',
  summary: 'Headline figures of a window',
  description:
    `Counts, tokens, costs, error rates, latency percentiles, SLA violations and top models of the turns and calls in the window. ` +
    `Up to ${ROLLUP_MIN_WINDOW_HOURS} h every figure is computed exactly from raw rows. A longer window reads hourly rollups ` +
    `(whole hours) plus raw rows (the partial hours at its ends): counts, sums, costs, rates and top models stay exact; ` +
    `latency percentiles (within 1%) and SLA violations (off only by turns within 2% of sla_ms) are approximate, and listed in approximate. ` +
    `Filters other than service, agent and channel (turn figures) or provider, call_type and status (LLM-call figures) make those figures exact again, from raw rows.`,
  params: z.strictObject({
    ...windowParams,
    ...filterParams('turns'),
    sla_ms: z.coerce.number().positive().max(86_400_000).optional().describe(`SLA threshold in ms (default ${DEFAULT_SLA_MS})`),
    top: z.coerce.number().int().min(1).max(100).optional().describe(`Length of top_models (default ${DEFAULT_TOP_MODELS})`),
  }),
  response: overviewResponse,
  handler: (input, { db, now }) =>
    getOverview(db, { hours: input.hours, from: input.from, to: input.to, filters: toFilters(input), slaMs: input.sla_ms, topModels: input.top }, { now }),
});
