import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { describe, expect, it } from 'vitest';
import { MalformedPayloadError } from '../../src/errors.js';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../src/otlp/decode-json.js';
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from '../../src/otlp/decode-protobuf.js';
import type { Span } from '../../src/otlp/types.js';
import {
  jsonSpan,
  jsonTraceRequest,
  recordLogRecords,
  recordSpans,
  recordTurnSpans,
  serializeLogsJson,
  serializeLogsProtobuf,
  serializeTracesJson,
  serializeTracesProtobuf,
  SPAN_ID,
  TRACE_ID,
} from '../helpers/otlp-fixtures.js';

function decodeSpans(request: unknown): Span[] {
  return decodeTraceRequestJson(JSON.stringify(request)).request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans),
  );
}

function onlySpan(overrides: Record<string, unknown>): Span {
  const spans = decodeSpans(jsonTraceRequest([jsonSpan(overrides)]));
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function attributeValue(value: unknown): unknown {
  return onlySpan({ attributes: [{ key: 'a', value }] }).attributes.a;
}

function malformedMessage(request: unknown): string {
  try {
    decodeTraceRequestJson(typeof request === 'string' ? request : JSON.stringify(request));
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedPayloadError);
    return (error as Error).message;
  }
  throw new Error('expected the body to be refused');
}

