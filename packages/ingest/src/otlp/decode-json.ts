// OTLP/JSON request bytes → the decoded shapes in types.ts. Pure: no I/O, no express.
// OTLP/JSON is the proto3 JSON mapping with OTLP's own rules (opentelemetry-proto
// docs/specification.md "JSON Protobuf Encoding"): ids are hex, not base64; enums are integers;
// keys are lowerCamelCase; 64-bit integers arrive as decimal strings or as numbers.
import { MalformedPayloadError } from '../errors.js';
import { describeJsonId, hexFromJson, isZeroId, SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.js';
import {
  describeType,
  field,
  forEachObject,
  isObject,
  type JsonObject,
  mapArray,
  optionalEnum,
  optionalObject,
  optionalString,
  optionalUint64,
  requireCamelCase,
  requireType,
  ShapeError,
  toDouble,
  toSafeInt,
  withFieldPaths,
} from './json-fields.js';
import type {
  AttributeMap,
  AttributeValue,
  Decoded,
  InstrumentationScope,
  LogRecord,
  LogsRequest,
  ResourceLogs,
  ResourceSpans,
  ScopeLogs,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  TraceRequest,
} from './types.js';
import {
  cleanJsonText,
  RejectionTally,
  setAttribute,
  shorten,
  toSeverityNumber,
  toSpanKind,
  toStatusCode,
} from './values.js';

/** Deeper AnyValue nesting than this is refused (protobufjs stops at 100 message levels, ~50 of these). */
export const MAX_ANY_VALUE_DEPTH = 64;

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest`. Spans with unusable ids or an end before
 * their start are dropped and counted; invalid JSON or wrong types throw `MalformedPayloadError`.
 */
export function decodeTraceRequestJson(body: Uint8Array | string): Decoded<TraceRequest> {
  const top = parseTopLevel(body, 'resourceSpans', 'resource_spans', 'resourceLogs');
  const tally = new RejectionTally();
  const resourceSpans = withFieldPaths(() =>
    mapArray(top, 'resourceSpans', (rs): ResourceSpans => {
      requireCamelCase(rs, 'scopeSpans', 'scope_spans');
      return {
        resource: toResource(rs.resource),
        scopeSpans: mapArray(rs, 'scopeSpans', (ss): ScopeSpans => ({
          scope: toScope(ss.scope),
          spans: toSpans(ss, tally),
        })),
      };
    }),
  );
  return { request: { resourceSpans }, rejected: tally.count, rejectedByCategory: tally.byCategory, rejectionReasons: tally.reasons };
}

/** Decodes an OTLP/JSON `ExportLogsServiceRequest`; records with malformed trace context are dropped and counted. */
export function decodeLogsRequestJson(body: Uint8Array | string): Decoded<LogsRequest> {
  const top = parseTopLevel(body, 'resourceLogs', 'resource_logs', 'resourceSpans');
  const tally = new RejectionTally();
  const resourceLogs = withFieldPaths(() =>
    mapArray(top, 'resourceLogs', (rl): ResourceLogs => {
      requireCamelCase(rl, 'scopeLogs', 'scope_logs');
      return {
        resource: toResource(rl.resource),
        scopeLogs: mapArray(rl, 'scopeLogs', (sl): ScopeLogs => {
          requireCamelCase(sl, 'logRecords', 'log_records');
          return { scope: toScope(sl.scope), logRecords: toLogRecords(sl, tally) };
        }),
      };
    }),
  );
  return { request: { resourceLogs }, rejected: tally.count, rejectedByCategory: tally.byCategory, rejectionReasons: tally.reasons };
}

function parseTopLevel(body: Uint8Array | string, camelKey: string, snakeKey: string, otherSignalKey: string): JsonObject {
  let text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MalformedPayloadError(`invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(parsed)) throw new MalformedPayloadError(`the body must be a JSON object, got ${describeType(parsed)}`);
  withFieldPaths(() => requireCamelCase(parsed, camelKey, snakeKey));
  if (parsed[camelKey] === undefined && parsed[otherSignalKey] !== undefined) {
    // Unknown fields are ignored, so this would otherwise be a silent, empty success.
    const path = otherSignalKey === 'resourceLogs' ? '/v1/logs' : '/v1/traces';
    throw new MalformedPayloadError(`the body holds "${otherSignalKey}", not "${camelKey}": send it to ${path}`);
  }
  return parsed;
}

function toSpans(scopeSpans: JsonObject, tally: RejectionTally): Span[] {
  const spans: Span[] = [];
  forEachObject(scopeSpans, 'spans', (obj) => {
    const span = toSpan(obj, tally);
    if (span) spans.push(span);
  });
  return spans;
}

