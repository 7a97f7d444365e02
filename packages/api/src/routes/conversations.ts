import { CONVERSATION_SORTS, listConversations } from '@convotel/query';
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { json, pageOf, timeOrNull } from '../schemas.js';

export const conversationSummarySchema = z.object({
  conversation_id: z.string(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  service_name: z.string().nullable(),
  agent_name: z.string().nullable(),
  channel: z.string().nullable(),
  status: z.string().describe('active, completed or error'),
  end_reason: z.string().nullable(),
  started_at: timeOrNull,
  ended_at: timeOrNull,
  duration_ms: z.number().nullable(),
  turns: z.number().int(),
  llm_calls: z.number().int(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cost_usd: z.number(),
  errors: z.number().int().describe('Failed turns'),
  metadata: json,
});

export const conversationsRoute = defineRoute({
  method: 'get',
  path: '/conversations',
  tag: 'conversations',
  summary: 'Conversations started in the window',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('conversations'),
    ...pageParams,
    sort: z.enum(CONVERSATION_SORTS).optional().describe('recent (default), slowest or costliest'),
    min_duration_ms: z.coerce.number().min(0).optional(),
    min_cost_usd: z.coerce.number().min(0).optional(),
    q: text().optional().describe("Text in a turn's captured user input or agent output (case-insensitive)"),
  }),
  response: pageOf(conversationSummarySchema),
  handler: (input, { db, now }) =>
    listConversations(
      db,
      {
        hours: input.hours,
        from: input.from,
        to: input.to,
        filters: toFilters(input),
        sort: input.sort,
        minDurationMs: input.min_duration_ms,
        minCostUsd: input.min_cost_usd,
        q: input.q,
        limit: input.limit,
        cursor: input.cursor,
      },
      now,
    ),
});