describe('decodeTraceRequestJson', () => {
  it("decodes the SDK's OTLP/JSON to exactly what its protobuf decodes to", () => {
    const spans = [
      ...recordTurnSpans(),
      ...recordSpans((tracer) => {
        tracer
          .startSpan('numbers', { attributes: { big: 2 ** 60, negative: -5, ratio: 0.25, flags: [true, false], empty: '' } })
          .end();
      }),
    ];
    const fromJson = decodeTraceRequestJson(serializeTracesJson(spans));
    const fromProtobuf = decodeTraceRequestProtobuf(serializeTracesProtobuf(spans));
    expect(fromJson).toEqual(fromProtobuf);
    expect(fromJson.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).toHaveLength(4);
  });

  it('accepts 64-bit integers as decimal strings and as numbers', () => {
    const span = onlySpan({
      startTimeUnixNano: 1700000000000000000,
      endTimeUnixNano: '1700000000123456789',
      attributes: [
        { key: 'asString', value: { intValue: '-12' } },
        { key: 'asNumber', value: { intValue: 12 } },
        { key: 'huge', value: { intValue: '9223372036854775807' } },
      ],
    });
    expect(span.startTimeUnixNano).toBe(1700000000000000000n);
    expect(span.endTimeUnixNano).toBe(1700000000123456789n);
    expect(span.attributes).toEqual({ asString: -12, asNumber: 12, huge: '9223372036854775807' });
  });

  it('reads hex ids in any case', () => {
    const span = onlySpan({ traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: 'AAAAAAAAAAAAAAAA' });
    expect(span.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(span.spanId).toBe('eee19b7ec3c1b174');
    expect(span.parentSpanId).toBe('aaaaaaaaaaaaaaaa');
  });

  it('decodes NaN and infinite doubles written as strings', () => {
    expect(attributeValue({ doubleValue: 'NaN' })).toBeNaN();
    expect(attributeValue({ doubleValue: 'Infinity' })).toBe(Number.POSITIVE_INFINITY);
    expect(attributeValue({ doubleValue: '-Infinity' })).toBe(Number.NEGATIVE_INFINITY);
    expect(attributeValue({ doubleValue: '2.5' })).toBe(2.5);
    expect(attributeValue({ doubleValue: 3 })).toBe(3);
  });

  it('turns kvlist values into objects, arrays into arrays and keeps bytes as base64', () => {
    const value = attributeValue({
      kvlistValue: {
        values: [
          { key: 'messages', value: { arrayValue: { values: [{ kvlistValue: { values: [{ key: 'role', value: { stringValue: 'user' } }] } }, {}] } } },
          { key: 'audio', value: { bytesValue: 'AAEC_w' } },
        ],
      },
    });
    // URL-safe, unpadded base64 is normalized to the standard alphabet.
    expect(value).toEqual({ messages: [{ role: 'user' }, null], audio: 'AAEC/w==' });
  });

  it('keeps the good spans of a batch with one bad span id and reports why', () => {
    const decoded = decodeTraceRequestJson(
      JSON.stringify(
        jsonTraceRequest([
          jsonSpan({ name: 'good' }),
          jsonSpan({ name: 'bad', spanId: 'not-hex-at-all!!' }),
          jsonSpan({ name: 'zeros', traceId: '0'.repeat(32) }),
        ]),
      ),
    );
    expect(decoded.request.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toEqual(['good']);
    expect(decoded.rejected).toBe(2);
    expect(decoded.rejectionReasons).toEqual(['span "bad": spanId is not hex', 'span "zeros": traceId is all zeros']);
  });

  it('explains base64 ids, which OTLP/JSON does not use', () => {
    const decoded = decodeTraceRequestJson(JSON.stringify(jsonTraceRequest([jsonSpan({ traceId: TRACE_ID.toString('base64') })])));
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons[0]).toContain('(OTLP/JSON ids are hex, not base64)');
  });

  it('rejects a span whose end is before its start', () => {
    const decoded = decodeTraceRequestJson(
      JSON.stringify(jsonTraceRequest([jsonSpan({ startTimeUnixNano: '20', endTimeUnixNano: '10' })])),
    );
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons[0]).toContain('endTimeUnixNano is before startTimeUnixNano');
  });

  it('ignores fields it does not know', () => {
    const span = onlySpan({ traceState: 'k=v', flags: 257, futureField: { nested: [1, 2] }, droppedAttributesCount: 3 });
    expect(span.name).toBe('turn');
  });

  it('strips NUL characters and replaces lone surrogates', () => {
    const span = onlySpan({
      name: 'a\u0000b',
      attributes: [{ key: 'k\u0000', value: { stringValue: 'x\ud800y\u0000' } }, { key: 'emoji', value: { stringValue: '😀' } }],
    });
    expect(span.name).toBe('ab');
    expect(span.attributes).toEqual({ k: 'x\uFFFDy', emoji: '😀' });
  });

  it('keeps a 1 MB attribute value and SQL metacharacters as they are', () => {
    const big = `'; DROP TABLE spans; -- ${'y'.repeat(1024 * 1024)}`;
    expect(attributeValue({ stringValue: big })).toBe(big);
  });

  it('reads a body with a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(jsonTraceRequest([jsonSpan()])))]);
    expect(decodeTraceRequestJson(body).request.resourceSpans).toHaveLength(1);
  });

  it('decodes an empty object as an empty request', () => {
    expect(decodeTraceRequestJson('{}')).toEqual({ request: { resourceSpans: [] }, rejected: 0, rejectedByCategory: {}, rejectionReasons: [] });
  });

  it('rejects invalid JSON with the parser reason', () => {
    expect(malformedMessage('{"resourceSpans": [')).toMatch(/^invalid JSON: /);
    expect(malformedMessage(serializeTracesProtobuf(recordTurnSpans()).toString('latin1'))).toMatch(/^invalid JSON: /);
  });

  it('rejects a body that is not a JSON object', () => {
    expect(malformedMessage([])).toBe('the body must be a JSON object, got an array');
    expect(malformedMessage('"spans"')).toBe('the body must be a JSON object, got the string "spans"');
  });

  it('rejects wrong types and names the field', () => {
    expect(malformedMessage({ resourceSpans: {} })).toBe('invalid OTLP/JSON at resourceSpans: expected an array, got an object');
    expect(malformedMessage({ resourceSpans: [{ scopeSpans: [{ spans: [5] }] }] })).toBe(
      'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0]: expected an object, got number 5',
    );
    expect(malformedMessage(jsonTraceRequest([jsonSpan(), jsonSpan({ name: 7 })]))).toBe(
      'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[1].name: expected a string, got number 7',
    );
    expect(malformedMessage(jsonTraceRequest([jsonSpan({ attributes: [{ key: 'a', value: { intValue: 1.5 } }] })]))).toBe(
      'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: expected an integer, got 1.5',
    );
    expect(malformedMessage(jsonTraceRequest([jsonSpan({ startTimeUnixNano: '-1' })]))).toMatch(
      /spans\[0\]\.startTimeUnixNano: expected an unsigned 64-bit integer/,
    );
  });

  it('rejects enum names, since OTLP/JSON enums are integers', () => {
    expect(malformedMessage(jsonTraceRequest([jsonSpan({ kind: 'SPAN_KIND_SERVER' })]))).toBe(
      'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].kind: enums are integers in OTLP/JSON, got the string "SPAN_KIND_SERVER"',
    );
  });

  it('rejects snake_case keys instead of reading them as an empty batch', () => {
    expect(malformedMessage({ resource_spans: [] })).toBe(
      'invalid OTLP/JSON at resource_spans: OTLP/JSON keys are lowerCamelCase: use "resourceSpans", not "resource_spans"',
    );
    expect(malformedMessage({ resourceSpans: [{ scope_spans: [] }] })).toContain('use "scopeSpans", not "scope_spans"');
    expect(malformedMessage(jsonTraceRequest([{ trace_id: TRACE_ID.toString('hex'), span_id: SPAN_ID.toString('hex') }]))).toContain(
      'use "traceId", not "trace_id"',
    );
  });

  it('rejects an OTLP logs payload sent as traces', () => {
    expect(malformedMessage({ resourceLogs: [] })).toBe('the body holds "resourceLogs", not "resourceSpans": send it to /v1/logs');
    expect(() => decodeLogsRequestJson('{"resourceSpans":[]}')).toThrow('send it to /v1/traces');
  });

  it('rejects int64 values outside the int64 range', () => {
    expect(malformedMessage(jsonTraceRequest([jsonSpan({ attributes: [{ key: 'a', value: { intValue: '9223372036854775808' } }] })]))).toContain(
      'is out of the int64 range',
    );
  });

  it('rejects AnyValue nesting deeper than 64 levels', () => {
    let value: Record<string, unknown> = { stringValue: 'bottom' };
    for (let i = 0; i < 100; i++) value = { arrayValue: { values: [value] } };
    expect(malformedMessage(jsonTraceRequest([jsonSpan({ attributes: [{ key: 'deep', value }] })]))).toContain(
      'AnyValue is nested deeper than 64 levels',
    );
  });
});

