// A system event (log record) as the API shows it; its columns are selected here only.
import { isoText } from '../sql.js';
import { toJson, toNumber, toText } from '../values.js';

export interface EventItem {
  readonly event_id: string;
  readonly time: string;
  readonly severity_number: number;
  readonly severity_text: string | null;
  readonly name: string | null;
  readonly component: string | null;
  readonly message: string | null;
  readonly conversation_id: string | null;
  readonly trace_id: string | null;
  readonly span_id: string | null;
  readonly service_name: string | null;
  readonly attributes: unknown;
}

/** Columns of `events` aliased `e`. */
export const EVENT_COLUMNS = `e.event_id, ${isoText('e.time')} AS time, e.severity_number, e.severity_text, e.name, e.component,
  e.message, e.conversation_id, e.trace_id, e.span_id, e.service_name, e.attributes`;

/** System events only: GenAI content events (a call's messages) belong to their call. */
export const IS_SYSTEM_EVENT = 'e.content_kind IS NULL';

export function toEventItem(row: Record<string, unknown>): EventItem {
  return {
    event_id: String(row['event_id']),
    time: String(row['time']),
    severity_number: toNumber(row['severity_number']),
    severity_text: toText(row['severity_text']),
    name: toText(row['name']),
    component: toText(row['component']),
    message: toText(row['message']),
    conversation_id: toText(row['conversation_id']),
    trace_id: toText(row['trace_id']),
    span_id: toText(row['span_id']),
    service_name: toText(row['service_name']),
    attributes: toJson(row['attributes']),
  };
}