function toSpan(obj: JsonObject, tally: RejectionTally): Span | undefined {
  requireCamelCase(obj, 'traceId', 'trace_id');
  requireCamelCase(obj, 'spanId', 'span_id');
  const name = cleanJsonText(optionalString(obj, 'name') ?? '');
  const rawTraceId = optionalString(obj, 'traceId') ?? '';
  const rawSpanId = optionalString(obj, 'spanId') ?? '';
  const rawParentId = optionalString(obj, 'parentSpanId') ?? '';
  const traceId = hexFromJson(rawTraceId, TRACE_ID_BYTES);
  const spanId = hexFromJson(rawSpanId, SPAN_ID_BYTES);
  // An empty or all-zeros parent means a root span; anything else that is not 8 bytes of hex is unusable.
  const parentHex = rawParentId === '' ? undefined : hexFromJson(rawParentId, SPAN_ID_BYTES);
  const isParentBad = rawParentId !== '' && parentHex === undefined;
  if (traceId === undefined || isZeroId(traceId) || spanId === undefined || isZeroId(spanId) || isParentBad) {
    const reason =
      traceId === undefined || isZeroId(traceId)
        ? describeJsonId('traceId', rawTraceId, TRACE_ID_BYTES)
        : spanId === undefined || isZeroId(spanId)
          ? describeJsonId('spanId', rawSpanId, SPAN_ID_BYTES)
          : describeJsonId('parentSpanId', rawParentId, SPAN_ID_BYTES);
    tally.add('invalid_id', `span "${shorten(name)}": ${reason}`);
    return undefined;
  }
  const startTimeUnixNano = optionalUint64(obj, 'startTimeUnixNano');
  const endTimeUnixNano = optionalUint64(obj, 'endTimeUnixNano');
  if (endTimeUnixNano < startTimeUnixNano) {
    tally.add('invalid_time', `span "${shorten(name)}" (spanId ${spanId}): endTimeUnixNano is before startTimeUnixNano`);
    return undefined;
  }
  const status = optionalObject(obj, 'status');
  const statusMessage = status ? optionalString(status, 'message') : undefined;
  return {
    traceId,
    spanId,
    parentSpanId: parentHex === undefined || isZeroId(parentHex) ? undefined : parentHex,
    name,
    kind: toSpanKind(optionalEnum(obj, 'kind')),
    startTimeUnixNano,
    endTimeUnixNano,
    attributes: toAttributes(obj, 'attributes', 0),
    events: mapArray(obj, 'events', (event): SpanEvent => ({
      timeUnixNano: optionalUint64(event, 'timeUnixNano'),
      name: cleanJsonText(optionalString(event, 'name') ?? ''),
      attributes: toAttributes(event, 'attributes', 0),
    })),
    links: toLinks(obj),
    status: {
      code: toStatusCode(status ? optionalEnum(status, 'code') : 0),
      message: statusMessage ? cleanJsonText(statusMessage) : undefined,
    },
  };
}

/** Links with unusable ids are dropped silently: the span itself is still good. */
function toLinks(span: JsonObject): SpanLink[] {
  const links: SpanLink[] = [];
  forEachObject(span, 'links', (link) => {
    const traceId = hexFromJson(optionalString(link, 'traceId') ?? '', TRACE_ID_BYTES);
    const spanId = hexFromJson(optionalString(link, 'spanId') ?? '', SPAN_ID_BYTES);
    if (traceId === undefined || spanId === undefined || isZeroId(traceId) || isZeroId(spanId)) return;
    links.push({ traceId, spanId, attributes: toAttributes(link, 'attributes', 0) });
  });
  return links;
}

