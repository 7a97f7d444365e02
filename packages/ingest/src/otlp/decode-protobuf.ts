// OTLP/protobuf request bytes → the decoded shapes in types.ts. Pure: no I/O, no express.
// The messages are walked field by field over protobufjs's Reader (see protobuf-common.ts for
// why); unknown fields, and known fields sent with another wire type, are skipped.
import { MalformedPayloadError } from '../errors.js';
import { describeBytesId, hexFromBytes, isZeroId, SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.js';
import {
  beginMap,
  checkEnd,
  endMap,
  fieldEnd,
  I32,
  I64,
  LEN,
  NO_SCOPE,
  readAnyValue,
  readBytes,
  readFixed64,
  readKeyValue,
  readResource,
  readScope,
  readText,
  tag,
  toWireReader,
  VARINT,
  type WireReader,
} from './protobuf-common.js';
import type {
  AttributeMap,
  AttributeValue,
  Decoded,
  InstrumentationScope,
  LogRecord,
  LogsRequest,
  Span,
  SpanEvent,
  SpanLink,
  TraceRequest,
} from './types.js';
import { RejectionTally, shorten, toSeverityNumber, toSpanKind, toStatusCode } from './values.js';

/**
 * Decodes an `ExportTraceServiceRequest`. Spans with unusable ids or an end before their start are
 * dropped and counted; bytes that are not a valid message throw `MalformedPayloadError`.
 */
export function decodeTraceRequestProtobuf(body: Uint8Array): Decoded<TraceRequest> {
  const tally = new RejectionTally();
  const resourceSpans = decodeMessage(body, (wire) =>
    readRepeated(wire, wire.buffer.length, 1, () =>
      readResourceGroup(wire, (resource, groups) => ({ resource, scopeSpans: groups }), () =>
        readScopeGroup(wire, (scope, items) => ({ scope, spans: items }), () => readSpan(wire, tally)),
      ),
    ),
  );
  return { request: { resourceSpans }, rejected: tally.count, rejectedByCategory: tally.byCategory, rejectionReasons: tally.reasons };
}

/** Decodes an `ExportLogsServiceRequest`; records with malformed trace context are dropped and counted. */
export function decodeLogsRequestProtobuf(body: Uint8Array): Decoded<LogsRequest> {
  const tally = new RejectionTally();
  const resourceLogs = decodeMessage(body, (wire) =>
    readRepeated(wire, wire.buffer.length, 1, () =>
      readResourceGroup(wire, (resource, groups) => ({ resource, scopeLogs: groups }), () =>
        readScopeGroup(wire, (scope, items) => ({ scope, logRecords: items }), () => readLogRecord(wire, tally)),
      ),
    ),
  );
  return { request: { resourceLogs }, rejected: tally.count, rejectedByCategory: tally.byCategory, rejectionReasons: tally.reasons };
}

function decodeMessage<T>(body: Uint8Array, read: (wire: WireReader) => T): T {
  // A Buffer makes strings decode with Node's UTF-8 decoder, which turns invalid bytes into U+FFFD.
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  try {
    return read(toWireReader(buffer));
  } catch (error) {
    // protobufjs's Reader throws RangeError on truncation and Error on unknown wire types.
    throw new MalformedPayloadError(`invalid OTLP protobuf body: ${(error as Error).message}`, { cause: error });
  }
}

/** The messages of repeated field `number` up to `end`, each read by `read`; other fields skipped. */
function readRepeated<T>(wire: WireReader, end: number, number: number, read: () => T): T[] {
  const { reader } = wire;
  const items: T[] = [];
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(number, LEN)) items.push(read());
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return items;
}

/**
 * A ResourceSpans or ResourceLogs message: the resource (field 1) and the scope groups
 * (field 2, each read by `readGroup`), put together by `build`.
 */
function readResourceGroup<G, R>(wire: WireReader, build: (resource: AttributeMap, groups: G[]) => R, readGroup: () => G): R {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let resource: AttributeMap = {};
  const groups: G[] = [];
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) resource = readResource(wire);
    else if (fieldTag === tag(2, LEN)) groups.push(readGroup());
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return build(resource, groups);
}

