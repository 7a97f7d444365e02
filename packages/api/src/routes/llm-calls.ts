import { LLM_CALL_SORTS, listLlmCalls } from '@convotel/query';
import { z } from 'zod';
import { llmCallSchema } from '../item-schemas.js';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { pageOf } from '../schemas.js';

export const llmCallsRoute = defineRoute({
  method: 'get',
  path: '/llm-calls',
  tag: 'analysis',
  summary: 'LLM calls started in the window',
  description: 'Every filter, a conversation, a trace or a parent span (the calls nested in one step or call). A call seen by two instrumentation layers is listed once.',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('llm_calls'),
    ...pageParams,
    sort: z.enum(LLM_CALL_SORTS).optional().describe('recent (default), slowest or costliest'),
    conversation: text().optional().describe('Conversation id'),
    trace_id: text().optional(),
    parent_span_id: text().optional().describe('Calls whose parent span is this one'),
  }),
  response: pageOf(llmCallSchema),
  handler: (input, { db, now }) =>
    listLlmCalls(
      db,
      {
        hours: input.hours,
        from: input.from,
        to: input.to,
        filters: toFilters(input),
        conversationId: input.conversation,
        // OTLP/JSON ids are lowercase hex; accept them in any case.
        traceId: input.trace_id?.toLowerCase(),
        parentSpanId: input.parent_span_id?.toLowerCase(),
        sort: input.sort,
        limit: input.limit,
        cursor: input.cursor,
      },
      now,
    ),
});
