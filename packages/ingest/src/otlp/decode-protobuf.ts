// OTLP/protobuf request bytes → the decoded shapes in types.ts. Pure: no I/O, no express.
import { MalformedPayloadError } from '../errors.js';
import { describeBytesId, hexFromBytes, isZeroId, SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.js';
import { loadOtlpProtoTypes } from './proto-root.js';
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
  cleanText,
  RejectionTally,
  setAttribute,
  shorten,
  toSeverityNumber,
  toSpanKind,
  toStatusCode,
} from './values.js';

// What protobufjs's reflection decoder hands back (camelCase fields, defaults on the prototype).
// 64-bit fields are `Long` objects when the `long` package is present, numbers otherwise.
interface WireLong {
  readonly low: number;
  readonly high: number;
}
type Wire64 = WireLong | number;

interface WireAnyValue {
  readonly stringValue: string;
  readonly boolValue: boolean;
  readonly intValue: Wire64;
  readonly doubleValue: number;
  readonly arrayValue: { readonly values: readonly WireAnyValue[] } | null;
  readonly kvlistValue: { readonly values: readonly WireKeyValue[] } | null;
  readonly bytesValue: Uint8Array;
}
interface WireKeyValue {
  readonly key: string;
  readonly value: WireAnyValue | null;
}
interface WireScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly WireKeyValue[];
}
interface WireResource {
  readonly attributes: readonly WireKeyValue[];
}
interface WireEvent {
  readonly timeUnixNano: Wire64;
  readonly name: string;
  readonly attributes: readonly WireKeyValue[];
}
interface WireLink {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly attributes: readonly WireKeyValue[];
}
interface WireSpan {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly parentSpanId: Uint8Array;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: Wire64;
  readonly endTimeUnixNano: Wire64;
  readonly attributes: readonly WireKeyValue[];
  readonly events: readonly WireEvent[];
  readonly links: readonly WireLink[];
  readonly status: { readonly code: number; readonly message: string } | null;
}
interface WireTraceRequest {
  readonly resourceSpans: readonly {
    readonly resource: WireResource | null;
    readonly scopeSpans: readonly { readonly scope: WireScope | null; readonly spans: readonly WireSpan[] }[];
  }[];
}
interface WireLogRecord {
  readonly timeUnixNano: Wire64;
  readonly observedTimeUnixNano: Wire64;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: WireAnyValue | null;
  readonly attributes: readonly WireKeyValue[];
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly eventName: string;
}
interface WireLogsRequest {
  readonly resourceLogs: readonly {
    readonly resource: WireResource | null;
    readonly scopeLogs: readonly { readonly scope: WireScope | null; readonly logRecords: readonly WireLogRecord[] }[];
  }[];
}

/**
 * Decodes an `ExportTraceServiceRequest`. Spans with unusable ids or an end before their start are
 * dropped and counted; bytes that are not a valid message throw `MalformedPayloadError`.
 */
export function decodeTraceRequestProtobuf(body: Uint8Array): Decoded<TraceRequest> {
  const wire = decodeMessage<WireTraceRequest>(loadOtlpProtoTypes().exportTraceServiceRequest, body);
  const tally = new RejectionTally();
  const resourceSpans: ResourceSpans[] = wire.resourceSpans.map((rs) => ({
    resource: toAttributes(rs.resource?.attributes),
    scopeSpans: rs.scopeSpans.map(
      (ss): ScopeSpans => ({ scope: toScope(ss.scope), spans: toSpans(ss.spans, tally) }),
    ),
  }));
  return { request: { resourceSpans }, rejected: tally.count, rejectionReasons: tally.reasons };
}

/** Decodes an `ExportLogsServiceRequest`; records with malformed trace context are dropped and counted. */
export function decodeLogsRequestProtobuf(body: Uint8Array): Decoded<LogsRequest> {
  const wire = decodeMessage<WireLogsRequest>(loadOtlpProtoTypes().exportLogsServiceRequest, body);
  const tally = new RejectionTally();
  const resourceLogs: ResourceLogs[] = wire.resourceLogs.map((rl) => ({
    resource: toAttributes(rl.resource?.attributes),
    scopeLogs: rl.scopeLogs.map(
      (sl): ScopeLogs => ({ scope: toScope(sl.scope), logRecords: toLogRecords(sl.logRecords, tally) }),
    ),
  }));
  return { request: { resourceLogs }, rejected: tally.count, rejectionReasons: tally.reasons };
}