describe('decodeLogsRequestJson', () => {
  it("decodes the SDK's OTLP/JSON logs to exactly what its protobuf decodes to", () => {
    const records = recordLogRecords((logger) => {
      logger.emit({
        eventName: 'balance_lookup',
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: { message: 'slow', ms: 1200 },
        attributes: { 'convotel.event.component': 'account_service' },
        context: trace.setSpanContext(ROOT_CONTEXT, {
          traceId: TRACE_ID.toString('hex'),
          spanId: SPAN_ID.toString('hex'),
          traceFlags: TraceFlags.SAMPLED,
        }),
      });
      logger.emit({ body: 'plain' });
    });
    const fromJson = decodeLogsRequestJson(serializeLogsJson(records));
    expect(fromJson).toEqual(decodeLogsRequestProtobuf(serializeLogsProtobuf(records)));
    expect(fromJson.request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]).toMatchObject({
      severityNumber: 13,
      eventName: 'balance_lookup',
      body: { message: 'slow', ms: 1200 },
      traceId: TRACE_ID.toString('hex'),
    });
  });

  it('rejects a log record with a malformed span id and keeps the rest', () => {
    const decoded = decodeLogsRequestJson(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { timeUnixNano: '1', body: { stringValue: 'ok' } },
                  { timeUnixNano: '2', traceId: TRACE_ID.toString('hex'), spanId: 'xyz' },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(decoded.request.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => r.body)).toEqual(['ok']);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectionReasons).toEqual(['log record: spanId has 3 characters, expected 16 hex digits']);
  });

  it('rejects snake_case log keys', () => {
    expect(() => decodeLogsRequestJson('{"resourceLogs":[{"scopeLogs":[{"log_records":[]}]}]}')).toThrow(
      'use "logRecords", not "log_records"',
    );
  });
});
