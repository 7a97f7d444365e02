// LogsRequest → `events` rows. System events (`event.name`, severity, `convotel.event.component`)
// and GenAI content events, which keep the (trace_id, span_id) of the LLM call they belong to
// and their messages in the OTel schema. Pure.
import { createHash } from 'node:crypto';
import {
  ATTR_CONVOTEL_EVENT_COMPONENT,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_SERVICE_NAME,
  CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH,
  GEN_AI_EVENT_ASSISTANT_MESSAGE,
  GEN_AI_EVENT_CHOICE,
  GEN_AI_EVENT_CONTENT_COMPLETION,
  GEN_AI_EVENT_CONTENT_PROMPT,
  GEN_AI_EVENT_OPERATION_DETAILS,
  GEN_AI_EVENT_SYSTEM_MESSAGE,
  GEN_AI_EVENT_TOOL_MESSAGE,
  GEN_AI_EVENT_USER_MESSAGE,
} from '@convotel/semconv';
import type { AttributeMap, AttributeValue, LogRecord, LogsRequest } from '../otlp/types.js';
import { isObject, readString, readStructured } from './read/attributes.js';
import { toMessages, toStorableMessages, type Message } from './concepts/content.js';
import { readIdentity } from './concepts/conversation-id.js';
import type { EventRow, LogRows } from './rows.js';
import { toIdentifier, toStorableText, toStorableValue } from './read/sanitize.js';
import { isPlausibleNanos, nanosToMicros } from './units/time.js';

// Deprecated per-message events (semconv ≤1.36; still emitted by instrumentation-openai).
const MESSAGE_EVENTS: Readonly<Record<string, { role: string; kind: 'input' | 'output' }>> = {
  [GEN_AI_EVENT_SYSTEM_MESSAGE]: { role: 'system', kind: 'input' },
  [GEN_AI_EVENT_USER_MESSAGE]: { role: 'user', kind: 'input' },
  [GEN_AI_EVENT_ASSISTANT_MESSAGE]: { role: 'assistant', kind: 'input' },
  [GEN_AI_EVENT_TOOL_MESSAGE]: { role: 'tool', kind: 'input' },
  [GEN_AI_EVENT_CHOICE]: { role: 'assistant', kind: 'output' },
  [GEN_AI_EVENT_CONTENT_PROMPT]: { role: 'user', kind: 'input' },
  [GEN_AI_EVENT_CONTENT_COMPLETION]: { role: 'assistant', kind: 'output' },
};

/** Options of {@link logsToRows}. */
export interface LogsNormalizeOptions {
  /** Longest text of a content event's messages stored, in characters; longer is cut and marked. Default 16384. */
  readonly maxContentLength?: number;
}

/** Every `events` row a decoded logs request becomes, plus the records that could not be used. */
export function logsToRows(request: LogsRequest, options: LogsNormalizeOptions = {}): LogRows {
  const maxContentLength = options.maxContentLength ?? CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH;
  const events: EventRow[] = [];
  const rejectionReasons: string[] = [];
  let rejected = 0;
  let failed = 0;
  let failure: unknown;
  for (const { resource, scopeLogs } of request.resourceLogs) {
    const service = readString(resource, ATTR_SERVICE_NAME);
    const serviceName = service === undefined ? undefined : toIdentifier(service);
    for (const { scope, logRecords } of scopeLogs) {
      for (const record of logRecords) {
        const timeNanos = record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
        if (!isPlausibleNanos(timeNanos)) {
          rejected += 1;
          if (rejectionReasons.length < 5) rejectionReasons.push(`log record without a plausible time (${timeNanos})`);
          continue;
        }
        try {
          events.push(toEventRow(record, timeNanos, resource, toIdentifier(scope.name), serviceName, maxContentLength));
        } catch (error) {
          // A bug of ours on this record's values: it alone is rejected, and the sink logs it.
          rejected += 1;
          failed += 1;
          failure ??= error;
          if (rejectionReasons.length < 5) rejectionReasons.push(`log record: internal error: ${(error as Error)?.message ?? String(error)}`);
        }
      }
    }
  }
  return { events, rejected, rejectionReasons, failed, failure, droppedValues: 0, droppedValueReasons: [] };
}