function decodeMessage<T>(type: { decode(reader: Uint8Array): unknown }, body: Uint8Array): T {
  // A Buffer makes protobufjs use Node's UTF-8 decoder, which turns invalid bytes into U+FFFD.
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  try {
    return type.decode(bytes) as T;
  } catch (error) {
    // protobufjs throws RangeError on truncation and Error on bad wire types or nesting past 100.
    throw new MalformedPayloadError(`invalid OTLP protobuf body: ${(error as Error).message}`, { cause: error });
  }
}

function toSpans(wireSpans: readonly WireSpan[], tally: RejectionTally): Span[] {
  const spans: Span[] = [];
  for (const wire of wireSpans) {
    const span = toSpan(wire, tally);
    if (span) spans.push(span);
  }
  return spans;
}

function toSpan(wire: WireSpan, tally: RejectionTally): Span | undefined {
  const traceId = hexFromBytes(wire.traceId, TRACE_ID_BYTES);
  const spanId = hexFromBytes(wire.spanId, SPAN_ID_BYTES);
  // An empty or all-zeros parent means a root span; any other length is unusable.
  const parentHex = wire.parentSpanId.length === 0 ? undefined : hexFromBytes(wire.parentSpanId, SPAN_ID_BYTES);
  const isParentBad = wire.parentSpanId.length !== 0 && parentHex === undefined;
  if (traceId === undefined || isZeroId(traceId) || spanId === undefined || isZeroId(spanId) || isParentBad) {
    const field =
      traceId === undefined || isZeroId(traceId)
        ? describeBytesId('trace_id', wire.traceId, TRACE_ID_BYTES)
        : spanId === undefined || isZeroId(spanId)
          ? describeBytesId('span_id', wire.spanId, SPAN_ID_BYTES)
          : describeBytesId('parent_span_id', wire.parentSpanId, SPAN_ID_BYTES);
    tally.add(`span "${shorten(cleanText(wire.name))}": ${field}`);
    return undefined;
  }
  const startTimeUnixNano = toUint64(wire.startTimeUnixNano);
  const endTimeUnixNano = toUint64(wire.endTimeUnixNano);
  if (endTimeUnixNano < startTimeUnixNano) {
    tally.add(`span "${shorten(cleanText(wire.name))}" (span_id ${spanId}): end_time_unix_nano is before start_time_unix_nano`);
    return undefined;
  }
  return {
    traceId,
    spanId,
    parentSpanId: parentHex === undefined || isZeroId(parentHex) ? undefined : parentHex,
    name: cleanText(wire.name),
    kind: toSpanKind(wire.kind),
    startTimeUnixNano,
    endTimeUnixNano,
    attributes: toAttributes(wire.attributes),
    events: wire.events.map(
      (event): SpanEvent => ({
        timeUnixNano: toUint64(event.timeUnixNano),
        name: cleanText(event.name),
        attributes: toAttributes(event.attributes),
      }),
    ),
    links: toLinks(wire.links),
    status: {
      code: toStatusCode(wire.status?.code ?? 0),
      message: wire.status?.message ? cleanText(wire.status.message) : undefined,
    },
  };
}

/** Links with unusable ids are dropped silently: the span itself is still good. */
function toLinks(wireLinks: readonly WireLink[]): SpanLink[] {
  const links: SpanLink[] = [];
  for (const link of wireLinks) {
    const traceId = hexFromBytes(link.traceId, TRACE_ID_BYTES);
    const spanId = hexFromBytes(link.spanId, SPAN_ID_BYTES);
    if (traceId === undefined || spanId === undefined || isZeroId(traceId) || isZeroId(spanId)) continue;
    links.push({ traceId, spanId, attributes: toAttributes(link.attributes) });
  }
  return links;
}

