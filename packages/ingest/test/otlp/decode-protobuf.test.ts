import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { MalformedPayloadError } from '../../src/errors.js';
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from '../../src/otlp/decode-protobuf.js';
import type { Span } from '../../src/otlp/types.js';
import {
  encodeLogsRequest,
  encodeTraceRequest,
  recordLogRecords,
  recordTurnSpans,
  serializeLogsProtobuf,
  serializeTracesProtobuf,
  SPAN_ID,
  TEST_RESOURCE,
  TRACE_ID,
  wireSpan,
  wireTraceRequest,
} from '../helpers/otlp-fixtures.js';

const nanos = ([seconds, nanoseconds]: readonly [number, number]): bigint =>
  BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);

function decodedSpans(body: Uint8Array): Span[] {
  return decodeTraceRequestProtobuf(body).request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

function onlySpan(body: Uint8Array): Span {
  const spans = decodedSpans(body);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function withAttribute(value: Record<string, unknown>): Buffer {
  return encodeTraceRequest(wireTraceRequest([wireSpan({ attributes: [{ key: 'a', value }] })]));
}

describe('decodeTraceRequestProtobuf', () => {
  it('decodes the spans the OpenTelemetry SDK exports', () => {
    const sdkSpans = recordTurnSpans();
    const decoded = decodeTraceRequestProtobuf(serializeTracesProtobuf(sdkSpans));

    expect(decoded.rejected).toBe(0);
    expect(decoded.request.resourceSpans).toHaveLength(1);
    const [resourceSpans] = decoded.request.resourceSpans;
    expect(resourceSpans!.resource).toMatchObject(TEST_RESOURCE);
    expect(resourceSpans!.scopeSpans[0]!.scope).toEqual({ name: 'convotel-test', version: '1.0.0', attributes: {} });

    const byName = new Map(resourceSpans!.scopeSpans[0]!.spans.map((s) => [s.name, s]));
    const sdkByName = new Map<string, ReadableSpan>(sdkSpans.map((s) => [s.name, s]));
    for (const [name, sdk] of sdkByName) {
      const span = byName.get(name)!;
      expect(span.traceId).toBe(sdk.spanContext().traceId);
      expect(span.spanId).toBe(sdk.spanContext().spanId);
      expect(span.parentSpanId).toBe(sdk.parentSpanContext?.spanId);
      expect(span.kind).toBe(sdk.kind + 1); // the API's SpanKind starts at INTERNAL = 0, OTLP's at UNSPECIFIED = 0
      expect(span.startTimeUnixNano).toBe(nanos(sdk.startTime));
      expect(span.endTimeUnixNano).toBe(nanos(sdk.endTime));
    }

    const llm = byName.get('chat gpt-4o')!;
    expect(llm.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.response.finish_reasons': ['stop'],
      'convotel.cost.usd': 0.0123,
      'convotel.llm.streamed': true,
    });
    expect(llm.events).toEqual([
      { timeUnixNano: nanos(sdkByName.get('chat gpt-4o')!.events[0]!.time), name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'hi' } },
    ]);
    const tool = byName.get('execute_tool lookup_order')!;
    expect(tool.status).toEqual({ code: 2, message: 'order not found' });
    expect(tool.links).toEqual([{ traceId: llm.traceId, spanId: llm.spanId, attributes: {} }]);
    expect(byName.get('turn')!.parentSpanId).toBeUndefined();
    expect(byName.get('turn')!.status).toEqual({ code: 0, message: undefined });
  });

  it('keeps nanosecond timestamps exact beyond 2^53', () => {
    const span = onlySpan(
      encodeTraceRequest(
        wireTraceRequest([wireSpan({ startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '18446744073709551615' })]),
      ),
    );
    expect(span.startTimeUnixNano).toBe(1700000000123456789n);
    expect(span.endTimeUnixNano).toBe(18446744073709551615n);
  });

  it.each([
    ['a trace id of the wrong length', { traceId: Buffer.alloc(15, 1) }, 'trace_id has 15 bytes, expected 16'],
    ['an all-zeros trace id', { traceId: Buffer.alloc(16) }, 'trace_id is all zeros'],
    ['a missing span id', { spanId: Buffer.alloc(0) }, 'span_id is missing'],
    ['an all-zeros span id', { spanId: Buffer.alloc(8) }, 'span_id is all zeros'],
    ['a parent span id of the wrong length', { parentSpanId: Buffer.alloc(4, 7) }, 'parent_span_id has 4 bytes, expected 8'],
  ])('keeps the good spans of a batch with %s and reports the rejection', (_title, bad, reason) => {
    const body = encodeTraceRequest(
      wireTraceRequest([
        wireSpan({ name: 'good-1' }),
        wireSpan({ name: 'bad', ...bad }),
        wireSpan({ name: 'good-2', spanId: Buffer.from('0102030405060708', 'hex') }),
      ]),
    );
    const decoded = decodeTraceRequestProtobuf(body);
    expect(decodedSpans(body).map((s) => s.name)).toEqual(['good-1', 'good-2']);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons).toEqual([`span "bad": ${reason}`]);
  });

  it('rejects a span whose end is before its start', () => {
    const decoded = decodeTraceRequestProtobuf(
      encodeTraceRequest(wireTraceRequest([wireSpan({ startTimeUnixNano: '2000', endTimeUnixNano: '1000' })])),
    );
    expect(decoded.request.resourceSpans[0]!.scopeSpans[0]!.spans).toEqual([]);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons[0]).toContain('end_time_unix_nano is before start_time_unix_nano');
  });

  it('counts every rejected span but keeps only a few reasons', () => {
    const spans = Array.from({ length: 20 }, (_, i) => wireSpan({ name: `bad-${i}`, traceId: Buffer.alloc(16) }));
    const decoded = decodeTraceRequestProtobuf(encodeTraceRequest(wireTraceRequest(spans)));
    expect(decoded.rejected).toBe(20);
    expect(decoded.rejectionReasons).toHaveLength(5);
  });

  it('treats an all-zeros parent span id as a root span', () => {
    expect(onlySpan(encodeTraceRequest(wireTraceRequest([wireSpan({ parentSpanId: Buffer.alloc(8) })]))).parentSpanId).toBeUndefined();
  });

  it('drops links with unusable ids and keeps the span', () => {
    const span = onlySpan(
      encodeTraceRequest(
        wireTraceRequest([
          wireSpan({
            links: [
              { traceId: Buffer.alloc(16), spanId: SPAN_ID },
              { traceId: TRACE_ID, spanId: SPAN_ID, attributes: [{ key: 'k', value: { stringValue: 'v' } }] },
            ],
          }),
        ]),
      ),
    );
    expect(span.links).toEqual([{ traceId: TRACE_ID.toString('hex'), spanId: SPAN_ID.toString('hex'), attributes: { k: 'v' } }]);
  });

  it('turns kvlist values into objects, arrays into arrays and bytes into base64', () => {
    const span = onlySpan(
      withAttribute({
        kvlistValue: {
          values: [
            { key: 'role', value: { stringValue: 'user' } },
            { key: 'parts', value: { arrayValue: { values: [{ stringValue: 'hi' }, { intValue: '2' }, { boolValue: false }] } } },
            { key: 'nested', value: { kvlistValue: { values: [{ key: 'deep', value: { doubleValue: 0.5 } }] } } },
            { key: 'audio', value: { bytesValue: Buffer.from([0, 1, 2, 255]) } },
          ],
        },
      }),
    );
    expect(span.attributes.a).toEqual({ role: 'user', parts: ['hi', 2, false], nested: { deep: 0.5 }, audio: 'AAEC/w==' });
  });

  it('keeps int64 values beyond 2^53 as exact decimal strings', () => {
    expect(onlySpan(withAttribute({ intValue: '9007199254740993' })).attributes.a).toBe('9007199254740993');
    expect(onlySpan(withAttribute({ intValue: '-9223372036854775808' })).attributes.a).toBe('-9223372036854775808');
    expect(onlySpan(withAttribute({ intValue: '9007199254740991' })).attributes.a).toBe(9007199254740991);
    expect(onlySpan(withAttribute({ intValue: '-42' })).attributes.a).toBe(-42);
  });

  it('reads int64 values of every varint length exactly, negative ones included', () => {
    const values: bigint[] = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)];
    // Around each 7-bit group boundary (1 to 10 bytes on the wire) and the 32-bit word boundary.
    for (let bits = 7n; bits <= 56n; bits += 7n) values.push(2n ** bits - 1n, 2n ** bits, -(2n ** bits), -(2n ** bits) - 1n);
    values.push(2n ** 63n - 2n, -(2n ** 63n) + 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 1_234_567_890_123n);
    for (const value of values) {
      const expected = value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? Number(value) : value.toString();
      expect(onlySpan(withAttribute({ intValue: value.toString() })).attributes.a, value.toString()).toBe(expected);
    }
  });

  it('rejects an int64 varint cut off by the end of its message', () => {
    const body = withAttribute({ intValue: '-1' });
    // The ten-byte varint of -1 ends the body: drop its last byte.
    expect(() => decodeTraceRequestProtobuf(body.subarray(0, body.length - 1))).toThrow(MalformedPayloadError);
  });

  it('keeps NaN and infinite doubles as numbers', () => {
    expect(onlySpan(withAttribute({ doubleValue: Number.NaN })).attributes.a).toBeNaN();
    expect(onlySpan(withAttribute({ doubleValue: Number.NEGATIVE_INFINITY })).attributes.a).toBe(Number.NEGATIVE_INFINITY);
  });

  it('turns an empty AnyValue and a missing value into null, and keeps empty strings', () => {
    const span = onlySpan(
      encodeTraceRequest(
        wireTraceRequest([
          wireSpan({ attributes: [{ key: 'empty', value: {} }, { key: 'missing' }, { key: 'blank', value: { stringValue: '' } }] }),
        ]),
      ),
    );
    expect(span.attributes).toEqual({ empty: null, missing: null, blank: '' });
  });

  it('keeps the last value of a repeated key', () => {
    const span = onlySpan(
      encodeTraceRequest(
        wireTraceRequest([
          wireSpan({ attributes: [{ key: 'k', value: { stringValue: 'first' } }, { key: 'k', value: { stringValue: 'last' } }] }),
        ]),
      ),
    );
    expect(span.attributes).toEqual({ k: 'last' });
  });

  it('keeps a __proto__ attribute key as data without touching the prototype', () => {
    const span = onlySpan(withAttribute({ kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }] } }));
    const value = span.attributes.a as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(JSON.stringify(value)).toBe('{"__proto__":"x"}');
  });

  it('strips NUL characters from names, keys and values', () => {
    const span = onlySpan(
      encodeTraceRequest(
        wireTraceRequest([
          wireSpan({
            name: 'tu\u0000rn',
            attributes: [{ key: 'k\u0000ey', value: { arrayValue: { values: [{ stringValue: '\u0000a\u0000b\u0000' }] } } }],
            status: { code: 2, message: 'bo\u0000om' },
          }),
        ]),
      ),
    );
    expect(span.name).toBe('turn');
    expect(span.attributes).toEqual({ key: ['ab'] });
    expect(span.status.message).toBe('boom');
  });

  it('replaces invalid UTF-8 with U+FFFD instead of failing', () => {
    const body = encodeTraceRequest(wireTraceRequest([wireSpan({ name: 'AAAA' })]));
    const at = body.indexOf('AAAA');
    Buffer.from([0x41, 0xff, 0xc3, 0x28]).copy(body, at);
    expect(onlySpan(body).name).toBe('A\uFFFD\uFFFD(');
  });

  it('keeps a 1 MB attribute value whole', () => {
    const big = 'x'.repeat(1024 * 1024);
    expect(onlySpan(withAttribute({ stringValue: big })).attributes.a).toBe(big);
  });

  it('keeps SQL metacharacters as plain text', () => {
    const text = `'); DROP TABLE spans; -- $1 \\x00 "quoted" ; E'\\\\'`;
    const span = onlySpan(encodeTraceRequest(wireTraceRequest([wireSpan({ name: text, attributes: [{ key: text, value: { stringValue: text } }] })])));
    expect(span.name).toBe(text);
    expect(span.attributes[text]).toBe(text);
  });

  it('maps span kinds and status codes it does not know to unspecified', () => {
    const span = onlySpan(encodeTraceRequest(wireTraceRequest([wireSpan({ kind: 9, status: { code: 7 } })])));
    expect(span.kind).toBe(0);
    expect(span.status.code).toBe(0);
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeTraceRequestProtobuf(Buffer.alloc(0))).toEqual({ request: { resourceSpans: [] }, rejected: 0, rejectedByCategory: {}, rejectionReasons: [] });
  });

  it('rejects a truncated protobuf body', () => {
    const body = serializeTracesProtobuf(recordTurnSpans());
    for (const cut of [body.length - 1, body.length - 10, Math.floor(body.length / 2), 3]) {
      expect(() => decodeTraceRequestProtobuf(body.subarray(0, cut))).toThrow(MalformedPayloadError);
    }
  });

  it('rejects bytes that are not protobuf, with the decoder reason', () => {
    expect(() => decodeTraceRequestProtobuf(Buffer.from('{"resourceSpans":[]}'))).toThrow(/^invalid OTLP protobuf body: /);
  });

  it('rejects nesting deeper than the decoder allows', () => {
    // AnyValue{array_value: ArrayValue{values: [AnyValue{…}]}} 200 levels deep, written by hand.
    let anyValue: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 200; i++) {
      const arrayValue = lengthDelimited(1, anyValue);
      anyValue = lengthDelimited(5, arrayValue);
    }
    const keyValue = Buffer.concat([lengthDelimited(1, Buffer.from('deep')), lengthDelimited(2, anyValue)]);
    const span = Buffer.concat([lengthDelimited(1, TRACE_ID), lengthDelimited(2, SPAN_ID), lengthDelimited(9, keyValue)]);
    const body = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, span)));
    expect(() => decodeTraceRequestProtobuf(body)).toThrow(MalformedPayloadError);
  });

  it('rejects a field that runs past the end of its message', () => {
    // The span claims 20 bytes, its name field 30: the name spills into the next message.
    const name = Buffer.concat([varint((5 << 3) | 2), varint(30), Buffer.alloc(17, 0x61)]);
    const span = Buffer.concat([varint((2 << 3) | 2), varint(name.length), name, Buffer.alloc(40, 0)]);
    const body = lengthDelimited(1, lengthDelimited(2, span));
    expect(() => decodeTraceRequestProtobuf(body)).toThrow(/runs past the end of its message/);
  });

  it('skips unknown fields and known fields sent with another wire type', () => {
    const span = Buffer.concat([
      lengthDelimited(1, TRACE_ID),
      lengthDelimited(2, SPAN_ID),
      lengthDelimited(99, Buffer.from('from a newer schema')),
      varint(5 << 3), // name (a string) sent as a varint
      varint(300),
      lengthDelimited(5, Buffer.from('kept')),
    ]);
    const decoded = onlySpan(lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, span))));
    expect(decoded.name).toBe('kept');
    expect(decoded.spanId).toBe(SPAN_ID.toString('hex'));
  });
});

