import { getConversation } from '@convotel/query';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { eventSchema, turnDetailSchema } from '../item-schemas.js';
import { text } from '../params.js';
import { defineRoute } from '../route.js';
import { timeOrNull } from '../schemas.js';
import { telephonySchema } from '../voice-schemas.js';
import { conversationSummarySchema } from './conversations.js';

export const conversationDetailResponse = z.object({
  conversation: conversationSummarySchema.extend({
    first_seen_at: timeOrNull,
    last_seen_at: timeOrNull,
    error_type: z.string().nullable(),
    error_message: z.string().nullable(),
    llm_cost_usd: z.number(),
    stt_cost_usd: z.number(),
    tts_cost_usd: z.number(),
    other_cost_usd: z.number(),
    cache_read_tokens: z.number(),
    llm_errors: z.number().int(),
    success_rate: z.number().nullable(),
    last_user_input: z.string().nullable(),
    last_agent_output: z.string().nullable(),
    telephony: telephonySchema,
    call_cost_usd: z.number().nullable().describe("The turns' cost plus telephony; null until the call is priced"),
  }),
  turns: z
    .array(turnDetailSchema)
    .describe('In order (turn index, then start). A turn inside a long trace lists only its own steps, LLM calls, SQL queries and events'),
  events: z.array(eventSchema).describe("Every system event of the conversation, in time order"),
  truncated: z.boolean().describe('A list was cut at the row bound (CONVOTEL_API_MAX_ROWS)'),
});

export const conversationDetailRoute = defineRoute({
  method: 'get',
  path: '/conversations/:conversation_id',
  tag: 'conversations',
  summary: 'A conversation with its turns, steps, LLM calls, SQL queries, events and bottlenecks',
  params: z.strictObject({ conversation_id: text() }),
  response: conversationDetailResponse,
  handler: async (input, { db }) => {
    const detail = await getConversation(db, input.conversation_id);
    if (detail === undefined) throw new NotFoundError(`no conversation ${input.conversation_id}`);
    return detail;
  },
});