function toLogRecords(wireRecords: readonly WireLogRecord[], tally: RejectionTally): LogRecord[] {
  const records: LogRecord[] = [];
  for (const wire of wireRecords) {
    // Trace context is optional on a log record: absent or all-zeros means none, other lengths are unusable.
    const traceId = wire.traceId.length === 0 ? undefined : hexFromBytes(wire.traceId, TRACE_ID_BYTES);
    const spanId = wire.spanId.length === 0 ? undefined : hexFromBytes(wire.spanId, SPAN_ID_BYTES);
    if ((wire.traceId.length !== 0 && traceId === undefined) || (wire.spanId.length !== 0 && spanId === undefined)) {
      const reason =
        traceId === undefined && wire.traceId.length !== 0
          ? describeBytesId('trace_id', wire.traceId, TRACE_ID_BYTES)
          : describeBytesId('span_id', wire.spanId, SPAN_ID_BYTES);
      tally.add(`log record${wire.eventName ? ` "${shorten(cleanText(wire.eventName))}"` : ''}: ${reason}`);
      continue;
    }
    records.push({
      timeUnixNano: toUint64(wire.timeUnixNano),
      observedTimeUnixNano: toUint64(wire.observedTimeUnixNano),
      severityNumber: toSeverityNumber(wire.severityNumber),
      severityText: wire.severityText ? cleanText(wire.severityText) : undefined,
      body: wire.body ? toAttributeValue(wire.body) : null,
      attributes: toAttributes(wire.attributes),
      eventName: wire.eventName ? cleanText(wire.eventName) : undefined,
      traceId: traceId === undefined || isZeroId(traceId) ? undefined : traceId,
      spanId: spanId === undefined || isZeroId(spanId) ? undefined : spanId,
    });
  }
  return records;
}

function toScope(wire: WireScope | null): InstrumentationScope {
  if (!wire) return { name: '', version: undefined, attributes: {} };
  return {
    name: cleanText(wire.name),
    version: wire.version ? cleanText(wire.version) : undefined,
    attributes: toAttributes(wire.attributes),
  };
}

function toAttributes(keyValues: readonly WireKeyValue[] | undefined): AttributeMap {
  const attributes: Record<string, AttributeValue> = {};
  if (!keyValues) return attributes;
  for (const kv of keyValues) setAttribute(attributes, cleanText(kv.key), kv.value ? toAttributeValue(kv.value) : null);
  return attributes;
}

function toAttributeValue(wire: WireAnyValue): AttributeValue {
  switch (setValueField(wire)) {
    case 'stringValue':
      return cleanText(wire.stringValue);
    case 'boolValue':
      return wire.boolValue;
    case 'intValue':
      return toSafeInt(wire.intValue);
    case 'doubleValue':
      return wire.doubleValue;
    case 'arrayValue':
      return (wire.arrayValue?.values ?? []).map(toAttributeValue);
    case 'kvlistValue':
      return toAttributes(wire.kvlistValue?.values);
    case 'bytesValue':
      return Buffer.from(wire.bytesValue.buffer, wire.bytesValue.byteOffset, wire.bytesValue.length).toString('base64');
    default:
      // An empty AnyValue is legal since proto v1.9.0.
      return null;
  }
}

/**
 * Which AnyValue field is set. The decoder assigns own properties only for fields on the wire
 * (unset ones read their defaults from the prototype); protobufjs's own `value` getter does the
 * same check but allocates `Object.keys` per value, a measurable cost on 20-attribute spans.
 */
function setValueField(wire: WireAnyValue): string | undefined {
  if (Object.hasOwn(wire, 'stringValue')) return 'stringValue';
  if (Object.hasOwn(wire, 'intValue')) return 'intValue';
  if (Object.hasOwn(wire, 'doubleValue')) return 'doubleValue';
  if (Object.hasOwn(wire, 'boolValue')) return 'boolValue';
  if (Object.hasOwn(wire, 'arrayValue')) return 'arrayValue';
  if (Object.hasOwn(wire, 'kvlistValue')) return 'kvlistValue';
  if (Object.hasOwn(wire, 'bytesValue')) return 'bytesValue';
  return undefined;
}

/** fixed64 → bigint, exact (nanosecond timestamps exceed 2^53). */
function toUint64(value: Wire64): bigint {
  if (typeof value === 'number') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** int64 → number when it is a safe integer, else its exact decimal string. */
function toSafeInt(value: Wire64): number | string {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : BigInt(value).toString();
  // Rounding is monotonic, so an unsafe true value never rounds to a safe one.
  const approx = value.high * 4294967296 + (value.low >>> 0);
  if (Number.isSafeInteger(approx)) return approx;
  return ((BigInt(value.high) << 32n) + BigInt(value.low >>> 0)).toString();
}