function toLogRecords(scopeLogs: JsonObject, tally: RejectionTally): LogRecord[] {
  const records: LogRecord[] = [];
  forEachObject(scopeLogs, 'logRecords', (obj) => {
    // Trace context is optional on a log record: absent or all-zeros means none; other values are unusable.
    const rawTraceId = optionalString(obj, 'traceId') ?? '';
    const rawSpanId = optionalString(obj, 'spanId') ?? '';
    const traceId = rawTraceId === '' ? undefined : hexFromJson(rawTraceId, TRACE_ID_BYTES);
    const spanId = rawSpanId === '' ? undefined : hexFromJson(rawSpanId, SPAN_ID_BYTES);
    const eventName = optionalString(obj, 'eventName');
    if ((rawTraceId !== '' && traceId === undefined) || (rawSpanId !== '' && spanId === undefined)) {
      const reason =
        rawTraceId !== '' && traceId === undefined
          ? describeJsonId('traceId', rawTraceId, TRACE_ID_BYTES)
          : describeJsonId('spanId', rawSpanId, SPAN_ID_BYTES);
      tally.add('invalid_id', `log record${eventName ? ` "${shorten(cleanJsonText(eventName))}"` : ''}: ${reason}`);
      return;
    }
    const severityText = optionalString(obj, 'severityText');
    records.push({
      timeUnixNano: optionalUint64(obj, 'timeUnixNano'),
      observedTimeUnixNano: optionalUint64(obj, 'observedTimeUnixNano'),
      severityNumber: toSeverityNumber(optionalEnum(obj, 'severityNumber')),
      severityText: severityText ? cleanJsonText(severityText) : undefined,
      body: obj.body === undefined || obj.body === null ? null : field('body', () => toAttributeValue(obj.body, 0)),
      attributes: toAttributes(obj, 'attributes', 0),
      eventName: eventName ? cleanJsonText(eventName) : undefined,
      traceId: traceId === undefined || isZeroId(traceId) ? undefined : traceId,
      spanId: spanId === undefined || isZeroId(spanId) ? undefined : spanId,
    });
  });
  return records;
}

function toResource(value: unknown): AttributeMap {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ShapeError('resource', `expected an object, got ${describeType(value)}`);
  return field('resource', () => toAttributes(value, 'attributes', 0));
}

function toScope(value: unknown): InstrumentationScope {
  if (value === undefined || value === null) return { name: '', version: undefined, attributes: {} };
  if (!isObject(value)) throw new ShapeError('scope', `expected an object, got ${describeType(value)}`);
  return field('scope', () => {
    const version = optionalString(value, 'version');
    return {
      name: cleanJsonText(optionalString(value, 'name') ?? ''),
      version: version ? cleanJsonText(version) : undefined,
      attributes: toAttributes(value, 'attributes', 0),
    };
  });
}

/** A KeyValue list → object; a repeated key keeps its last value. */
function toAttributes(owner: JsonObject, key: string, depth: number): AttributeMap {
  const attributes: Record<string, AttributeValue> = {};
  forEachObject(owner, key, (kv) => {
    const name = optionalString(kv, 'key') ?? '';
    const value = kv.value === undefined || kv.value === null ? null : field('value', () => toAttributeValue(kv.value, depth));
    setAttribute(attributes, cleanJsonText(name), value);
  });
  return attributes;
}

/** An AnyValue → plain data: kvlist → object, array → array, bytes → base64, int64 → number when safe. */
function toAttributeValue(value: unknown, depth: number): AttributeValue {
  // Errors about the value itself carry an empty leaf; the caller's `field` or array names it.
  if (!isObject(value)) throw new ShapeError('', `expected an AnyValue object, got ${describeType(value)}`);
  if (depth >= MAX_ANY_VALUE_DEPTH) {
    throw new ShapeError('', `AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  if (value.stringValue !== undefined && value.stringValue !== null) {
    return cleanJsonText(requireType(value.stringValue, 'stringValue', 'string'));
  }
  if (value.boolValue !== undefined && value.boolValue !== null) return requireType(value.boolValue, 'boolValue', 'boolean');
  if (value.intValue !== undefined && value.intValue !== null) return field('intValue', () => toSafeInt(value.intValue));
  if (value.doubleValue !== undefined && value.doubleValue !== null) {
    return field('doubleValue', () => toDouble(value.doubleValue));
  }
  if (value.arrayValue !== undefined && value.arrayValue !== null) {
    const array = value.arrayValue;
    if (!isObject(array)) throw new ShapeError('arrayValue', `expected an object, got ${describeType(array)}`);
    return field('arrayValue', () => mapArray(array, 'values', (item) => toAttributeValue(item, depth + 1), false));
  }
  if (value.kvlistValue !== undefined && value.kvlistValue !== null) {
    const kvlist = value.kvlistValue;
    if (!isObject(kvlist)) throw new ShapeError('kvlistValue', `expected an object, got ${describeType(kvlist)}`);
    return field('kvlistValue', () => toAttributes(kvlist, 'values', depth + 1));
  }
  if (value.bytesValue !== undefined && value.bytesValue !== null) {
    // Bytes stay base64 in OTLP/JSON (only ids are hex); re-encoding normalizes URL-safe base64.
    return Buffer.from(requireType(value.bytesValue, 'bytesValue', 'string'), 'base64').toString('base64');
  }
  // An empty AnyValue is legal since proto v1.9.0.
  return null;
}
