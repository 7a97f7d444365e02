// `events`: one row per log record (system events, GenAI content events).
import { column, table } from './table.js';

/** `events`, keyed by a hash of the record (which hashes its time) and its time, partitioned by week of time: a redelivered record is stored once. */
export const EVENTS = table(
  'events',
  {
    eventId: column('event_id', 'text', 'not null'),
    time: column('time', 'timestamptz', 'not null'),
    severityNumber: column('severity_number', 'integer', 'not null'),
    severityText: column('severity_text', 'text'),
    name: column('name', 'text'),
    component: column('component', 'text'),
    message: column('message', 'text'),
    body: column('body', 'jsonb'),
    attributes: column('attributes', 'jsonb', 'not null'),
    conversationId: column('conversation_id', 'text'),
    traceId: column('trace_id', 'text'),
    spanId: column('span_id', 'text'),
    /** GenAI content events: `input` or `output` messages of the LLM call (trace_id, span_id). */
    contentKind: column('content_kind', 'text'),
    content: column('content', 'jsonb'),
    scopeName: column('scope_name', 'text', 'not null'),
    serviceName: column('service_name', 'text'),
  },
  ['eventId', 'time'],
  'time',
);
