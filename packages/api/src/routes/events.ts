import { SEVERITIES, listEvents, type Severity } from '@convotel/query';
import { z } from 'zod';
import { eventSchema } from '../item-schemas.js';
import { filterParams, pageParams, text, toFilters, windowParams } from '../params.js';
import { defineRoute } from '../route.js';
import { pageOf } from '../schemas.js';

const SEVERITY_NAMES = Object.keys(SEVERITIES) as [Severity, ...Severity[]];

export const eventsRoute = defineRoute({
  method: 'get',
  path: '/events',
  tag: 'events',
  summary: 'System events (log records), newest first',
  params: z.strictObject({
    ...windowParams,
    ...filterParams('events'),
    ...pageParams,
    name: text().optional(),
    severity: z.enum(SEVERITY_NAMES).optional().describe('This severity and above'),
    component: text().optional(),
    conversation: text().optional().describe('Conversation id'),
    trace_id: text().optional(),
  }),
  response: pageOf(eventSchema),
  handler: (input, { db, now }) =>
    listEvents(
      db,
      {
        hours: input.hours,
        from: input.from,
        to: input.to,
        filters: toFilters(input),
        name: input.name,
        severity: input.severity,
        component: input.component,
        conversationId: input.conversation,
        traceId: input.trace_id?.toLowerCase(),
        limit: input.limit,
        cursor: input.cursor,
      },
      now,
    ),
});