function toEventRow(
  record: LogRecord,
  timeNanos: bigint,
  resource: AttributeMap,
  scopeName: string,
  serviceName: string | undefined,
  maxContentLength: number,
): EventRow {
  const attributes = record.attributes;
  const name = record.eventName ?? readString(attributes, ATTR_EVENT_NAME);
  const content = name === undefined ? undefined : readEventContent(name, record);
  const component = readString(attributes, ATTR_CONVOTEL_EVENT_COMPONENT);
  const body = toStorableValue(record.body);
  const storedAttributes = toStorableValue(attributes);
  return {
    eventId: hashRecord(record, timeNanos, name, scopeName, serviceName),
    traceId: record.traceId,
    spanId: record.spanId,
    time: nanosToMicros(timeNanos),
    severityNumber: record.severityNumber,
    severityText: record.severityText === undefined ? severityTextOf(record.severityNumber) : toIdentifier(record.severityText),
    name: name === undefined ? undefined : toIdentifier(name),
    component: component === undefined ? undefined : toIdentifier(component),
    message: messageOf(record.body),
    body,
    attributes: storedAttributes,
    conversationId: readIdentity(attributes, resource).conversation?.value,
    contentKind: content?.kind,
    content: content === undefined ? undefined : toStorableMessages(content.messages, maxContentLength),
    scopeName,
    serviceName,
  };
}

/** Messages of a GenAI content event, from its attributes (operation details) or its body (per-message events). */
function readEventContent(name: string, record: LogRecord): { kind: 'input' | 'output'; messages: Message[] } | undefined {
  if (name === GEN_AI_EVENT_OPERATION_DETAILS) {
    const source = isObject(record.body) ? { ...record.attributes, ...record.body } : record.attributes;
    const output = readStructured(source, ATTR_GEN_AI_OUTPUT_MESSAGES);
    if (output !== undefined && output !== null) return { kind: 'output', messages: toMessages(output, 'assistant') };
    const input = readStructured(source, ATTR_GEN_AI_INPUT_MESSAGES);
    if (input !== undefined && input !== null) return { kind: 'input', messages: toMessages(input, 'user') };
    return undefined;
  }
  const shape = MESSAGE_EVENTS[name];
  if (shape === undefined) return undefined;
  const body = record.body;
  // gen_ai.choice: `{ index, finish_reason, message: { role?, content } }`.
  let message: AttributeValue = body;
  if (isObject(body) && isObject(body['message'])) {
    const finish = body['finish_reason'];
    message = { ...body['message'], ...(typeof finish === 'string' ? { finish_reason: finish } : {}) };
  }
  if (message === null) return undefined;
  const withRole = isObject(message) && typeof message['role'] !== 'string' ? { ...message, role: shape.role } : message;
  const messages = toMessages(Array.isArray(withRole) ? withRole : [withRole], shape.role);
  return messages.length === 0 ? undefined : { kind: shape.kind, messages };
}

function messageOf(body: AttributeValue): string | undefined {
  if (typeof body === 'string') return toStorableText(body);
  if (isObject(body) && typeof body['message'] === 'string') return toStorableText(body['message']);
  return undefined;
}

const SEVERITY_TEXTS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** OTLP severity number 1–24 → its short name. */
export function severityTextOf(severityNumber: number): string | undefined {
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return undefined;
  return SEVERITY_TEXTS[Math.floor((severityNumber - 1) / 4)];
}

/** A stable id for a log record: equal records (a redelivery) hash equal. */
function hashRecord(record: LogRecord, timeNanos: bigint, name: string | undefined, scopeName: string, serviceName: string | undefined): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        record.traceId ?? '',
        record.spanId ?? '',
        String(timeNanos),
        String(record.observedTimeUnixNano),
        record.severityNumber,
        record.severityText ?? '',
        name ?? '',
        scopeName,
        serviceName ?? '',
        record.body,
        record.attributes,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}
