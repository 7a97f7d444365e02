import { getTrace } from '@convotel/query';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { llmCallSchema, turnDetailSchema } from '../item-schemas.js';
import { text } from '../params.js';
import { defineRoute } from '../route.js';

export const traceResponse = z.object({
  trace_id: z.string(),
  turns: z.array(turnDetailSchema).describe("The trace's turn (today a turn is a trace), with its conversation_id"),
  llm_calls: z.array(llmCallSchema).describe('Every LLM call of the trace'),
  truncated: z.boolean(),
});

export const traceRoute = defineRoute({
  method: 'get',
  path: '/traces/:trace_id',
  tag: 'traces',
  summary: 'A trace: its turn(s) with their conversation, and every LLM call of it',
  params: z.strictObject({ trace_id: text().describe('32 hex digits, as Tempo shows it') }),
  response: traceResponse,
  handler: async (input, { db }) => {
    // Trace ids are stored as lowercase hex.
    const detail = await getTrace(db, input.trace_id.toLowerCase());
    if (detail === undefined) throw new NotFoundError(`no trace ${input.trace_id}`);
    return detail;
  },
});