/**
 * A ScopeSpans or ScopeLogs message: the scope (field 1) and the items (field 2, each read by
 * `readItem`, which answers undefined for an item it rejected), put together by `build`.
 */
function readScopeGroup<T, G>(wire: WireReader, build: (scope: InstrumentationScope, items: T[]) => G, readItem: () => T | undefined): G {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let scope: InstrumentationScope = NO_SCOPE;
  const items: T[] = [];
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) {
      scope = readScope(wire);
    } else if (fieldTag === tag(2, LEN)) {
      const item = readItem();
      if (item !== undefined) items.push(item);
    } else {
      reader.skipType(fieldTag & 7);
    }
  }
  checkEnd(wire, end);
  return build(scope, items);
}

const NO_BYTES: Buffer = Buffer.alloc(0);

function readSpan(wire: WireReader, tally: RejectionTally): Span | undefined {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let traceIdBytes = NO_BYTES;
  let spanIdBytes = NO_BYTES;
  let parentBytes = NO_BYTES;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const pending = beginMap(wire);
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  let status: Span['status'] = UNSET_STATUS;
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    switch (fieldTag) {
      case tag(1, LEN):
        traceIdBytes = readBytes(wire);
        break;
      case tag(2, LEN):
        spanIdBytes = readBytes(wire);
        break;
      case tag(4, LEN):
        parentBytes = readBytes(wire);
        break;
      case tag(5, LEN):
        name = readText(wire);
        break;
      case tag(6, VARINT):
        kind = reader.int32();
        break;
      case tag(7, I64):
        startTimeUnixNano = readFixed64(wire);
        break;
      case tag(8, I64):
        endTimeUnixNano = readFixed64(wire);
        break;
      case tag(9, LEN):
        readKeyValue(wire, pending);
        break;
      case tag(11, LEN):
        events.push(readEvent(wire));
        break;
      case tag(13, LEN): {
        const link = readLink(wire);
        if (link !== undefined) links.push(link);
        break;
      }
      case tag(15, LEN):
        status = readStatus(wire);
        break;
      default:
        reader.skipType(fieldTag & 7);
    }
  }
  checkEnd(wire, end);
  const attributes = endMap(wire, pending);
  const traceId = hexFromBytes(traceIdBytes, TRACE_ID_BYTES);
  const spanId = hexFromBytes(spanIdBytes, SPAN_ID_BYTES);
  // An empty or all-zeros parent means a root span; any other length is unusable.
  const parentHex = parentBytes.length === 0 ? undefined : hexFromBytes(parentBytes, SPAN_ID_BYTES);
  const isParentBad = parentBytes.length !== 0 && parentHex === undefined;
  if (traceId === undefined || isZeroId(traceId) || spanId === undefined || isZeroId(spanId) || isParentBad) {
    const field =
      traceId === undefined || isZeroId(traceId)
        ? describeBytesId('trace_id', traceIdBytes, TRACE_ID_BYTES)
        : spanId === undefined || isZeroId(spanId)
          ? describeBytesId('span_id', spanIdBytes, SPAN_ID_BYTES)
          : describeBytesId('parent_span_id', parentBytes, SPAN_ID_BYTES);
    tally.add('invalid_id', `span "${shorten(name)}": ${field}`);
    return undefined;
  }
  if (endTimeUnixNano < startTimeUnixNano) {
    tally.add('invalid_time', `span "${shorten(name)}" (span_id ${spanId}): end_time_unix_nano is before start_time_unix_nano`);
    return undefined;
  }
  return {
    traceId,
    spanId,
    parentSpanId: parentHex === undefined || isZeroId(parentHex) ? undefined : parentHex,
    name,
    kind: toSpanKind(kind),
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    links,
    status,
  };
}

const UNSET_STATUS: Span['status'] = Object.freeze({ code: 0, message: undefined });

function readStatus(wire: WireReader): Span['status'] {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let code = 0;
  let message = '';
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(2, LEN)) message = readText(wire);
    else if (fieldTag === tag(3, VARINT)) code = reader.int32();
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  return { code: toStatusCode(code), message: message === '' ? undefined : message };
}