describe('decodeLogsRequestProtobuf', () => {
  it('decodes the log records the OpenTelemetry SDK exports', () => {
    const spanContext = { traceId: TRACE_ID.toString('hex'), spanId: SPAN_ID.toString('hex'), traceFlags: TraceFlags.SAMPLED };
    const records = recordLogRecords((logger) => {
      logger.emit({
        eventName: 'balance_lookup',
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: 'balance looked up',
        attributes: { 'convotel.event.component': 'account_service', 'account.count': 2 },
        context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
      });
      logger.emit({ body: { structured: { ok: true }, list: [1, 'two'] }, context: context.active() });
    });
    const decoded = decodeLogsRequestProtobuf(serializeLogsProtobuf(records));

    expect(decoded.rejected).toBe(0);
    const [rl] = decoded.request.resourceLogs;
    expect(rl!.resource).toMatchObject(TEST_RESOURCE);
    expect(rl!.scopeLogs[0]!.scope.name).toBe('convotel-test');
    const [event, structured] = rl!.scopeLogs[0]!.logRecords;
    expect(event).toEqual({
      timeUnixNano: nanos(records[0]!.hrTime),
      observedTimeUnixNano: nanos(records[0]!.hrTimeObserved),
      severityNumber: 9,
      severityText: 'INFO',
      body: 'balance looked up',
      attributes: { 'convotel.event.component': 'account_service', 'account.count': 2 },
      eventName: 'balance_lookup',
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
    });
    expect(structured!.body).toEqual({ structured: { ok: true }, list: [1, 'two'] });
    expect(structured!.traceId).toBeUndefined();
    expect(structured!.eventName).toBeUndefined();
  });

  it('keeps the good records of a batch with a malformed trace id and reports the rejection', () => {
    const body = encodeLogsRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: '1', body: { stringValue: 'ok' } },
                { timeUnixNano: '2', eventName: 'bad', traceId: Buffer.alloc(3, 1) },
                { timeUnixNano: '3', traceId: Buffer.alloc(16), spanId: Buffer.alloc(8) },
              ],
            },
          ],
        },
      ],
    });
    const decoded = decodeLogsRequestProtobuf(body);
    const kept = decoded.request.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(kept.map((r) => r.timeUnixNano)).toEqual([1n, 3n]);
    expect(kept[1]!.traceId).toBeUndefined(); // all zeros: no trace context, not an error
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons).toEqual(['log record "bad": trace_id has 3 bytes, expected 16']);
  });

  it('rejects a truncated logs body', () => {
    const body = serializeLogsProtobuf(recordLogRecords((logger) => logger.emit({ body: 'x'.repeat(100) })));
    expect(() => decodeLogsRequestProtobuf(body.subarray(0, body.length - 20))).toThrow(MalformedPayloadError);
  });
});

function lengthDelimited(fieldNumber: number, payload: Uint8Array): Buffer {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(payload.length), payload]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
