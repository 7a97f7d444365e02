import { DEFAULT_ERROR_EXAMPLES, ERROR_PATTERNS, MAX_ERROR_EXAMPLES, ROLLUP_MIN_WINDOW_HOURS, getErrorAnalysis, type ErrorAnalysis } from '@convotel/query';
import { z } from 'zod';
import { filterParams, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { approximateOf, windowSchema } from '../schemas.js';

const rate = { total: z.number().int(), failures: z.number().int(), error_rate: z.number().describe('failures / total') };

export const errorAnalysisResponse = z.object({
  window: windowSchema,
  by_step: z.array(z.object({ step: z.string(), ...rate })).describe('Steps by name, most failures first'),
  by_model: z
    .array(z.object({ model: z.string().nullable().describe('The answering model, else the requested one (as in overview top_models)'), ...rate }))
    .describe('LLM calls by model, most failures first'),
  total: z.number().int().describe('Error occurrences: one per trace and message'),
  patterns: z
    .array(
      z.object({
        pattern: z.enum(ERROR_PATTERNS),
        count: z.number().int(),
        examples: z
          .array(z.object({ trace_id: z.string(), conversation_id: z.string().nullable(), message: z.string().nullable(), at: z.string().nullable() }))
          .describe('The most recent occurrences, newest first'),
      }),
    )
    .describe('Patterns that occurred, most frequent first'),
  truncated: z.boolean().describe('A list was cut at the row bound (CONVOTEL_API_MAX_ROWS); patterns then classify the most frequent messages'),
  approximate: approximateOf('none: every figure here is a count, exact over any window'),
}) satisfies z.ZodType<ErrorAnalysis>;

export const errorsRoute = defineRoute({
  method: 'get',
  path: '/errors',
  tag: 'analysis',
  summary: 'Error rates by step and by model, and recurring error patterns',
  description: `Failed LLM calls, steps, turns and SQL spans of the window, sorted into the pattern library (${ERROR_PATTERNS.join(', ')}) by their error type and message. A failure that propagates (a call fails its step and its turn with the same message) counts once per trace and message. ` +
    `by_model keys a call by the model that answered, else the one requested (a failed call names only that), as overview top_models and the rollups do. ` +
    `Every figure is exact. Beyond ${ROLLUP_MIN_WINDOW_HOURS} h the rates are read from hourly and daily rollups plus the raw rows of the partial hours at the ends ` +
    `(by_step without filters, by_model without filters or with provider only; other filters read raw rows); patterns, without filters, from error_occurrences ` +
    `(one row per trace and message, kept by the ingest), the occurrences a window edge cuts made again from their rows inside it: equal to reading every failed row. ` +
    `With filters, or within ${ROLLUP_MIN_WINDOW_HOURS} h, patterns read the failed rows themselves.`,
  params: z.strictObject({
    ...windowParams,
    ...filterParams('steps', ['status']),
    examples: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_ERROR_EXAMPLES)
      .optional()
      .describe(`Examples per pattern (default ${DEFAULT_ERROR_EXAMPLES})`),
  }),
  response: errorAnalysisResponse,
  handler: (input, { db, now }) => getErrorAnalysis(db, { hours: input.hours, from: input.from, to: input.to, filters: toFilters(input), examples: input.examples }, { now }),
});