function readEvent(wire: WireReader): SpanEvent {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let timeUnixNano = 0n;
  let name = '';
  const pending = beginMap(wire);
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, I64)) timeUnixNano = readFixed64(wire);
    else if (fieldTag === tag(2, LEN)) name = readText(wire);
    else if (fieldTag === tag(3, LEN)) readKeyValue(wire, pending);
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  const attributes = endMap(wire, pending);
  return { timeUnixNano, name, attributes };
}

/** Links with unusable ids are dropped silently: the span itself is still good. */
function readLink(wire: WireReader): SpanLink | undefined {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let traceIdBytes = NO_BYTES;
  let spanIdBytes = NO_BYTES;
  const pending = beginMap(wire);
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    if (fieldTag === tag(1, LEN)) traceIdBytes = readBytes(wire);
    else if (fieldTag === tag(2, LEN)) spanIdBytes = readBytes(wire);
    else if (fieldTag === tag(4, LEN)) readKeyValue(wire, pending);
    else reader.skipType(fieldTag & 7);
  }
  checkEnd(wire, end);
  const attributes = endMap(wire, pending);
  const traceId = hexFromBytes(traceIdBytes, TRACE_ID_BYTES);
  const spanId = hexFromBytes(spanIdBytes, SPAN_ID_BYTES);
  if (traceId === undefined || spanId === undefined || isZeroId(traceId) || isZeroId(spanId)) return undefined;
  return { traceId, spanId, attributes };
}

function readLogRecord(wire: WireReader, tally: RejectionTally): LogRecord | undefined {
  const end = fieldEnd(wire);
  const { reader } = wire;
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AttributeValue = null;
  const pending = beginMap(wire);
  let traceIdBytes = NO_BYTES;
  let spanIdBytes = NO_BYTES;
  let eventName = '';
  while (reader.pos < end) {
    const fieldTag = reader.uint32();
    switch (fieldTag) {
      case tag(1, I64):
        timeUnixNano = readFixed64(wire);
        break;
      case tag(11, I64):
        observedTimeUnixNano = readFixed64(wire);
        break;
      case tag(2, VARINT):
        severityNumber = reader.int32();
        break;
      case tag(3, LEN):
        severityText = readText(wire);
        break;
      case tag(5, LEN):
        body = readAnyValue(wire);
        break;
      case tag(6, LEN):
        readKeyValue(wire, pending);
        break;
      case tag(8, I32):
        reader.skip(4);
        break;
      case tag(9, LEN):
        traceIdBytes = readBytes(wire);
        break;
      case tag(10, LEN):
        spanIdBytes = readBytes(wire);
        break;
      case tag(12, LEN):
        eventName = readText(wire);
        break;
      default:
        reader.skipType(fieldTag & 7);
    }
  }
  checkEnd(wire, end);
  const attributes = endMap(wire, pending);
  // Trace context is optional on a log record: absent or all-zeros means none, other lengths are unusable.
  const traceId = traceIdBytes.length === 0 ? undefined : hexFromBytes(traceIdBytes, TRACE_ID_BYTES);
  const spanId = spanIdBytes.length === 0 ? undefined : hexFromBytes(spanIdBytes, SPAN_ID_BYTES);
  if ((traceIdBytes.length !== 0 && traceId === undefined) || (spanIdBytes.length !== 0 && spanId === undefined)) {
    const reason =
      traceId === undefined && traceIdBytes.length !== 0
        ? describeBytesId('trace_id', traceIdBytes, TRACE_ID_BYTES)
        : describeBytesId('span_id', spanIdBytes, SPAN_ID_BYTES);
    tally.add('invalid_id', `log record${eventName ? ` "${shorten(eventName)}"` : ''}: ${reason}`);
    return undefined;
  }
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber: toSeverityNumber(severityNumber),
    severityText: severityText === '' ? undefined : severityText,
    body,
    attributes,
    eventName: eventName === '' ? undefined : eventName,
    traceId: traceId === undefined || isZeroId(traceId) ? undefined : traceId,
    spanId: spanId === undefined || isZeroId(spanId) ? undefined : spanId,
  };
}
